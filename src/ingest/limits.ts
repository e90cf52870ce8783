// Segment's Tracking API limits, which Tractionboard enforces the same way.
export const MAX_BATCH_BYTES = 500 * 1024
export const MAX_MESSAGE_BYTES = 32 * 1024
export const MAX_BATCH_EVENTS = 2500
/** Raw rejected payloads are kept for debugging, cut to this many characters. */
export const MAX_REJECTED_RAW_CHARS = 2000
/**
 * Tractionboard's own bound: the batch-level `context` and `integrations` are copied into every item, so their
 * JSON size times the number of items is what a batch really makes the server build. 8 MB is 2,500 items under a
 * 3 KB context (clients send a few hundred bytes); past it, a batch of 32 KB of tiny keys could hold a core
 * for seconds.
 */
export const MAX_MERGED_BATCH_BYTES = 8 * 1024 * 1024
/**
 * Tractionboard's own bound on how deeply an event's objects and arrays may nest (Segment documents none;
 * analytics data nests a few levels). Deeper events are rejected before anything serialises them, so whether
 * one is accepted never depends on how much stack the thread preparing it has (a worker's differs from the
 * main thread's), and everything that later serialises a stored event (exports, the API) can.
 */
export const MAX_NESTING_DEPTH = 100
