/**
 * The certificates of a PKCS#12 file (RFC 7292), for truststores: Node takes a PKCS#12 keystore as `pfx`, but only
 * one that holds a private key, and a truststore holds certificates only. Reads what keytool (Java 9+) and OpenSSL 3
 * write: plain or PBES2-encrypted (PBKDF2 + AES/3DES-CBC) or pbeWithSHAAnd3-KeyTripleDES-CBC-encrypted contents,
 * with the file's MAC checked against the password.
 */
import { createDecipheriv, createHash, createHmac, pbkdf2Sync, timingSafeEqual, X509Certificate } from 'node:crypto';

export class Pkcs12Error extends Error {}

interface Der {
  readonly tag: number;
  /** The value's bytes (without tag and length). */
  readonly value: Buffer;
}

function readDer(buffer: Buffer, offset = 0): Der & { readonly end: number } {
  const tag = buffer[offset];
  let length = buffer[offset + 1];
  if (tag === undefined || length === undefined) throw new Pkcs12Error('truncated DER');
  let start = offset + 2;
  if (length & 0x80) {
    const bytes = length & 0x7f;
    if (bytes === 0 || bytes > 4) throw new Pkcs12Error('unsupported DER length (indefinite-length BER?)');
    length = buffer.readUIntBE(start, bytes);
    start += bytes;
  }
  const end = start + length;
  if (end > buffer.length) throw new Pkcs12Error('truncated DER');
  return { tag, value: buffer.subarray(start, end), end };
}

function children(node: Der): Der[] {
  const out: Der[] = [];
  for (let offset = 0; offset < node.value.length; ) {
    const child = readDer(node.value, offset);
    out.push(child);
    offset = child.end;
  }
  return out;
}

function child(node: Der, index: number): Der {
  const found = children(node)[index];
  if (!found) throw new Pkcs12Error('unexpected PKCS#12 structure');
  return found;
}

function oid(node: Der): string {
  const bytes = node.value;
  const first = bytes[0] ?? 0;
  const parts = [Math.floor(first / 40), first % 40];
  let value = 0;
  for (const byte of bytes.subarray(1)) {
    value = value * 128 + (byte & 0x7f);
    if (!(byte & 0x80)) {
      parts.push(value);
      value = 0;
    }
  }
  return parts.join('.');
}

function integer(node: Der): number {
  return node.value.readUIntBE(0, Math.min(node.value.length, 6));
}

/** The bytes of an OCTET STRING, also when BER splits it into a constructed one. */
function octets(node: Der): Buffer {
  return node.tag === 0x24 ? Buffer.concat(children(node).map(octets)) : node.value;
}

/** The content of a `[0] EXPLICIT` wrapper. */
function explicit(node: Der): Der {
  return child(node, 0);
}

const OID = {
  data: '1.2.840.113549.1.7.1',
  encryptedData: '1.2.840.113549.1.7.6',
  certBag: '1.2.840.113549.1.12.10.1.3',
  x509Certificate: '1.2.840.113549.1.9.22.1',
  pbes2: '1.2.840.113549.1.5.13',
  pbkdf2: '1.2.840.113549.1.5.12',
  pbeSha3Des: '1.2.840.113549.1.12.1.3',
} as const;

const HASHES: Readonly<Record<string, { name: string; block: number }>> = {
  '1.3.14.3.2.26': { name: 'sha1', block: 64 },
  '2.16.840.1.101.3.4.2.1': { name: 'sha256', block: 64 },
  '2.16.840.1.101.3.4.2.2': { name: 'sha384', block: 128 },
  '2.16.840.1.101.3.4.2.3': { name: 'sha512', block: 128 },
};

const HMAC_PRFS: Readonly<Record<string, string>> = {
  '1.2.840.113549.2.7': 'sha1',
  '1.2.840.113549.2.9': 'sha256',
  '1.2.840.113549.2.10': 'sha384',
  '1.2.840.113549.2.11': 'sha512',
};

const CIPHERS: Readonly<Record<string, { name: string; keyLength: number }>> = {
  '2.16.840.1.101.3.4.1.2': { name: 'aes-128-cbc', keyLength: 16 },
  '2.16.840.1.101.3.4.1.22': { name: 'aes-192-cbc', keyLength: 24 },
  '2.16.840.1.101.3.4.1.42': { name: 'aes-256-cbc', keyLength: 32 },
  '1.2.840.113549.3.7': { name: 'des-ede3-cbc', keyLength: 24 },
};

/** The password as PKCS#12's own key derivation takes it: UTF-16BE with a terminating NUL. */
function bmpPassword(password: string): Buffer {
  if (password === '') return Buffer.alloc(0);
  const utf16 = Buffer.from(`${password}\u0000`, 'utf16le');
  return utf16.swap16();
}

function repeatTo(source: Buffer, blockSize: number): Buffer {
  if (source.length === 0) return source;
  const length = blockSize * Math.ceil(source.length / blockSize);
  const out = Buffer.alloc(length);
  for (let i = 0; i < length; i++) out[i] = source[i % source.length]!;
  return out;
}

