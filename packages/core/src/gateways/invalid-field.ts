import type { ZodError } from 'zod';
import { UssdError } from '../errors.js';

const reasonOf = (value: unknown) =>
  value === undefined || value === null ? 'missing' : value === '' ? 'empty' : 'invalid';

/**
 * Turns the first validation issue into INVALID_REQUEST (HTTP 400) whose message names the field, so an
 * operator reading the log sees at once which part of a provider's payload changed.
 */
export function invalidField(what: string, error: ZodError, input: Record<string, unknown>): UssdError {
  const issue = error.issues[0];
  const path = issue?.path.map(String) ?? [];
  const field = path.join('.') || 'body';
  // Only a top-level field can be missing or empty; a nested one is there but wrong.
  const reason = path.length === 1 ? reasonOf(input[path[0] as string]) : 'invalid';
  const message =
    reason === 'invalid'
      ? `${what}: "${field}" is invalid (${issue?.message ?? 'unexpected value'})`
      : `${what}: "${field}" is ${reason}`;
  return new UssdError('INVALID_REQUEST', message, { details: { field, reason } });
}
