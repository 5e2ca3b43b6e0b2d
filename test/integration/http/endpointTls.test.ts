import * as assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Endpoint, type EndpointOptions } from '../../../src/core/http/endpoint';
import { EndpointConfigError, MesosHttpError, TlsError } from '../../../src/core/http/errors';
import { type LoopbackServer, startLoopbackServer } from '../../support/loopbackServer';
import { createTestCertificates, type TestCertificates } from '../../support/testCertificates';

const OPTIONS = { timeout: 10_000 };
const signal = () => new AbortController().signal;

let certs: TestCertificates;
let master: LoopbackServer;
let wrongName: LoopbackServer;
let plain: LoopbackServer;

before(async () => {
  certs = await createTestCertificates();
  const answer = (_req: unknown, res: { end(body: string): void }) => res.end('{"leader":true}');
  master = await startLoopbackServer(answer, { tls: certs.server });
  wrongName = await startLoopbackServer(answer, { tls: certs.wrongName });
  plain = await startLoopbackServer(answer);
});
after(async () => {
  await Promise.all([master.close(), wrongName.close(), plain.close()]);
});

async function attempt(options: EndpointOptions): Promise<string | MesosHttpError> {
  const endpoint = new Endpoint(options);
  try {
    const res = await endpoint.request({ path: '/master/state', signal: signal() });
    return Buffer.from(res.body).toString('utf8');
  } catch (err) {
    assert.ok(err instanceof MesosHttpError, String(err));
    return err;
  } finally {
    await endpoint.close();
  }
}

test(
  'a certificate from an unknown CA is a TlsError whose next step names the CA file and insecure',
  OPTIONS,
  async () => {
    const err = await attempt({ baseUrl: master.url, name: 'Mesos master' });
    assert.ok(err instanceof TlsError);
    assert.equal(err.kind, 'untrusted');
    assert.equal(err.code, 'UNABLE_TO_VERIFY_LEAF_SIGNATURE');
    assert.match(err.message, /^The TLS certificate of https:\/\/127\.0\.0\.1:\d+ is not trusted/);
    assert.match(err.nextStep, /CA file \(ca\)/);
    assert.match(err.nextStep, /insecure/);
    assert.equal(err.retryable, false);
  },
);

test('the same server is trusted with the CA, and reachable with insecure: true', OPTIONS, async () => {
  assert.equal(await attempt({ baseUrl: master.url, ca: certs.ca }), '{"leader":true}');
  assert.equal(await attempt({ baseUrl: master.url, ca: Buffer.from(certs.ca) }), '{"leader":true}');
  assert.equal(await attempt({ baseUrl: master.url, insecure: true }), '{"leader":true}');
});

test('a CA that did not sign the certificate says the configured CA is the wrong one', OPTIONS, async () => {
  const other = await createTestCertificates();
  const err = await attempt({ baseUrl: master.url, ca: other.ca });
  assert.ok(err instanceof TlsError && err.kind === 'untrusted');
  assert.match(err.nextStep, /^The configured CA did not sign this certificate/);
});

test('a certificate for another host name is a hostname-mismatch TlsError', OPTIONS, async () => {
  const err = await attempt({ baseUrl: wrongName.url, ca: certs.ca });
  assert.ok(err instanceof TlsError);
  assert.equal(err.kind, 'hostname-mismatch');
  assert.match(err.message, /is not issued for 127\.0\.0\.1/);
});

test(
  'an https URL pointing at a plain HTTP port is a handshake TlsError that suggests checking the scheme',
  OPTIONS,
  async () => {
    const err = await attempt({ baseUrl: plain.url.replace('http:', 'https:') });
    assert.ok(err instanceof TlsError);
    assert.equal(err.kind, 'handshake');
    assert.match(err.nextStep, /scheme and port/);
  },
);

test('a CA that is not PEM (a file path, garbage) is refused when the endpoint is made', () => {
  assert.throws(
    () => new Endpoint({ baseUrl: master.url, ca: '/etc/mesos/ca.pem' }),
    (err) => err instanceof EndpointConfigError && err.field === 'ca' && /looks like a file path/.test(err.message),
  );
  assert.throws(
    () => new Endpoint({ baseUrl: master.url, ca: '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n' }),
    (err) => err instanceof EndpointConfigError && err.field === 'ca' && /cannot be parsed/.test(err.message),
  );
});
