import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const OPENSSL = '/usr/bin/openssl';

export interface TestKeyPair {
  key: string;
  cert: string;
}

export interface TestCertificates {
  /** PEM of the test CA that signed both server certificates. */
  ca: string;
  /** For `localhost`, `127.0.0.1` and `mesos-master.test` (the name the proxy tests reach through a proxy). */
  server: TestKeyPair;
  /** Signed by the same CA but only for `elsewhere.test`: a host-name mismatch on 127.0.0.1. */
  wrongName: TestKeyPair;
}

/**
 * A throwaway CA and two server certificates, made with the openssl CLI in a temp dir that is removed
 * before this returns: no private key is ever checked in. EC P-256 keys keep it fast.
 */
export async function createTestCertificates(): Promise<TestCertificates> {
  const dir = await mkdtemp(join(tmpdir(), 'mesos-ops-certs-'));
  const path = (name: string) => join(dir, name);
  const ecKey = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  try {
    await run(OPENSSL, [
      'req',
      '-x509',
      '-new',
      ...ecKey,
      '-keyout',
      path('ca.key'),
      '-out',
      path('ca.pem'),
      '-days',
      '2',
      '-subj',
      '/CN=Mesos Ops Test CA',
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign',
    ]);
    const leaf = async (name: string, altNames: string): Promise<TestKeyPair> => {
      await run(OPENSSL, [
        'req',
        '-new',
        ...ecKey,
        '-keyout',
        path(`${name}.key`),
        '-out',
        path(`${name}.csr`),
        '-subj',
        `/CN=${name}`,
      ]);
      await writeFile(
        path(`${name}.ext`),
        `subjectAltName=${altNames}\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature\nextendedKeyUsage=serverAuth\n`,
      );
      await run(OPENSSL, [
        'x509',
        '-req',
        '-in',
        path(`${name}.csr`),
        '-CA',
        path('ca.pem'),
        '-CAkey',
        path('ca.key'),
        '-CAcreateserial',
        '-out',
        path(`${name}.pem`),
        '-days',
        '2',
        '-extfile',
        path(`${name}.ext`),
      ]);
      return { key: await readFile(path(`${name}.key`), 'utf8'), cert: await readFile(path(`${name}.pem`), 'utf8') };
    };
    return {
      ca: await readFile(path('ca.pem'), 'utf8'),
      server: await leaf('localhost', 'DNS:localhost,IP:127.0.0.1,DNS:mesos-master.test'),
      wrongName: await leaf('elsewhere', 'DNS:elsewhere.test'),
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
