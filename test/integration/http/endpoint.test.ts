import * as assert from 'node:assert/strict';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { after, before, test } from 'node:test';
import { inspect } from 'node:util';
import { Endpoint, type EndpointOptions } from '../../../src/core/http/endpoint';
import {
  BodyTooLargeError,
  ConnectionError,
  HttpStatusError,
  type HttpStatusErrorKind,
  MesosHttpError,
  RequestAbortedError,
  TimeoutError,
  UnexpectedResponseError,
} from '../../../src/core/http/errors';
import { resolveRedirect } from '../../../src/core/http/resolveRedirect';
import { createLogger, MemorySink } from '../../../src/core/log/logSink';
import { decodeRecordIO } from '../../../src/core/mesos/recordio/recordIoDecoder';
import { encodeRecord } from '../../../src/core/mesos/recordio/recordIoEncoder';
import {
  closedPort,
  type LoopbackHandler,
  type LoopbackServer,
  startLoopbackServer,
} from '../../support/loopbackServer';

const PRINCIPAL = 'ops-principal';
const SECRET = 'very:secret-Value-42';
const SECRET_BASE64 = Buffer.from(`${PRINCIPAL}:${SECRET}`).toString('base64');

const text = (bytes: Uint8Array) => Buffer.from(bytes).toString('utf8');
const signal = () => new AbortController().signal;
const OPTIONS = { timeout: 10_000 };

/** Routes that act like the parts of a Mesos master (and of things in front of one) the layer must handle. */
const routes: LoopbackHandler = (req: IncomingMessage, res: ServerResponse) => {
  const url = new URL(req.url ?? '/', 'http://x');
  const status = /^\/status\/(\d{3})$/.exec(url.pathname)?.[1];
  if (status) {
    const headers: Record<string, string> = { 'content-type': 'text/plain; charset=utf-8' };
    if (status === '401') headers['www-authenticate'] = 'Basic realm="mesos-master-readwrite"';
    res.writeHead(Number(status), headers);
    res.end(`Reason for ${status}:\n  Master has not finished recovery\n`);
    return;
  }
  switch (url.pathname) {
    case '/master/state':
      res.writeHead(200, {
        'content-type': 'application/json',
        'x-seen-content-type': req.headers['content-type'] ?? '',
      });
      res.end(JSON.stringify({ query: Object.fromEntries(url.searchParams), method: req.method }));
      return;
    case '/api/v1/scheduler':
      res.writeHead(202);
      res.end();
      return;
    case '/html-error':
      res.writeHead(502, { 'content-type': 'text/html' });
      res.end('<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><h1>nginx</h1></body></html>');
      return;
    case '/login':
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end('<html><head><title>Sign in &amp; continue</title></head><body><form></form></body></html>');
      return;
    case '/big':
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '2000' });
      res.end(Buffer.alloc(2000, 0x20));
      return;
    case '/big-chunked':
      res.writeHead(200, { 'content-type': 'application/json' });
      for (let i = 0; i < 3; i++) res.write(Buffer.alloc(1000, 0x20));
      res.end();
      return;
    case '/stream': {
      res.writeHead(200, { 'content-type': 'application/json', 'mesos-stream-id': 'stream-1' });
      const wire = Buffer.concat([
        encodeRecord('{"type":"SUBSCRIBED"}'),
        encodeRecord('{"type":"HEARTBEAT"}'),
        encodeRecord('{"type":"OFFERS"}'),
      ]);
      // Split mid-record on purpose, in separate writes so the client sees several chunks.
      res.write(wire.subarray(0, 10));
      setImmediate(() => {
        res.write(wire.subarray(10, 30));
        setImmediate(() => res.end(wire.subarray(30)));
      });
      return;
    }
    case '/stall':
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write(encodeRecord('{"type":"SUBSCRIBED"}'));
      return; // and never another byte
    case '/hang':
      return; // no headers ever
    default:
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end(`No route ${url.pathname}`);
  }
};

let server: LoopbackServer;
before(async () => {
  server = await startLoopbackServer(routes);
});
after(async () => {
  await server.close();
});

async function withEndpoint<T>(options: Partial<EndpointOptions>, fn: (endpoint: Endpoint) => Promise<T>): Promise<T> {
  const endpoint = new Endpoint({ baseUrl: server.url, ...options });
  try {
    return await fn(endpoint);
  } finally {
    await endpoint.close();
  }
}

