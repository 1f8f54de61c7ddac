// Meter readings from the monitoring system, in its shape: `{ sensorId, reading, timeStamp }` where `reading` is
// the cumulative register in m³. A batch is checked item by item: bad items and unknown sensors are reported
// back with their index, the rest is stored, and re-sending a batch stores nothing twice.
import { z } from 'zod';
import type { MeterReading, ReadingSource } from './model.js';
import type { Repositories } from './ports.js';

export const MAX_BATCH = 10_000;
/** The largest value an eight-digit meter register can show, m3. */
export const MAX_READING = 99_999_999;
/** Sensor clocks drift; a reading further ahead than this is refused rather than stored in the future. */
const FUTURE_TOLERANCE_MS = 60 * 60_000;

const timeStamp = z.union([z.string().trim().min(1), z.number().finite()]).transform((value, ctx) => {
  // Epoch numbers: seconds when small, milliseconds otherwise.
  const ms = typeof value === 'number' ? (value < 1e11 ? value * 1000 : value) : Date.parse(value);
  if (!Number.isFinite(ms)) {
    ctx.addIssue({ code: 'custom', message: 'timeStamp is not a date' });
    return z.NEVER;
  }
  return new Date(ms);
});

export const readingItemSchema = z.object({
  sensorId: z.union([z.string(), z.number()]).transform(String).pipe(z.string().trim().min(1).max(64)),
  reading: z
    .union([
      z.number(),
      z
        .string()
        .trim()
        .regex(/^\d+(\.\d+)?$/, 'reading must be a number')
        .transform(Number),
    ])
    .pipe(
      z
        .number()
        .finite()
        .min(0, 'reading must not be negative')
        .max(MAX_READING, `reading must be at most ${MAX_READING} m3 (a meter register's range)`),
    ),
  timeStamp,
});

export type ReadingItem = z.input<typeof readingItemSchema>;

/** A batch is an array of readings or `{ readings: [...] }`. */
export const readingBatchSchema = z.union([
  z.array(z.unknown()).max(MAX_BATCH),
  z.object({ readings: z.array(z.unknown()).max(MAX_BATCH) }).transform((b) => b.readings),
]);

export type IngestResult =
  | {
      ok: true;
      received: number;
      inserted: number;
      /** Readings already stored (same meter and timestamp), also repeats inside the batch. */
      duplicates: number;
      unknownSensors: { index: number; sensorId: string }[];
      invalid: { index: number; message: string }[];
    }
  | { ok: false; message: string };

export interface ReadingIngestionOptions {
  repos: Repositories;
  now?: (() => Date) | undefined;
}

export function createReadingIngestion(options: ReadingIngestionOptions) {
  const { repos } = options;
  const now = options.now ?? (() => new Date());

  async function ingestReadings(body: unknown, source: ReadingSource = 'sensor'): Promise<IngestResult> {
    const batch = readingBatchSchema.safeParse(body);
    if (!batch.success) {
      return {
        ok: false,
        message: `Expected an array of { sensorId, reading, timeStamp } or { readings: [...] }, at most ${MAX_BATCH} items`,
      };
    }
    const items = batch.data;
    const latestAllowed = now().getTime() + FUTURE_TOLERANCE_MS;
    const invalid: { index: number; message: string }[] = [];
    const valid: { index: number; sensorId: string; reading: number; at: Date }[] = [];
    items.forEach((raw, index) => {
      const parsed = readingItemSchema.safeParse(raw);
      if (!parsed.success) {
        invalid.push({
          index,
          message: parsed.error.issues
            .map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message))
            .join('; '),
        });
      } else if (parsed.data.timeStamp.getTime() > latestAllowed) {
        invalid.push({ index, message: 'timeStamp: is in the future' });
      } else {
        valid.push({ index, sensorId: parsed.data.sensorId, reading: parsed.data.reading, at: parsed.data.timeStamp });
      }
    });

    const meters = await repos.meters.findBySensorIds(valid.map((v) => v.sensorId));
    const meterBySensor = new Map(meters.filter((m) => m.status === 'active').map((m) => [m.sensorId, m.id]));
    const unknownSensors: { index: number; sensorId: string }[] = [];
    const known: (typeof valid)[number][] = [];
    for (const v of valid) {
      if (meterBySensor.has(v.sensorId)) known.push(v);
      else unknownSensors.push({ index: v.index, sensorId: v.sensorId });
    }
    // Registers only count up: a reading lower than the one before it (stored or accepted from this batch) is a
    // misread or a swapped meter, and would bill a negative use. The one before it is the later of the two, so
    // each meter's stored readings over the batch's span are walked alongside the batch, oldest first.
    const byMeter = new Map<string, (typeof valid)[number][]>();
    for (const v of [...known].sort((a, b) => a.at.getTime() - b.at.getTime())) {
      const meterId = meterBySensor.get(v.sensorId) as string;
      const list = byMeter.get(meterId);
      if (list) list.push(v);
      else byMeter.set(meterId, [v]);
    }
    const rows: MeterReading[] = [];
    for (const [meterId, list] of byMeter) {
      const first = (list[0] as (typeof list)[number]).at;
      const last = (list[list.length - 1] as (typeof list)[number]).at;
      let before = await repos.readings.latestAtOrBefore(meterId, first.toISOString());
      const stored = await repos.readings.range(
        meterId,
        first.toISOString(),
        new Date(last.getTime() + 1).toISOString(),
      );
      let next = 0;
      for (const v of list) {
        const at = v.at.getTime();
        for (let s = stored[next]; s && Date.parse(s.at) <= at; s = stored[++next]) {
          // Not walked yet, so no earlier than the reading before it, stored or accepted.
          before = s;
        }
        const row = { meterId, value: v.reading, at: v.at.toISOString(), source };
        // Same instant as the one before it: a repeat, stored once and counted as a duplicate.
        const repeat = before !== null && Date.parse(before.at) === at;
        if (before && !repeat && v.reading < before.value) {
          invalid.push({
            index: v.index,
            message: `reading: lower than the reading before it (${before.value} m3 at ${before.at})`,
          });
          continue;
        }
        rows.push(row);
        if (!repeat) before = row;
      }
    }
    invalid.sort((a, b) => a.index - b.index);
    const { inserted, duplicates } = rows.length
      ? await repos.readings.insertMany(rows)
      : { inserted: 0, duplicates: 0 };
    return { ok: true, received: items.length, inserted, duplicates, unknownSensors, invalid };
  }

  return { ingestReadings };
}

export type ReadingIngestion = ReturnType<typeof createReadingIngestion>;
