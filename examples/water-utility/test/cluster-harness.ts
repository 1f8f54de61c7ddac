// A gateway's side of the local cluster for the cluster tests: USSD hops through the balancer, noting which node
// answered, and what the shared gateway fakes accepted.
import { NODE_HEADER } from '../src/cluster/balancer.js';

export const SERVICE_CODE = '*384*123#';

export interface HopAnswer {
  status: number;
  body: string;
  /** The node the balancer passed the hop to (`x-rolax-node`). */
  node: string | null;
}

/** One USSD hop as Africa's Talking posts it. */
export async function postHop(
  baseUrl: string,
  sessionId: string,
  phoneNumber: string,
  text: string,
): Promise<HopAnswer> {
  const res = await fetch(`${baseUrl}/ussd`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ sessionId, phoneNumber, serviceCode: SERVICE_CODE, networkCode: '63902', text }),
    signal: AbortSignal.timeout(20_000),
  });
  return { status: res.status, body: await res.text(), node: res.headers.get(NODE_HEADER) };
}

export interface Traffic {
  sms: { id: string; to: string; text: string; at: number }[];
  payments: { reference: string; invoiceId: string; phone: string; amount: number; state: string }[];
  webhooks: { invoiceId: string; state: string; answers: (number | 'error')[] }[];
}

/** Everything the shared fakes accepted, oldest first. */
export async function traffic(gatewaysUrl: string): Promise<Traffic> {
  const res = await fetch(`${gatewaysUrl}/dev/traffic`);
  return (await res.json()) as Traffic;
}

export async function json(
  url: string,
  init?: RequestInit,
): Promise<{ status: number; body: any; node: string | null }> {
  const res = await fetch(url, init);
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // Not JSON: keep the text.
  }
  return { status: res.status, body, node: res.headers.get(NODE_HEADER) };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
