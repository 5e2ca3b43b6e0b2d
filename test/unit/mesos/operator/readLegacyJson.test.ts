import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { LegacyMasterState } from '../../../../src/core/mesos/operator/legacyMasterState';
import { LegacyResponseError } from '../../../../src/core/mesos/operator/legacyResponseError';
import { readLegacyMasterState, readLegacyTasksPage } from '../../../../src/core/mesos/operator/readLegacyJson';

const captured = readFileSync(join(__dirname, '../../../fixtures/mesos-1.12/master-state.json'));
const bytes = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value));

test("a real 1.12 master's /master/state reads into the legacy types", () => {
  const state: LegacyMasterState = readLegacyMasterState(captured);
  assert.equal(state.version, '1.12.0');
  assert.equal(state.leader_info?.hostname, '127.0.0.1');
  const agent = state.slaves[0];
  assert.equal(agent?.pid, 'slave(1)@127.0.0.1:15051');
  assert.equal(agent?.resources.cpus, 4);
  assert.equal(agent?.resources.ports, '[31000-32000]');
  assert.deepEqual(agent?.capabilities.slice(0, 2), ['MULTI_ROLE', 'HIERARCHICAL_ROLE']);
  const framework = state.frameworks.find((f) => f.name === 'capture-framework');
  assert.equal(framework?.role, '*');
  assert.equal(framework?.failover_timeout, 30);
  const task = framework?.completed_tasks[0];
  assert.equal(task?.state, 'TASK_FINISHED');
  assert.equal(task?.executor_id, '');
  assert.equal(task?.statuses.at(-1)?.state, 'TASK_FINISHED');
  assert.equal(task?.statuses[0]?.container_status?.network_infos?.[0]?.ip_addresses?.[0]?.ip_address, '127.0.0.1');
  assert.equal(state.completed_frameworks.length, 6);
});

test('a state without its frameworks names what is missing', () => {
  const value = JSON.parse(captured.toString()) as Record<string, unknown>;
  delete value.frameworks;
  assert.throws(
    () => readLegacyMasterState(bytes(value)),
    (error: unknown) => {
      assert.ok(error instanceof LegacyResponseError);
      assert.equal(error.kind, 'wrong-shape');
      assert.equal(error.path, 'frameworks');
      assert.match(error.message, /expected an array, found nothing/);
      return true;
    },
  );
});

test('a task of the wrong shape is named by its place', () => {
  const value = JSON.parse(captured.toString()) as { frameworks: { tasks: Record<string, unknown>[] }[] };
  (value.frameworks[0]?.tasks[0] as Record<string, unknown>).state = 3;
  assert.throws(
    () => readLegacyMasterState(bytes(value)),
    (error: unknown) => error instanceof LegacyResponseError && error.path === 'frameworks[0].tasks[0].state',
  );
});

test('an HTML page or text is not JSON, and says so', () => {
  assert.throws(
    () => readLegacyMasterState(bytes('<html><title>Sign in</title></html>')),
    (error: unknown) =>
      error instanceof LegacyResponseError && error.kind === 'not-json' && /HTML page/.test(error.message),
  );
  assert.throws(
    () => readLegacyTasksPage(bytes('[1, 2]')),
    (error: unknown) => error instanceof LegacyResponseError && error.kind === 'wrong-shape',
  );
});

test('an unlimited task limit written as a bare Infinity is read, as Mesos reads it back', () => {
  const page = readLegacyTasksPage(
    bytes(
      '{"tasks":[{"id":"t","name":"t","framework_id":"f","executor_id":"","slave_id":"s","state":"TASK_RUNNING",' +
        '"resources":{"cpus":1},"limits":{"cpus":Infinity},"statuses":[]}]}',
    ),
  );
  assert.equal(page.tasks[0]?.limits?.cpus, 'Infinity');
});
