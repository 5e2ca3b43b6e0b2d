import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { HeartbeatWatchdog } from '../../../../src/core/mesos/connection/heartbeatWatchdog';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

test('silence longer than the limit is reported once, with the limit', async () => {
  const reports: number[] = [];
  const watchdog = new HeartbeatWatchdog(20, (ms) => reports.push(ms));
  await pause(80);
  assert.deepEqual(reports, [20]);
  watchdog.stop();
});

test('anything that arrives starts the silence over', async () => {
  const reports: number[] = [];
  const watchdog = new HeartbeatWatchdog(100, (ms) => reports.push(ms));
  for (let i = 0; i < 20; i++) {
    await pause(10);
    watchdog.touch();
  }
  assert.deepEqual(reports, []);
  watchdog.stop();
});

test('a new limit (the announced heartbeat interval) replaces the first one', async () => {
  const reports: number[] = [];
  const watchdog = new HeartbeatWatchdog(60_000, (ms) => reports.push(ms));
  watchdog.setLimit(15);
  assert.equal(watchdog.limitMs, 15);
  await pause(60);
  assert.deepEqual(reports, [15]);
  watchdog.stop();
});

test('stop() leaves no timer: nothing fires afterwards', async () => {
  const reports: number[] = [];
  const watchdog = new HeartbeatWatchdog(10, (ms) => reports.push(ms));
  watchdog.stop();
  watchdog.touch();
  await pause(40);
  assert.deepEqual(reports, []);
});
