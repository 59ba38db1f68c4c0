/**
 * Certificates made for a test run with the real tools: `openssl` (a CA, an HTTPS server certificate, client
 * certificates, PKCS12 and PEM stores) and `keytool` (a broker's PKCS12 keystore and a Java PKCS12 truststore).
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import type { IncomingHttpHeaders } from 'node:http';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

async function openssl(dir: string, ...args: string[]): Promise<void> {
  await run('openssl', args, { cwd: dir, timeout: 30_000 });
}

const EC_KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1'];

export interface KeyPair {
  /** PEM, unencrypted. */
  readonly key: string;
  readonly cert: string;
}

export class TestPki {
  private constructor(readonly dir: string) {}

  static async create(): Promise<TestPki> {
    const pki = new TestPki(await mkdtemp(join(tmpdir(), 'kafka-rest-pki-')));
    await pki.makeCa('ca');
    await pki.makeCa('rogue-ca');
    return pki;
  }

  path(name: string): string {
    return join(this.dir, name);
  }

  private async makeCa(name: string): Promise<void> {
    await openssl(this.dir, 'req', '-x509', ...EC_KEY, '-nodes', '-keyout', `${name}.key`, '-out', `${name}.pem`, '-subj', `/CN=${name}`, '-days', '2');
  }

  /** A certificate signed by `ca` ('ca' or 'rogue-ca'); files `<name>.key` and `<name>.pem`. */
  async issue(name: string, cn: string, options: { ca?: string; server?: boolean } = {}): Promise<KeyPair> {
    const ca = options.ca ?? 'ca';
    const extensions = options.server ? 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n' : 'extendedKeyUsage=clientAuth\n';
    await writeFile(this.path(`${name}.ext`), extensions);
    await openssl(this.dir, 'req', '-new', ...EC_KEY, '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${cn}`);
    await openssl(this.dir, 'x509', '-req', '-in', `${name}.csr`, '-CA', `${ca}.pem`, '-CAkey', `${ca}.key`, '-CAcreateserial', '-out', `${name}.pem`, '-days', '2', '-extfile', `${name}.ext`);
    return { key: await readFile(this.path(`${name}.key`), 'utf8'), cert: await readFile(this.path(`${name}.pem`), 'utf8') };
  }

  /** `openssl pkcs12 -export` of `<name>.key` + `<name>.pem` (+ the CA): a PKCS12 keystore. */
  async pkcs12Keystore(name: string, password: string): Promise<string> {
    const out = `${name}.p12`;
    await openssl(this.dir, 'pkcs12', '-export', '-inkey', `${name}.key`, '-in', `${name}.pem`, '-certfile', 'ca.pem', '-out', out, '-passout', `pass:${password}`);
    return this.path(out);
  }

  /** A PEM keystore: the key encrypted with `keyPassword`, then the certificate chain. */
  async pemKeystore(name: string, keyPassword: string): Promise<string> {
    const out = `${name}-keystore.pem`;
    await openssl(this.dir, 'pkcs8', '-topk8', '-in', `${name}.key`, '-out', `${name}-encrypted.key`, '-passout', `pass:${keyPassword}`);
    const parts = await Promise.all([`${name}-encrypted.key`, `${name}.pem`, 'ca.pem'].map((f) => readFile(this.path(f), 'utf8')));
    await writeFile(this.path(out), parts.join(''));
    return this.path(out);
  }

  /** `openssl pkcs12 -export -nokeys` of the CA: a PKCS12 truststore. */
  async pkcs12Truststore(password: string): Promise<string> {
    await openssl(this.dir, 'pkcs12', '-export', '-nokeys', '-in', 'ca.pem', '-out', 'ca-truststore.p12', '-passout', `pass:${password}`);
    return this.path('ca-truststore.p12');
  }
}

/** With keytool: a broker's self-signed PKCS12 keystore for 127.0.0.1, and a Java PKCS12 truststore trusting it. */
export async function keytoolBrokerStores(dir: string, password: string): Promise<{ keystore: string; truststore: string; certPem: string }> {
  const keystore = join(dir, 'broker.keystore.p12');
  const truststore = join(dir, 'broker.truststore.p12');
  const certPem = join(dir, 'broker.pem');
  const common = ['-storetype', 'PKCS12', '-storepass', password];
  await run('keytool', ['-genkeypair', '-alias', 'broker', '-keyalg', 'EC', '-groupname', 'secp256r1', '-dname', 'CN=localhost', '-ext', 'SAN=ip:127.0.0.1,dns:localhost', '-validity', '2', '-keystore', keystore, ...common]);
  await run('keytool', ['-exportcert', '-rfc', '-alias', 'broker', '-keystore', keystore, '-file', certPem, ...common]);
  await run('keytool', ['-importcert', '-noprompt', '-alias', 'broker-ca', '-file', certPem, '-keystore', truststore, ...common]);
  return { keystore, truststore, certPem };
}

export interface HttpsReply {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/** One HTTPS request with node:https, trusting `ca` and presenting `client` when given. */
export function httpsCall(
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: string; ca: string; client?: KeyPair },
): Promise<HttpsReply> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: init.method ?? 'GET', headers: init.headers, ca: init.ca, ...init.client, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(init.body);
  });
}
