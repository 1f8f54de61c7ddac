import { z } from 'zod';
import type { History } from './history.js';
import { isJsonRecord } from './json-delta.js';
import { pathHop } from './plan.js';
import { applyDelta, deltaOf, type PersistedSnapshot, type ScreenDelta, type SnapshotBase } from './snapshot-delta.js';

/**
 * Version 3 stores the snapshot as its difference from the machine's base snapshot and each earlier screen as
 * its difference from the screen after it, leaves out fields at their defaults, and keys the replies of earlier
 * Africa's Talking hops by their number of inputs instead of their whole path. Version 2 envelopes and resume points
 * (whole snapshots) are read and converted; anything else restarts the session.
 */
export const ENVELOPE_VERSION = 3;

/** A phone's resume point: the state of a dropped session that rested on a resumable screen. */
export interface ResumePoint {
  snapshot: PersistedSnapshot;
  history: History;
}

/** What one session keeps between requests, as the engine works with it. */
export interface Envelope {
  machineId: string;
  machineVersion: string;
  /** The inputs applied so far, `*`-joined. */
  transcript: string;
  /** The wire body of the last answer, replayed to a retry. */
  lastReply: string;
  ended: boolean;
  /** XState's persisted snapshot without the session; empty when no machine stands behind the reply. */
  snapshot: PersistedSnapshot;
  /** Earlier screens for `0` back, each as its difference from the screen after it (`engine/history.ts`). */
  history: History;
  /** The page of the current screen. */
  page: number;
  /** Set while the customer is being asked whether to resume a dropped session. */
  resume?: ResumePoint | undefined;
  /** This session left a resume point for its phone, to be cleared when it moves on. */
  resumeSaved?: boolean | undefined;
  /** The gateway's hop counter of the last applied request, for gateways that number their requests. */
  hop?: number | undefined;
  /**
   * Replies of the few hops before the last, as `[hop, reply]` (oldest first): a late re-send of one of them
   * gets what it got the first time. `hop` is the gateway's hop number, or on path gateways the number of inputs
   * in that hop's path.
   */
  earlier?: [number, string][] | undefined;
  /**
   * The last applied input, on gateways that neither number hops nor send the path (Arkesel, Nalo): the same
   * input again within the retry window of `updatedAt` is a retry.
   */
  input?: string | undefined;
  /** When the last applied hop was answered (ms since the epoch, the app's clock). */
  updatedAt: number;
}

export type LoadResult = { kind: 'none' } | { kind: 'ok'; envelope: Envelope } | { kind: 'invalid'; reason: string };

const delta = z.record(z.string(), z.unknown());
const screenDelta = z.tuple([
  z.union([z.string(), z.record(z.string(), z.unknown())]),
  delta.optional(),
  delta.optional(),
]);
const storedResume = z.object({ snapshot: screenDelta, history: z.array(screenDelta).optional() });

/** The stored form, version 3. Fields at their defaults (`false`, `0`, empty) are left out. */
const envelopeV3 = z.object({
  v: z.literal(3),
  /** `<machine id>@<machine version>` of the menu that wrote it. */
  menu: z.string(),
  transcript: z.string(),
  lastReply: z.string(),
  ended: z.literal(true).optional(),
  snapshot: screenDelta.optional(),
  history: z.array(screenDelta).optional(),
  page: z.number().int().min(0).optional(),
  resume: storedResume.optional(),
  resumeSaved: z.boolean().optional(),
  hop: z.number().optional(),
  earlier: z.array(z.tuple([z.number(), z.string()])).optional(),
  input: z.string().optional(),
  updatedAt: z.number(),
});
const resumeV3 = storedResume.extend({ v: z.literal(3), menu: z.string() });

const snapshotV2 = z.record(z.string(), z.unknown());
const resumeV2 = z.object({ snapshot: snapshotV2, history: z.array(snapshotV2) });
/** The stored form, version 2: whole snapshots, earlier Africa's Talking replies keyed by path. */
const envelopeV2 = z.object({
  v: z.literal(2),
  machineId: z.string(),
  machineVersion: z.string(),
  transcript: z.string(),
  lastReply: z.string(),
  ended: z.boolean(),
  snapshot: snapshotV2,
  history: z.array(snapshotV2),
  page: z.number().int().min(0),
  resume: resumeV2.optional(),
  resumeSaved: z.boolean().optional(),
  hop: z.number().optional(),
  earlier: z.array(z.tuple([z.string(), z.string()])).optional(),
  input: z.string().optional(),
  updatedAt: z.number(),
});

