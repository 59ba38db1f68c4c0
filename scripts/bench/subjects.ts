/** The HTTP servers under test and the produce requests each dialect takes for the same 100-byte records. */

export type SubjectKind = 'ours' | 'peer' | 'native';
export type Dialect = 'v3' | 'v2' | 'upstash';

export interface HttpSubject {
  /** As shown in the tables: `ours v3`, `bridge v2`, ... */
  readonly label: string;
  readonly kind: Exclude<SubjectKind, 'native'>;
  readonly dialect: Dialect;
  readonly baseUrl: string;
  /** The server's process, for its CPU time. */
  readonly pid?: number;
}

export interface HttpRequestSpec {
  readonly method: 'GET' | 'POST';
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
}

export const V2_JSON = 'application/vnd.kafka.v2+json';
export const V2_BINARY = 'application/vnd.kafka.binary.v2+json';

/** The record value every scenario sends: printable ASCII, so the Upstash dialect's string value is the same bytes. */
export function recordValue(bytes: number): Buffer {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  return Buffer.from(Array.from({ length: bytes }, (_, i) => alphabet[i % alphabet.length]).join(''), 'ascii');
}

export function oursSubjects(baseUrl: string, pid?: number): HttpSubject[] {
  const process = pid === undefined ? {} : { pid };
  return [
    { label: 'ours v3', kind: 'ours', dialect: 'v3', baseUrl, ...process },
    { label: 'ours v2', kind: 'ours', dialect: 'v2', baseUrl, ...process },
    { label: 'ours Upstash', kind: 'ours', dialect: 'upstash', baseUrl, ...process },
  ];
}

export function bridgeSubject(baseUrl: string, pid?: number): HttpSubject {
  return { label: 'bridge v2', kind: 'peer', dialect: 'v2', baseUrl, ...(pid === undefined ? {} : { pid }) };
}

/** One request producing `count` copies of `value` to `topic`; v3 takes one record per JSON document. */
export function produceRequest(subject: HttpSubject, target: { topic: string; clusterId: string }, value: Buffer, count: number): HttpRequestSpec {
  const topic = encodeURIComponent(target.topic);
  switch (subject.dialect) {
    case 'v3': {
      const record = JSON.stringify({ value: { type: 'BINARY', data: value.toString('base64') } });
      return {
        method: 'POST',
        url: `${subject.baseUrl}/v3/clusters/${encodeURIComponent(target.clusterId)}/topics/${topic}/records`,
        headers: { 'content-type': 'application/json' },
        body: Array.from({ length: count }, () => record).join('\n'),
      };
    }
    case 'v2': {
      const record = { value: value.toString('base64') };
      return {
        method: 'POST',
        url: `${subject.baseUrl}/topics/${topic}`,
        headers: { 'content-type': V2_BINARY, accept: V2_JSON },
        body: JSON.stringify({ records: Array.from({ length: count }, () => record) }),
      };
    }
    case 'upstash': {
      const message = { value: value.toString('ascii') };
      return {
        method: 'POST',
        url: `${subject.baseUrl}/upstash/produce/${topic}`,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(count === 1 ? message : Array.from({ length: count }, () => message)),
      };
    }
  }
}