/** The server saw the connection of its only request close (undici may open a spare one; that is close()'s job). */
async function connectionClosed(own: LoopbackServer): Promise<void> {
  assert.equal(own.requests.length, 1);
  await own.requests[0]!.socketClosed;
}

async function rejection(promise: Promise<unknown>): Promise<MesosHttpError> {
  try {
    await promise;
  } catch (err) {
    assert.ok(err instanceof MesosHttpError, `expected a MesosHttpError, got ${inspect(err)}`);
    return err;
  }
  assert.fail('expected the request to fail');
}

test(
  'a JSON GET returns status, headers and the whole body; query and Content-Type pass through untouched',
  OPTIONS,
  () =>
    withEndpoint({}, async (endpoint) => {
      const res = await endpoint.request({
        method: 'POST',
        path: '/master/state',
        query: { framework_id: 'fw-1', limit: 100, order: undefined },
        headers: { 'Content-Type': 'application/json' },
        body: '{}',
        signal: signal(),
      });
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('content-type'), 'application/json');
      // Mesos compares Content-Type as a plain string: the layer must not append "; charset=…".
      assert.equal(res.headers.get('x-seen-content-type'), 'application/json');
      assert.deepEqual(JSON.parse(text(res.body)), { query: { framework_id: 'fw-1', limit: '100' }, method: 'POST' });
      assert.equal(res.url.href, `${server.url}/master/state?framework_id=fw-1&limit=100`);
    }),
);

test('a 202 Accepted comes back as a response with an empty body, not an error', OPTIONS, () =>
  withEndpoint({}, async (endpoint) => {
    const res = await endpoint.request({ method: 'POST', path: '/api/v1/scheduler', body: '{}', signal: signal() });
    assert.equal(res.status, 202);
    assert.equal(res.body.length, 0);
  }),
);

const statusCases: [number, HttpStatusErrorKind, RegExp][] = [
  [400, 'bad-request', /reason above says what was wrong/],
  [401, 'unauthorized', /Check the principal \(user name\) and secret/],
  [403, 'forbidden', /grant the permission/],
  [404, 'not-found', /Check the URL/],
  [406, 'not-acceptable', /Accept header/],
  [415, 'unsupported-media-type', /no "; charset" parameter/],
  [409, 'client-error', /status and reason above/],
  [503, 'unavailable', /Retry with backoff/],
  [500, 'server-error', /Retry later/],
  [502, 'server-error', /Retry later/],
];

for (const [status, kind, nextStep] of statusCases) {
  test(`${status} becomes HttpStatusError '${kind}' with the text/plain reason and a next step`, OPTIONS, () =>
    withEndpoint({ name: 'Mesos master', auth: { principal: PRINCIPAL, secret: SECRET } }, async (endpoint) => {
      const err = await rejection(endpoint.request({ path: `/status/${status}`, signal: signal() }));
      assert.ok(err instanceof HttpStatusError);
      assert.equal(err.kind, kind);
      assert.equal(err.status, status);
      assert.equal(err.reason, `Reason for ${status}: Master has not finished recovery`);
      assert.equal(err.html, false);
      assert.equal(err.endpoint, server.url);
      assert.equal(err.url, `${server.url}/status/${status}`);
      assert.match(err.message, new RegExp(`^Mesos master at ${server.url} answered ${status} `));
      assert.match(err.message, /Reason for \d+: Master has not finished recovery/);
      assert.match(err.nextStep, nextStep);
      assert.ok(err.message.endsWith(err.nextStep));
      assert.equal(err.retryable, kind === 'unavailable' || kind === 'server-error');
    }),
  );
}

test('a 401 without configured credentials says credentials are missing, not wrong', OPTIONS, () =>
  withEndpoint({}, async (endpoint) => {
    const err = await rejection(endpoint.request({ path: '/status/401', signal: signal() }));
    assert.ok(err instanceof HttpStatusError && err.kind === 'unauthorized');
    assert.match(err.message, /no credentials are configured/);
    assert.match(err.nextStep, /^Configure a principal/);
  }),
);

