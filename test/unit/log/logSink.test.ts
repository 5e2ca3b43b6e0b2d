import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { createLogger, formatDetail, MemorySink } from '../../../src/core/log/logSink';
import { StreamSink } from '../../../src/core/log/streamSink';

test('a logger tags records with its component, and child() extends the tag', () => {
  const sink = new MemorySink();
  const log = createLogger(sink, 'scheduler');
  log.info('subscribed');
  log.child('offers').warn('declined', { count: 2 });
  assert.deepEqual(sink.records, [
    { level: 'info', component: 'scheduler', message: 'subscribed', detail: undefined },
    { level: 'warn', component: 'scheduler.offers', message: 'declined', detail: { count: 2 } },
  ]);
});

test('formatDetail keeps an error\'s cause chain', () => {
  const err = new Error('SUBSCRIBE failed', { cause: new Error('ECONNREFUSED 127.0.0.1:5050') });
  const text = formatDetail(err);
  assert.match(text, /SUBSCRIBE failed/);
  assert.match(text, /caused by: Error: ECONNREFUSED 127\.0\.0\.1:5050/);
});

test('StreamSink writes from its minimum level up', () => {
  let written = '';
  const sink = new StreamSink({ write: (s: string) => (written += s) }, 'warn');
  sink.log('info', 'cli', 'quiet');
  sink.log('error', 'cli', 'loud');
  assert.doesNotMatch(written, /quiet/);
  assert.match(written, /error \[cli\] loud\n$/);
});
