import { z } from 'zod';

/**
 * What one session keeps between requests. `snapshot` is XState's persisted snapshot; `history` holds the
 * snapshots of earlier screens for `0` back (newest last); `page` is the page of the current screen.
 */
export const ENVELOPE_VERSION = 2;

const snapshot = z.record(z.string(), z.unknown());

/** A phone's resume point: the state of a dropped session that rested on a resumable screen. */
export const resumePointSchema = z.object({ snapshot, history: z.array(snapshot) });
export type ResumePoint = z.infer<typeof resumePointSchema>;

export const envelopeSchema = z.object({
  v: z.literal(ENVELOPE_VERSION),
  machineId: z.string(),
  machineVersion: z.string(),
  transcript: z.string(),
  lastReply: z.string(),
  ended: z.boolean(),
  snapshot,
  history: z.array(snapshot),
  page: z.number().int().min(0),
  /** Set while the customer is being asked whether to resume a dropped session. */
  resume: resumePointSchema.optional(),
  /** This session left a resume point for its phone, to be cleared when it moves on. */
  resumeSaved: z.boolean().optional(),
  /** The gateway's hop counter of the last applied request, for gateways that number their requests. */
  hop: z.number().optional(),
  /**
   * Replies of the few hops before the last, as `[hop key, reply]` (oldest first): a late re-send of one of them
   * gets what it got the first time. The key is the path for path gateways, `#<hop>` for numbered hops.
   */
  earlier: z.array(z.tuple([z.string(), z.string()])).optional(),
  /**
   * The last applied input, on gateways that neither number hops nor send the path (Arkesel, Nalo): the same
   * input again within the retry window of `updatedAt` is a retry.
   */
  input: z.string().optional(),
  /** When the last applied hop was answered (ms since the epoch, the app's clock). */
  updatedAt: z.number(),
});

export type Envelope = z.infer<typeof envelopeSchema>;
export type PersistedSnapshot = Envelope['snapshot'];

export type LoadResult = { kind: 'none' } | { kind: 'ok'; envelope: Envelope } | { kind: 'invalid'; reason: string };

export function decodeEnvelope(raw: string | null, machineId: string, machineVersion: string): LoadResult {
  if (raw === null) return { kind: 'none' };
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return { kind: 'invalid', reason: 'not JSON' };
  }
  const parsed = envelopeSchema.safeParse(json);
  if (!parsed.success) return { kind: 'invalid', reason: parsed.error.issues[0]?.message ?? 'bad shape' };
  const e = parsed.data;
  if (e.machineId !== machineId || e.machineVersion !== machineVersion) {
    return { kind: 'invalid', reason: `saved by ${e.machineId}@${e.machineVersion}` };
  }
  return { kind: 'ok', envelope: e };
}

/**
 * The session (phone, ids, network) is handed to the machine on every turn, not saved with it: a snapshot is
 * stored with `context.session` null and gets the current session back when it is restored.
 */
export function withoutSession(snapshot: PersistedSnapshot): PersistedSnapshot {
  const context = snapshot.context as Record<string, unknown> | undefined;
  if (!context || typeof context !== 'object' || !('session' in context) || context.session === null) return snapshot;
  return { ...snapshot, context: { ...context, session: null } };
}

/** A stored snapshot with this turn's session in its context (see {@link withoutSession}). */
export function withSession(snapshot: PersistedSnapshot, session: unknown): PersistedSnapshot {
  const context = snapshot.context as Record<string, unknown> | undefined;
  if (!context || typeof context !== 'object' || !('session' in context)) return snapshot;
  return { ...snapshot, context: { ...context, session } };
}