test(
  'a 307 with a scheme-less Location is not followed: the error names the resolved leader URL',
  OPTIONS,
  async () => {
    const leader = await startLoopbackServer((_req, res) => res.end('leader'));
    const follower = await startLoopbackServer((_req, res) => {
      res.writeHead(307, { location: `//127.0.0.1:${leader.port}/master/api/v1/scheduler` });
      res.end();
    });
    const endpoint = new Endpoint({ baseUrl: follower.url, name: 'Mesos master' });
    try {
      const err = await rejection(
        endpoint.request({ method: 'POST', path: '/api/v1/scheduler', body: '{}', signal: signal() }),
      );
      assert.ok(err instanceof HttpStatusError);
      assert.equal(err.kind, 'redirect');
      assert.equal(err.location, `//127.0.0.1:${leader.port}/master/api/v1/scheduler`);
      assert.equal(err.redirectTo, `http://127.0.0.1:${leader.port}/master/api/v1/scheduler`);
      assert.match(err.message, /not the leader/);

      // Allowed, the 307 itself comes back, and resolveRedirect gives the same target from the response.
      const res = await endpoint.request({
        method: 'POST',
        path: '/api/v1/scheduler',
        body: '{}',
        signal: signal(),
        allowStatus: [307],
      });
      assert.equal(res.status, 307);
      assert.equal(resolveRedirect(res.headers.get('location') ?? '', res.url).href, err.redirectTo);
      assert.equal(leader.requests.length, 0, 'the redirect must not be followed');
    } finally {
      await endpoint.close();
      await leader.close();
      await follower.close();
    }
  },
);

test('connection refused on a closed port is a ConnectionError naming the address', OPTIONS, async () => {
  const port = await closedPort();
  const endpoint = new Endpoint({ baseUrl: `http://127.0.0.1:${port}`, name: 'Mesos master' });
  try {
    const err = await rejection(endpoint.request({ path: '/master/state', signal: signal() }));
    assert.ok(err instanceof ConnectionError);
    assert.equal(err.kind, 'refused');
    assert.equal(err.code, 'ECONNREFUSED');
    assert.equal(err.retryable, true);
    assert.match(err.message, new RegExp(`nothing is listening at 127\\.0\\.0\\.1:${port}\\. Check the URL and port`));
  } finally {
    await endpoint.close();
  }
});

test('Basic auth is sent on every request and the secret appears in no log line and no error', OPTIONS, async () => {
  const sink = new MemorySink();
  const endpoint = new Endpoint({
    baseUrl: server.url,
    name: 'Mesos master',
    auth: { principal: PRINCIPAL, secret: SECRET },
    log: createLogger(sink, 'http'),
  });
  try {
    await endpoint.request({ path: '/master/state', signal: signal() });
    const err = await rejection(endpoint.request({ path: '/status/401', signal: signal() }));
    const seen = server.requests.filter((r) => r.url === '/master/state' || r.url === '/status/401').slice(-2);
    assert.deepEqual(
      seen.map((r) => r.headers.authorization),
      [`Basic ${SECRET_BASE64}`, `Basic ${SECRET_BASE64}`],
    );
    assert.match(sink.text(), /GET .*\/master\/state -> 200/);
    assert.match(sink.text(), /GET .*\/status\/401 failed/);
    for (const output of [sink.text(), err.message, JSON.stringify(err), inspect(err, { depth: 10 })]) {
      assert.ok(!output.includes(SECRET), 'secret leaked');
      assert.ok(!output.includes(SECRET_BASE64), 'encoded credentials leaked');
    }
  } finally {
    await endpoint.close();
  }
});

test('credentials in the base URL are used for auth and never shown', OPTIONS, async () => {
  const endpoint = new Endpoint({ baseUrl: server.url.replace('//', `//${PRINCIPAL}:${encodeURIComponent(SECRET)}@`) });
  try {
    assert.equal(endpoint.display, server.url);
    const err = await rejection(endpoint.request({ path: '/status/403', signal: signal() }));
    assert.equal(server.requests.at(-1)?.headers.authorization, `Basic ${SECRET_BASE64}`);
    assert.ok(!err.message.includes(SECRET) && !err.message.includes(encodeURIComponent(SECRET)));
  } finally {
    await endpoint.close();
  }
});

