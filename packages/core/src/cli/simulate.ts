import { randomUUID } from 'node:crypto';
import { createInterface } from 'node:readline/promises';
import { request } from 'undici';
import { defaultScreenLimits, limitFor, measureBody } from '../menu/budget.js';

export interface SimulateOptions {
  url: string;
  phone: string;
  code: string;
  network: string;
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
}

/**
 * An interactive session against any Africa's Talking-style callback: posts each hop as the gateway would and
 * shows each screen with its size against the network's budget.
 */
export async function simulate(o: SimulateOptions): Promise<number> {
  const rl = createInterface({ input: o.input, output: o.output, terminal: false });
  const lines = rl[Symbol.asyncIterator]();
  const sessionId = `ATUid_${randomUUID().replace(/-/g, '')}`;
  const limit = limitFor(defaultScreenLimits, o.network);
  const out = (s: string) => o.output.write(s);
  let text = '';
  let hops = 0;
  out(`Dialling ${o.code} as ${o.phone} on network ${o.network} (screen budget ${limit})\n`);
  for (;;) {
    const res = await request(o.url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        sessionId,
        serviceCode: o.code,
        phoneNumber: o.phone,
        networkCode: o.network,
        text,
      }).toString(),
    });
    const body = await res.body.text();
    if (res.statusCode !== 200) {
      out(`HTTP ${res.statusCode}: ${body}\n`);
      rl.close();
      return 1;
    }
    const m = measureBody(body, limit);
    const verdict = m.fits ? 'fits' : 'OVER BUDGET';
    out(`\n${'-'.repeat(32)}\n${body.slice(4)}\n${'-'.repeat(32)}\n`);
    out(`[${body.slice(0, 3)}] ${m.units}/${m.limit} ${m.encoding} - ${verdict}\n`);
    if (!body.startsWith('CON ')) {
      rl.close();
      return body.startsWith('END ') ? 0 : 1;
    }
    out('> ');
    const next = await lines.next();
    if (next.done) {
      out('\n(cancelled)\n');
      rl.close();
      return 0;
    }
    const value = next.value.trim();
    text = hops === 0 ? value : `${text}*${value}`;
    hops++;
  }
}

/**
 * A phone number as gateways send it, `+` and country code first. Kenyan local forms are completed (`0711000111`,
 * `711000111`, `254711000111` all become `+254711000111`); anything else is sent as typed, spaces removed.
 */
export function normalizePhone(input: string, countryCode = '254'): string {
  const digits = input.replace(/[\s()-]/g, '');
  if (/^0[17]\d{8}$/.test(digits)) return `+${countryCode}${digits.slice(1)}`;
  if (/^[17]\d{8}$/.test(digits)) return `+${countryCode}${digits}`;
  if (/^\d{11,15}$/.test(digits)) return `+${digits}`;
  return digits;
}
