/**
 * HTTP consumer clients: a Confluent v2 consumer instance (ours and the bridge speak the same API) and an Upstash
 * consumer. Each reads a topic from the beginning until it has seen a given number of records.
 */
import { V2_BINARY, V2_JSON } from './subjects.js';

async function expectOk(response: Response, what: string): Promise<void> {
  if (response.ok) return;
  throw new Error(`${what}: HTTP ${response.status} ${(await response.text()).slice(0, 300)}`);
}

export class V2Consumer {
  private constructor(readonly url: string) {}

  /** Creates the instance (binary format, from the earliest offset) and subscribes it to `topic`. */
  static async create(baseUrl: string, group: string, name: string, topic: string): Promise<V2Consumer> {
    const created = await fetch(`${baseUrl}/consumers/${encodeURIComponent(group)}`, {
      method: 'POST',
      headers: { 'content-type': V2_JSON, accept: V2_JSON },
      body: JSON.stringify({ name, format: 'binary', 'auto.offset.reset': 'earliest' }),
    });
    await expectOk(created, `create consumer ${group}/${name}`);
    await created.arrayBuffer();
    // Both servers build base_uri from their own listener; the path is the same everywhere.
    const consumer = new V2Consumer(`${baseUrl}/consumers/${encodeURIComponent(group)}/instances/${encodeURIComponent(name)}`);
    const subscribed = await fetch(`${consumer.url}/subscription`, {
      method: 'POST',
      headers: { 'content-type': V2_JSON, accept: V2_JSON },
      body: JSON.stringify({ topics: [topic] }),
    });
    await expectOk(subscribed, `subscribe ${group}/${name} to ${topic}`);
    await subscribed.arrayBuffer();
    return consumer;
  }

  /** One records call: the binary records it answered. */
  async poll(timeoutMs: number): Promise<{ value: string | null }[]> {
    const response = await fetch(`${this.url}/records?timeout=${timeoutMs}`, { headers: { accept: V2_BINARY } });
    await expectOk(response, 'records');
    return (await response.json()) as { value: string | null }[];
  }

  async delete(): Promise<void> {
    const response = await fetch(this.url, { method: 'DELETE', headers: { 'content-type': V2_JSON, accept: V2_JSON } });
    await response.arrayBuffer();
  }
}

export class UpstashConsumer {
  constructor(
    private readonly baseUrl: string,
    private readonly group: string,
    private readonly instance: string,
    private readonly topic: string,
  ) {}

  /** One consume call; the first creates the instance, reading from the earliest offset. */
  async poll(timeoutMs: number): Promise<{ value: string }[]> {
    const url = `${this.baseUrl}/upstash/consume/${encodeURIComponent(this.group)}/${encodeURIComponent(this.instance)}/${encodeURIComponent(this.topic)}?timeout=${timeoutMs}`;
    const response = await fetch(url, { headers: { 'kafka-auto-offset-reset': 'earliest' } });
    await expectOk(response, 'upstash consume');
    return (await response.json()) as { value: string }[];
  }

  async delete(): Promise<void> {
    const response = await fetch(`${this.baseUrl}/upstash/delete-consumer/${encodeURIComponent(this.group)}/${encodeURIComponent(this.instance)}`, { method: 'POST' });
    await response.arrayBuffer();
  }
}

export interface ReadResult {
  readonly recordsPerSecond: number;
  readonly polls: number;
}

/**
 * Polls until `count` records came back; returns records per second, timed from the first call (so the group join
 * is included, as it is for the native consumer), and the number of polls. Checks that the values are the bytes
 * that were produced.
 */
export async function readAll(
  poll: () => Promise<{ value: string | null }[]>,
  options: { count: number; timeoutMs: number; decode: (value: string) => Buffer; expected: Buffer },
): Promise<ReadResult> {
  const started = performance.now();
  const deadline = started + options.timeoutMs;
  let seen = 0;
  let polls = 0;
  let checked = false;
  while (seen < options.count) {
    if (performance.now() > deadline) throw new Error(`read ${seen} of ${options.count} records in ${options.timeoutMs} ms`);
    const records = await poll();
    polls++;
    const first = records[0];
    if (!checked && first) {
      if (first.value === null || !options.decode(first.value).equals(options.expected)) {
        throw new Error(`a consumed value is not what was produced: ${JSON.stringify(first.value).slice(0, 200)}`);
      }
      checked = true;
    }
    seen += records.length;
  }
  return { recordsPerSecond: options.count / ((performance.now() - started) / 1000), polls };
}
