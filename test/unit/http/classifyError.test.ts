import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { errors as undiciErrors } from 'undici';
import { classifyError } from '../../../src/core/http/classifyError';
import {
  ConnectionError,
  HttpStatusError,
  MesosHttpError,
  RequestAbortedError,
  TimeoutError,
  TlsError,
} from '../../../src/core/http/errors';

const ENDPOINT = 'http://ops:secret@m1.example:5050';
const context = { peer: 'Mesos master', method: 'GET', url: 'http://m1.example:5050/master/state' };

function systemError(code: string, extra: Record<string, unknown> = {}): Error {
  return Object.assign(new Error(`${code} happened`), { code, ...extra });
}

test('the endpoint in every classified error is stripped of credentials', () => {
  const err = classifyError(systemError('ECONNREFUSED'), ENDPOINT, context);
  assert.equal(err.endpoint, 'http://m1.example:5050');
  assert.ok(!err.message.includes('secret'));
});

test('already-classified errors pass through unchanged', () => {
  const original = classifyError(systemError('ECONNRESET'), ENDPOINT);
  assert.equal(classifyError(original, 'http://elsewhere'), original);
});

test('DNS failures name the host and hint at internal leader names', () => {
  const err = classifyError(systemError('ENOTFOUND', { hostname: 'leader.internal' }), ENDPOINT, context);
  assert.ok(err instanceof ConnectionError);
  assert.equal(err.kind, 'dns');
  assert.match(err.message, /^The host name leader\.internal cannot be resolved \(ENOTFOUND\)/);
  assert.match(err.nextStep, /leader redirect may name a host only known inside the cluster/);
});

test('system codes map to their connection kinds', () => {
  const cases: [string, ConnectionError['kind']][] = [
    ['ECONNRESET', 'reset'],
    ['EPIPE', 'reset'],
    ['UND_ERR_SOCKET', 'reset'],
    ['EHOSTUNREACH', 'unreachable'],
    ['ENETUNREACH', 'unreachable'],
    ['EAI_AGAIN', 'dns'],
    ['HPE_INVALID_CONSTANT', 'protocol'],
    ['ESOMETHINGNEW', 'other'],
  ];
  for (const [code, kind] of cases) {
    const err = classifyError(systemError(code), ENDPOINT, context);
    assert.ok(err instanceof ConnectionError, code);
    assert.equal(err.kind, kind, code);
    assert.equal(err.code, code);
    assert.equal(err.retryable, kind !== 'protocol', code);
  }
});

test("Node 20's AggregateError from happy-eyeballs connects is unwrapped to its first coded error", () => {
  const aggregate = new AggregateError([systemError('ECONNREFUSED', { address: '::1', port: 5050 })], 'connect failed');
  const err = classifyError(aggregate, 'http://localhost:5050', context);
  assert.ok(err instanceof ConnectionError && err.kind === 'refused');
  assert.match(err.message, /nothing is listening at \[::1\]:5050/);
});

test("undici's timeouts become TimeoutError naming the clock and its duration", () => {
  const timeouts = { connectMs: 1000, headersMs: 2000, bodyMs: 3000 };
  const cases: [Error, TimeoutError['timeout'], number][] = [
    [new undiciErrors.ConnectTimeoutError(), 'connect', 1000],
    [new undiciErrors.HeadersTimeoutError(), 'headers', 2000],
    [new undiciErrors.BodyTimeoutError(), 'body', 3000],
  ];
  for (const [cause, which, ms] of cases) {
    const err = classifyError(cause, ENDPOINT, { ...context, timeouts });
    assert.ok(err instanceof TimeoutError, which);
    assert.equal(err.timeout, which);
    assert.equal(err.timeoutMs, ms);
    assert.match(err.message, new RegExp(`${ms} ms`));
    assert.equal(err.cause, cause);
  }
});

test("a fired signal makes anything a cancellation; a timeout signal's reason is a deadline", () => {
  const controller = new AbortController();
  controller.abort();
  const aborted = classifyError(systemError('ECONNRESET'), ENDPOINT, { ...context, signal: controller.signal });
  assert.ok(aborted instanceof RequestAbortedError && aborted.reason === 'signal');

  const timedOut = new AbortController();
  timedOut.abort(new DOMException('The operation was aborted due to timeout', 'TimeoutError'));
  const deadline = classifyError(new Error('aborted'), ENDPOINT, { ...context, signal: timedOut.signal });
  assert.ok(deadline instanceof TimeoutError && deadline.timeout === 'deadline');
});

test('a destroyed dispatcher is a cancellation by close()', () => {
  const err = classifyError(new undiciErrors.ClientDestroyedError(), ENDPOINT, context);
  assert.ok(err instanceof RequestAbortedError);
  assert.equal(err.reason, 'closed');
});

test("a proxy's refusal to tunnel is a proxy ConnectionError, not a cancellation", () => {
  const err = classifyError(
    new undiciErrors.RequestAbortedError('Proxy response (403) !== 200 when HTTP Tunneling'),
    ENDPOINT,
    { ...context, proxy: 'http://u:p@proxy.example:3128' },
  );
  assert.ok(err instanceof ConnectionError && err.kind === 'proxy');
  assert.match(err.message, /The proxy at http:\/\/proxy\.example:3128 refused .* \(status 403\)/);
});

test('TLS codes map to TLS kinds; an OpenSSL reason replaces its multi-line message', () => {
  const expired = classifyError(systemError('CERT_HAS_EXPIRED'), 'https://m1:5050', context);
  assert.ok(expired instanceof TlsError && expired.kind === 'expired');
  const selfSigned = classifyError(systemError('DEPTH_ZERO_SELF_SIGNED_CERT'), 'https://m1:5050', context);
  assert.ok(selfSigned instanceof TlsError && selfSigned.kind === 'untrusted');
  const wrongVersion = classifyError(
    systemError('ERR_SSL_WRONG_VERSION_NUMBER', { reason: 'wrong version number', message: 'a:b:c\nd' }),
    'https://m1:5050',
    context,
  );
  assert.ok(wrongVersion instanceof TlsError && wrongVersion.kind === 'handshake');
  assert.match(wrongVersion.message, /\(ERR_SSL_WRONG_VERSION_NUMBER: wrong version number\)/);
});

test('an error with no code is a plain MesosHttpError that keeps its cause, never a guessed network failure', () => {
  const bug = new TypeError('x is not a function');
  const err = classifyError(bug, ENDPOINT, context);
  assert.equal(Object.getPrototypeOf(err), MesosHttpError.prototype);
  assert.equal(err.category, 'unknown');
  assert.equal(err.cause, bug);
  assert.match(err.message, /TypeError: x is not a function/);
  assert.ok(!(err instanceof HttpStatusError));
});