test('a stream yields chunks as they arrive, and RecordIO decodes records split across them', OPTIONS, () =>
  withEndpoint({}, async (endpoint) => {
    const res = await endpoint.request({ method: 'POST', path: '/stream', body: '{}', signal: signal(), stream: true });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('mesos-stream-id'), 'stream-1');
    const events: string[] = [];
    for await (const record of decodeRecordIO(res.body)) events.push(text(record));
    assert.deepEqual(events, ['{"type":"SUBSCRIBED"}', '{"type":"HEARTBEAT"}', '{"type":"OFFERS"}']);
  }),
);

test(
  'aborting the signal mid-stream ends the read with RequestAbortedError and closes the socket',
  OPTIONS,
  async () => {
    const own = await startLoopbackServer(routes);
    const endpoint = new Endpoint({ baseUrl: own.url });
    const controller = new AbortController();
    try {
      const res = await endpoint.request({ path: '/stall', signal: controller.signal, stream: true });
      const err = await rejection(
        (async () => {
          for await (const chunk of res.body) {
            assert.equal(text(chunk), '21\n{"type":"SUBSCRIBED"}');
            controller.abort();
          }
        })(),
      );
      assert.ok(err instanceof RequestAbortedError);
      assert.equal(err.reason, 'signal');
      assert.equal(err.name, 'AbortError');
      await connectionClosed(own);
    } finally {
      await endpoint.close();
      await own.close();
    }
  },
);

test('an already aborted signal fails before anything is sent', OPTIONS, () =>
  withEndpoint({}, async (endpoint) => {
    const before = server.requests.length;
    const err = await rejection(endpoint.request({ path: '/master/state', signal: AbortSignal.abort() }));
    assert.ok(err instanceof RequestAbortedError);
    assert.equal(server.requests.length, before);
  }),
);

test('a stalled stream fails with a body TimeoutError after the idle timeout', OPTIONS, () =>
  withEndpoint({ bodyTimeoutMs: 300 }, async (endpoint) => {
    const res = await endpoint.request({ path: '/stall', signal: signal(), stream: true });
    const chunks: string[] = [];
    const err = await rejection(
      (async () => {
        for await (const chunk of res.body) chunks.push(text(chunk));
      })(),
    );
    assert.deepEqual(chunks, ['21\n{"type":"SUBSCRIBED"}']);
    assert.ok(err instanceof TimeoutError);
    assert.equal(err.timeout, 'body');
    assert.equal(err.timeoutMs, 300);
    assert.match(err.message, /nothing arrived for 300 ms.*resubscribe/);
  }),
);

test('no response headers within the headers timeout is a headers TimeoutError; per-request values win', OPTIONS, () =>
  withEndpoint({ headersTimeoutMs: 60_000 }, async (endpoint) => {
    const err = await rejection(endpoint.request({ path: '/hang', signal: signal(), headersTimeoutMs: 200 }));
    assert.ok(err instanceof TimeoutError);
    assert.equal(err.timeout, 'headers');
    assert.equal(err.timeoutMs, 200);
  }),
);

test('an HTML error page from a proxy is an UnexpectedResponseError when the peer speaks text/plain', OPTIONS, () =>
  withEndpoint({ name: 'Mesos master' }, async (endpoint) => {
    const err = await rejection(
      endpoint.request({ path: '/html-error', signal: signal(), expectErrorContentType: ['text/plain'] }),
    );
    assert.ok(err instanceof UnexpectedResponseError);
    assert.equal(err.status, 502);
    assert.equal(err.html, true);
    assert.equal(err.snippet, '502 Bad Gateway');
    assert.match(
      err.message,
      /got an HTML page \("502 Bad Gateway"\) with status 502.*proxy, single sign-on or login page/,
    );
  }),
);

test('without that expectation the HTML error page is an HttpStatusError whose reason is the page title', OPTIONS, () =>
  withEndpoint({}, async (endpoint) => {
    const err = await rejection(endpoint.request({ path: '/html-error', signal: signal() }));
    assert.ok(err instanceof HttpStatusError);
    assert.equal(err.kind, 'server-error');
    assert.equal(err.html, true);
    assert.equal(err.reason, '502 Bad Gateway');
    assert.match(err.message, /with an HTML page \("502 Bad Gateway"; a proxy or login page may be answering\)/);
  }),
);

