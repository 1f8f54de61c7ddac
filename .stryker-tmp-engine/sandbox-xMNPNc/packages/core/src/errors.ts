/** Every failure the toolkit raises is a UssdError with one of these codes. */
// @ts-nocheck

export type UssdErrorCode =
  | 'INVALID_REQUEST' // a gateway payload failed validation (HTTP 400)
  | 'MENU_DEFINITION' // a menu that cannot work, caught when it is built
  | 'MENU_RUNTIME' // menu code threw or the machine reached an error state
  | 'TURN_TIMEOUT' // the turn deadline expired
  | 'SESSION_BUSY' // the per-session lock could not be taken in time
  | 'STORE' // a session store failed
  | 'PROVIDER_AUTH' // a gateway rejected our credentials
  | 'PROVIDER_REJECTED' // a gateway refused the request for a reason retrying will not fix
  | 'PROVIDER_UNAVAILABLE' // a gateway failed in a way that may pass (5xx, 429, network, timeout)
  | 'PROVIDER_RESPONSE' // a gateway answered with something we cannot parse
  | 'WEBHOOK_UNAUTHORIZED' // a webhook failed its authenticity check
  | 'CONFIG'; // configuration is missing or wrong

export interface UssdErrorOptions {
  cause?: unknown;
  /** HTTP status to answer with when this error reaches an HTTP boundary. */
  status?: number | undefined;
  /** Extra facts for the operator's log; never put secrets or full phone numbers here. */
  details?: Record<string, unknown> | undefined;
}

const defaultStatus: Partial<Record<UssdErrorCode, number>> = {
  INVALID_REQUEST: 400,
  WEBHOOK_UNAUTHORIZED: 401,
  SESSION_BUSY: 503,
};

export class UssdError extends Error {
  override readonly name = 'UssdError';
  readonly code: UssdErrorCode;
  readonly status: number;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: UssdErrorCode, message: string, options: UssdErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.status = options.status ?? defaultStatus[code] ?? 500;
    this.details = options.details;
  }
}

/** True for a UssdError, also one from another copy of this package (checks the name, not only the prototype). */
export function isUssdError(value: unknown, code?: UssdErrorCode): value is UssdError {
  if (!(value instanceof Error) || value.name !== 'UssdError') return false;
  return code === undefined || (value as UssdError).code === code;
}
