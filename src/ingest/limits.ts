// Segment's Tracking API limits, which Tractionboard enforces the same way.
export const MAX_BATCH_BYTES = 500 * 1024
export const MAX_MESSAGE_BYTES = 32 * 1024
export const MAX_BATCH_EVENTS = 2500
/** Raw rejected payloads are kept for debugging, cut to this many characters. */
export const MAX_REJECTED_RAW_CHARS = 2000
