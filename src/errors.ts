// Every error code Tractionboard answers with, defined once. docs/api.md lists the same table.

export const ERRORS = {
  // Request-level ingestion errors
  invalid_json: { status: 400, message: 'The body is not valid JSON' },
  payload_too_large: { status: 400, message: 'The request body exceeds the size limit' },
  batch_too_large: { status: 400, message: 'A batch may hold at most 2500 events' },
  invalid_batch: { status: 400, message: 'The body must be an object with a "batch" array' },
  invalid_body: { status: 400, message: 'The body must be a JSON object' },
  unsupported_encoding: { status: 400, message: 'Unsupported Content-Encoding' },
  invalid_message: { status: 400, message: 'The message is invalid' },
  unsupported_type: { status: 501, message: 'This message type is not supported' },
  missing_token: { status: 401, message: 'No Token ID was given' },
  invalid_token: { status: 401, message: 'Unknown Token ID' },
  invalid_signature: { status: 401, message: 'The request signature does not match the signing secret' },
  overloaded: { status: 429, message: 'Too many events are waiting to be stored; retry later' },
  store_unavailable: { status: 503, message: 'The store cannot commit right now; retry later' },
  metrics_rebuilding: {
    status: 503,
    message: "The workspace's metrics are being recomputed after a change of settings; retry shortly",
  },
  // Per-event rejection reasons (inside a 200 response's "rejected" list)
  not_an_object: { status: 400, message: 'The event must be a JSON object' },
  invalid_type: { status: 400, message: 'Missing or invalid "type"' },
  missing_identity: { status: 400, message: 'The event needs a "userId" or an "anonymousId"' },
  invalid_id: { status: 400, message: 'Ids must be strings or numbers of at most 512 characters' },
  missing_event: { status: 400, message: 'A track event needs an "event" name' },
  missing_group_id: { status: 400, message: 'A group event needs a "groupId"' },
  missing_previous_id: { status: 400, message: 'An alias event needs a "previousId" and a "userId"' },
  invalid_message_id: { status: 400, message: '"messageId" must be a string of at most 100 characters' },
  invalid_timestamp: { status: 400, message: 'A timestamp is not a valid ISO-8601 date' },
  message_too_large: { status: 400, message: 'The event exceeds 32 KB' },
  invalid_amount: { status: 400, message: 'A payment or refund needs a non-negative numeric amount' },
  missing_user_id: { status: 400, message: 'This event needs a "userId"' },
  // History import (`tractionboard import`) only: a file that breaks off (truncated gzip, broken JSON array).
  unreadable_file: { status: 400, message: 'The file cannot be read to its end' },
  // Read API and dashboard
  unauthorized: {
    status: 401,
    message: 'A valid API key (Authorization: Bearer <api_key>) or session is required',
  },
  invalid_credentials: { status: 401, message: 'Wrong email or password' },
  forbidden: { status: 403, message: 'Your role in this workspace does not allow this' },
  csrf_failed: { status: 403, message: 'Missing or wrong X-CSRF-Token header' },
  conflict: { status: 409, message: 'This already exists' },
  rate_limited: { status: 429, message: 'Too many attempts; wait a minute' },
  account_locked: { status: 429, message: 'Too many failed logins; the account is locked for a while' },
  too_many_workspaces: {
    status: 409,
    message: 'This account owns as many workspaces as it may (MAX_WORKSPACES_PER_ACCOUNT)',
  },
  too_many_streams: {
    status: 429,
    message: 'Too many live event streams are open; close one (another tab?) and retry',
  },
  not_found: { status: 404, message: 'Not found' },
  invalid_parameter: { status: 400, message: 'A parameter is invalid' },
  request_too_large: { status: 413, message: 'The request body exceeds the size limit' },
  unsupported_media_type: { status: 415, message: 'The request body must be JSON' },
  // Answers of the HTTP layer, on any path (src/http-errors.ts)
  malformed_request: { status: 400, message: 'The request is not valid HTTP' },
  request_timeout: { status: 408, message: 'The request was not received in time' },
  precondition_failed: { status: 412, message: 'A condition of the request (If-Match, …) does not hold' },
  range_not_satisfiable: { status: 416, message: 'The requested range is outside the file' },
  headers_too_large: { status: 431, message: 'The request line and headers exceed the size limit' },
  dashboard_not_built: { status: 503, message: 'The dashboard is not built: run `npm run build`' },
  tracker_not_built: {
    status: 503,
    message: 'The tracker (tractionboard.js) is not built: run `npm run build`',
  },
  internal_error: { status: 500, message: 'Internal error' },
} as const satisfies Record<string, { status: number; message: string }>

export type ErrorCode = keyof typeof ERRORS

/** An error that maps to one HTTP answer `{"error":{"code","message"}}`. */
export class TbError extends Error {
  readonly status: number
  constructor(
    readonly code: ErrorCode,
    message?: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(message ?? ERRORS[code].message)
    this.name = 'TbError'
    this.status = ERRORS[code].status
  }
}

export function errorBody(
  code: ErrorCode,
  message?: string,
): { error: { code: ErrorCode; message: string } } {
  return { error: { code, message: message ?? ERRORS[code].message } }
}

/**
 * Per-event warnings, inside the "warnings" list of an ingestion answer: the event was accepted, but not all of
 * it was understood. docs/api.md lists the same table.
 */
export const WARNINGS = {
  invalid_interval: {
    message:
      'The payment\'s "interval" or "interval_count" is not understood; it was counted as a one-off payment',
  },
} as const satisfies Record<string, { message: string }>

export type WarningCode = keyof typeof WARNINGS

/** A per-event warning about an accepted event. */
export interface Warning {
  code: WarningCode
  message: string
}

export function warning(code: WarningCode, message?: string): Warning {
  return { code, message: message ?? WARNINGS[code].message }
}

/** A per-event rejection carried inside a 200 batch answer. */
export interface Rejection {
  code: ErrorCode
  message: string
}

export function rejection(code: ErrorCode, message?: string): Rejection {
  return { code, message: message ?? ERRORS[code].message }
}
