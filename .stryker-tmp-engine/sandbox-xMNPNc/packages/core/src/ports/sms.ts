// @ts-nocheck
export interface SmsMessage {
  to: string[];
  text: string;
  from?: string | undefined;
}

export interface SendContext {
  signal?: AbortSignal | undefined;
  /** Same key, same message: a provider or outbox uses it to never send twice. */
  idempotencyKey: string;
}

export type RecipientStatus = 'accepted' | 'failed' | 'retryable';

export interface SmsRecipientResult {
  to: string;
  status: RecipientStatus;
  /** Provider message id, used to match delivery reports. */
  messageId?: string | undefined;
  /** Provider status text, e.g. `Success`, `InvalidPhoneNumber`. */
  reason?: string | undefined;
  providerCode?: number | undefined;
  cost?: string | undefined;
}

export interface SmsResult {
  recipients: SmsRecipientResult[];
}

export interface SmsSender {
  readonly name: string;
  send(message: SmsMessage, ctx: SendContext): Promise<SmsResult>;
}