test('a login page answering 200 where JSON was expected is an UnexpectedResponseError', OPTIONS, () =>
  withEndpoint({ name: 'Mesos master' }, async (endpoint) => {
    const err = await rejection(
      endpoint.request({ path: '/login', signal: signal(), expectContentType: ['application/json'] }),
    );
    assert.ok(err instanceof UnexpectedResponseError);
    assert.equal(err.status, 200);
    assert.equal(err.snippet, 'Sign in & continue');
    assert.deepEqual(err.expected, ['application/json']);
    assert.match(err.message, /^Expected application\/json from Mesos master at .* but got an HTML page/);
  }),
);

test('a buffered body over the limit is a BodyTooLargeError, with or without Content-Length', OPTIONS, () =>
  withEndpoint({ maxBodyBytes: 1000 }, async (endpoint) => {
    const announced = await rejection(endpoint.request({ path: '/big', signal: signal() }));
    assert.ok(announced instanceof BodyTooLargeError);
    assert.equal(announced.limit, 1000);
    assert.equal(announced.announcedBytes, 2000);
    assert.match(announced.message, /2000 bytes, over the limit of 1000 bytes/);

    const chunked = await rejection(endpoint.request({ path: '/big-chunked', signal: signal() }));
    assert.ok(chunked instanceof BodyTooLargeError);
    assert.equal(chunked.announcedBytes, undefined);

    const res = await endpoint.request({ path: '/big-chunked', signal: signal(), maxBodyBytes: 3000 });
    assert.equal(res.body.length, 3000);
  }),
);

test('close() drops idle keep-alive sockets: the server sees them closed', OPTIONS, async () => {
  const own = await startLoopbackServer(routes);
  const endpoint = new Endpoint({ baseUrl: own.url });
  try {
    await endpoint.request({ path: '/master/state', signal: signal() });
    assert.equal(own.openSockets(), 1, 'the pool keeps the connection alive');
    await endpoint.close();
    await own.allSocketsClosed();
    assert.equal(own.openSockets(), 0);
    assert.equal(endpoint.closed, true);
  } finally {
    await endpoint.close();
    await own.close();
  }
});

test('close() ends a stream in flight with RequestAbortedError and refuses new requests', OPTIONS, async () => {
  const own = await startLoopbackServer(routes);
  const endpoint = new Endpoint({ baseUrl: own.url });
  try {
    const res = await endpoint.request({ path: '/stall', signal: signal(), stream: true });
    const reading = rejection(
      (async () => {
        for await (const _ of res.body) void (await endpoint.close());
      })(),
    );
    const err = await reading;
    assert.ok(err instanceof RequestAbortedError);
    assert.equal(err.reason, 'closed');
    await own.allSocketsClosed();
    const later = await rejection(endpoint.request({ path: '/master/state', signal: signal() }));
    assert.ok(later instanceof RequestAbortedError && later.reason === 'closed');
  } finally {
    await endpoint.close();
    await own.close();
  }
});

test('leaving a stream early (break) releases its socket', OPTIONS, async () => {
  const own = await startLoopbackServer(routes);
  const endpoint = new Endpoint({ baseUrl: own.url });
  try {
    const res = await endpoint.request({ path: '/stall', signal: signal(), stream: true });
    for await (const _ of res.body) break;
    await connectionClosed(own);
  } finally {
    await endpoint.close();
    await own.close();
  }
});

test(
  'cancel() on an unread stream releases its socket, and reading it afterwards yields nothing',
  OPTIONS,
  async () => {
    const own = await startLoopbackServer(routes);
    const endpoint = new Endpoint({ baseUrl: own.url });
    try {
      const res = await endpoint.request({ path: '/stall', signal: signal(), stream: true });
      res.body.cancel();
      await connectionClosed(own);
      const chunks: Uint8Array[] = [];
      for await (const chunk of res.body) chunks.push(chunk);
      assert.deepEqual(chunks, []);
    } finally {
      await endpoint.close();
      await own.close();
    }
  },
);

test('a Jenkins-style base URL with a path prefix keeps its prefix', OPTIONS, async () => {
  const own = await startLoopbackServer((req, res) => res.end(req.url));
  const endpoint = new Endpoint({ baseUrl: `${own.url}/jenkins/` });
  try {
    const res = await endpoint.request({ path: 'queue/api/json', query: { tree: 'items[id]' }, signal: signal() });
    assert.equal(text(res.body), '/jenkins/queue/api/json?tree=items%5Bid%5D');
  } finally {
    await endpoint.close();
    await own.close();
  }
});
