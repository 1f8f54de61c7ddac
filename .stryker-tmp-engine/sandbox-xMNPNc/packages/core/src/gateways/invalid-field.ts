// @ts-nocheck
import type { ZodError } from 'zod';
import { UssdError } from '../errors.js';

/**
 * Turns the first validation issue into INVALID_REQUEST (HTTP 400) whose message names the field, so an
 * operator reading the log sees at once which part of a provider's payload changed.
 */
export function invalidField(what: string, error: ZodError, input: Record<string, unknown>): UssdError {
  const issue = error.issues[0];
  const path = issue?.path.map(String) ?? [];
  const field = path.join('.') || 'body';
  const value = path.length === 1 && path[0] !== undefined ? input[path[0]] : Symbol.for('nested');
  const reason = value === undefined || value === null ? 'missing' : value === '' ? 'empty' : 'invalid';
  const message =
    reason === 'invalid'
      ? `${what}: "${field}" is invalid (${issue?.message ?? 'unexpected value'})`
      : `${what}: "${field}" is ${reason}`;
  return new UssdError('INVALID_REQUEST', message, { details: { field, reason } });
}