/** Writes and reads one menu's envelopes and resume points; `base` is its machine's (`snapshotBase`). */
export function createEnvelopeCodec(o: { machineId: string; machineVersion: string; base: SnapshotBase }) {
  const menu = `${o.machineId}@${o.machineVersion}`;
  const storeSnapshot = (s: PersistedSnapshot): ScreenDelta => deltaOf(s, o.base.snapshot);
  const readSnapshot = (d: ScreenDelta): PersistedSnapshot => applyDelta(o.base.fresh(), d);
  const storeResume = (p: ResumePoint) =>
    p.history.length > 0
      ? { snapshot: storeSnapshot(p.snapshot), history: p.history }
      : { snapshot: storeSnapshot(p.snapshot) };
  const readResume = (p: z.infer<typeof storedResume>): ResumePoint => ({
    snapshot: readSnapshot(p.snapshot),
    history: p.history ?? [],
  });

  function encode(e: Envelope): string {
    const doc: Record<string, unknown> = {
      v: ENVELOPE_VERSION,
      menu,
      transcript: e.transcript,
      lastReply: e.lastReply,
    };
    if (e.ended) doc.ended = true;
    if (hasKeys(e.snapshot)) doc.snapshot = storeSnapshot(e.snapshot);
    if (e.history.length > 0) doc.history = e.history;
    if (e.page > 0) doc.page = e.page;
    if (e.resume) doc.resume = storeResume(e.resume);
    if (e.resumeSaved) doc.resumeSaved = true;
    if (e.hop !== undefined) doc.hop = e.hop;
    if (e.earlier && e.earlier.length > 0) doc.earlier = e.earlier;
    if (e.input !== undefined) doc.input = e.input;
    doc.updatedAt = e.updatedAt;
    return JSON.stringify(doc);
  }

  function fromV3(json: unknown): LoadResult {
    const parsed = envelopeV3.safeParse(json);
    if (!parsed.success) return { kind: 'invalid', reason: parsed.error.issues[0]?.message ?? 'bad shape' };
    const d = parsed.data;
    if (d.menu !== menu) return { kind: 'invalid', reason: `saved by ${d.menu}` };
    const envelope: Envelope = {
      machineId: o.machineId,
      machineVersion: o.machineVersion,
      transcript: d.transcript,
      lastReply: d.lastReply,
      ended: d.ended === true,
      snapshot: d.snapshot ? readSnapshot(d.snapshot) : {},
      history: d.history ?? [],
      page: d.page ?? 0,
      updatedAt: d.updatedAt,
    };
    if (d.resume) envelope.resume = readResume(d.resume);
    if (d.resumeSaved !== undefined) envelope.resumeSaved = d.resumeSaved;
    if (d.hop !== undefined) envelope.hop = d.hop;
    if (d.earlier !== undefined) envelope.earlier = d.earlier;
    if (d.input !== undefined) envelope.input = d.input;
    return { kind: 'ok', envelope };
  }

  function fromV2(json: unknown): LoadResult {
    const parsed = envelopeV2.safeParse(json);
    if (!parsed.success) return { kind: 'invalid', reason: parsed.error.issues[0]?.message ?? 'bad shape' };
    const { v: _v, resume, earlier, history, ...rest } = parsed.data;
    if (rest.machineId !== o.machineId || rest.machineVersion !== o.machineVersion) {
      return { kind: 'invalid', reason: `saved by ${rest.machineId}@${rest.machineVersion}` };
    }
    const envelope: Envelope = { ...rest, history: chainOf(history, rest.snapshot) };
    if (resume) envelope.resume = { snapshot: resume.snapshot, history: chainOf(resume.history, resume.snapshot) };
    // Version 2 keyed earlier replies by the hop's path on path gateways, by `#<hop>` on numbered ones.
    if (earlier) {
      const converted = earlier.map(([k, r]): [number, string] => [
        rest.hop === undefined ? pathHop(k) : Number(k.slice(1)),
        r,
      ]);
      envelope.earlier = converted.filter(([h]) => Number.isInteger(h));
    }
    return { kind: 'ok', envelope };
  }

  return {
    encode,

    decode(raw: string | null): LoadResult {
      if (raw === null) return { kind: 'none' };
      let json: unknown;
      try {
        json = JSON.parse(raw);
      } catch {
        return { kind: 'invalid', reason: 'not JSON' };
      }
      const v = isJsonRecord(json) ? json.v : undefined;
      try {
        if (v === ENVELOPE_VERSION) return fromV3(json);
        if (v === 2) return fromV2(json);
      } catch (err) {
        // A delta that does not apply (hand-edited, truncated by a store) is as unusable as bad JSON.
        return { kind: 'invalid', reason: err instanceof Error ? err.message : 'unreadable' };
      }
      return { kind: 'invalid', reason: `envelope version ${String(v)}` };
    },

    encodeResume(p: ResumePoint): string {
      return JSON.stringify({ v: ENVELOPE_VERSION, menu, ...storeResume(p) });
    },

    /** A stored resume point, or undefined when it is malformed or another menu version wrote it. */
    decodeResume(raw: string): ResumePoint | undefined {
      try {
        const json: unknown = JSON.parse(raw);
        if (isJsonRecord(json) && json.v === ENVELOPE_VERSION) {
          const parsed = resumeV3.safeParse(json);
          return parsed.success && parsed.data.menu === menu ? readResume(parsed.data) : undefined;
        }
        // Version 2 resume points carried no version and no menu.
        const parsed = resumeV2.safeParse(json);
        if (!parsed.success) return undefined;
        return { snapshot: parsed.data.snapshot, history: chainOf(parsed.data.history, parsed.data.snapshot) };
      } catch {
        return undefined;
      }
    },
  };
}

export type EnvelopeCodec = ReturnType<typeof createEnvelopeCodec>;

/** Whole snapshots of earlier screens (newest last) as a {@link History} ending at `current`. */
function chainOf(snapshots: PersistedSnapshot[], current: PersistedSnapshot): History {
  const history: History = new Array(snapshots.length);
  let successor = current;
  for (let i = snapshots.length - 1; i >= 0; i--) {
    const snapshot = snapshots[i] as PersistedSnapshot;
    history[i] = deltaOf(snapshot, successor);
    successor = snapshot;
  }
  return history;
}

function hasKeys(o: object): boolean {
  for (const _ in o) return true;
  return false;
}