/** RFC 7292 appendix B.2. `id`: 1 key, 2 IV, 3 MAC key. */
function pkcs12Kdf(hash: { name: string; block: number }, password: string, salt: Buffer, id: number, iterations: number, size: number): Buffer {
  const v = hash.block;
  const d = Buffer.alloc(v, id);
  const i = Buffer.concat([repeatTo(salt, v), repeatTo(bmpPassword(password), v)]);
  const out: Buffer[] = [];
  let produced = 0;
  while (produced < size) {
    let a = createHash(hash.name).update(d).update(i).digest();
    for (let n = 1; n < iterations; n++) a = createHash(hash.name).update(a).digest();
    out.push(a);
    produced += a.length;
    const b = repeatTo(a, v);
    for (let block = 0; block < i.length; block += v) {
      let carry = 1;
      for (let k = v - 1; k >= 0; k--) {
        const sum = i[block + k]! + b[k]! + carry;
        i[block + k] = sum & 0xff;
        carry = sum >> 8;
      }
    }
  }
  return Buffer.concat(out).subarray(0, size);
}

function verifyMac(macData: Der, content: Buffer, password: string): void {
  const [digestInfo, salt, iterations] = children(macData);
  if (!digestInfo || !salt) throw new Pkcs12Error('malformed MAC');
  const algorithm = oid(child(child(digestInfo, 0), 0));
  const hash = HASHES[algorithm];
  if (!hash) throw new Pkcs12Error(`unsupported MAC digest ${algorithm}`);
  const expected = child(digestInfo, 1).value;
  const key = pkcs12Kdf(hash, password, salt.value, 3, iterations ? integer(iterations) : 1, createHash(hash.name).digest().length);
  const actual = createHmac(hash.name, key).update(content).digest();
  if (actual.length !== expected.length || !timingSafeEqual(actual, expected)) throw new Pkcs12Error('wrong password (MAC check failed)');
}

function decipher(name: string, key: Buffer, iv: Buffer, data: Buffer): Buffer {
  try {
    const d = createDecipheriv(name, key, iv);
    return Buffer.concat([d.update(data), d.final()]);
  } catch {
    throw new Pkcs12Error('cannot decrypt (wrong password?)');
  }
}

function decrypt(algorithm: Der, data: Buffer, password: string): Buffer {
  const algorithmOid = oid(child(algorithm, 0));
  const params = child(algorithm, 1);
  if (algorithmOid === OID.pbeSha3Des) {
    const salt = child(params, 0).value;
    const iterations = integer(child(params, 1));
    const sha1 = HASHES['1.3.14.3.2.26']!;
    return decipher('des-ede3-cbc', pkcs12Kdf(sha1, password, salt, 1, iterations, 24), pkcs12Kdf(sha1, password, salt, 2, iterations, 8), data);
  }
  if (algorithmOid !== OID.pbes2) throw new Pkcs12Error(`unsupported encryption ${algorithmOid} (re-create the file with keytool or OpenSSL 3, or use PEM)`);
  const kdf = child(params, 0);
  const scheme = child(params, 1);
  if (oid(child(kdf, 0)) !== OID.pbkdf2) throw new Pkcs12Error('unsupported PBES2 key derivation');
  const kdfParams = children(child(kdf, 1));
  const salt = kdfParams[0]!.value;
  const iterations = integer(kdfParams[1]!);
  const prfNode = kdfParams.find((node) => node.tag === 0x30);
  const prf = prfNode ? HMAC_PRFS[oid(child(prfNode, 0))] : 'sha1';
  const cipher = CIPHERS[oid(child(scheme, 0))];
  if (!prf || !cipher) throw new Pkcs12Error('unsupported PBES2 cipher or PRF');
  const key = pbkdf2Sync(Buffer.from(password, 'utf8'), salt, iterations, cipher.keyLength, prf);
  return decipher(cipher.name, key, child(scheme, 1).value, data);
}

function safeContentsOf(contentInfo: Der, password: string): Buffer {
  const type = oid(child(contentInfo, 0));
  if (type === OID.data) return octets(explicit(child(contentInfo, 1)));
  if (type !== OID.encryptedData) throw new Pkcs12Error(`unsupported content type ${type}`);
  const encryptedContentInfo = child(explicit(child(contentInfo, 1)), 1);
  const [, algorithm, encrypted] = children(encryptedContentInfo);
  if (!algorithm || !encrypted) throw new Pkcs12Error('malformed encrypted content');
  const data = encrypted.tag === 0xa0 ? Buffer.concat(children(encrypted).map((n) => n.value)) : encrypted.value;
  return decrypt(algorithm, data, password);
}

function certificatesIn(safeContents: Buffer): X509Certificate[] {
  const certificates: X509Certificate[] = [];
  for (const bag of children(readDer(safeContents))) {
    if (oid(child(bag, 0)) !== OID.certBag) continue;
    const certBag = explicit(child(bag, 1));
    if (oid(child(certBag, 0)) !== OID.x509Certificate) continue;
    certificates.push(new X509Certificate(octets(explicit(child(certBag, 1)))));
  }
  return certificates;
}

/** Every certificate in the file, as PEM. Throws Pkcs12Error on a wrong password or an unsupported file. */
export function pkcs12Certificates(file: Buffer, password: string): string[] {
  const pfx = readDer(file);
  const [, authSafe, macData] = children(pfx);
  if (!authSafe) throw new Pkcs12Error('not a PKCS#12 file');
  if (oid(child(authSafe, 0)) !== OID.data) throw new Pkcs12Error('only password-integrity PKCS#12 files are supported');
  const content = octets(explicit(child(authSafe, 1)));
  if (macData) verifyMac(macData, content, password);
  return children(readDer(content)).flatMap((info) => certificatesIn(safeContentsOf(info, password)).map((cert) => cert.toString()));
}
