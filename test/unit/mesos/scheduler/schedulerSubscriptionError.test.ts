import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { SchedulerSubscriptionError } from '../../../../src/core/mesos/scheduler/schedulerSubscriptionError';

test('"Framework has been removed" says the id is dead for good', () => {
  const error = SchedulerSubscriptionError.fromErrorEvent('Framework has been removed', 'fw-7', 'http://m1:5050');
  assert.equal(error.kind, 'framework-removed');
  assert.equal(error.frameworkRemoved, true);
  assert.equal(error.frameworkId, 'fw-7');
  assert.equal(error.master, 'http://m1:5050');
  assert.match(error.reason, /removed the framework fw-7/);
  assert.match(error.nextStep, /can never be used again/);
  assert.equal(error.message, `${error.reason} ${error.nextStep}`);
});

test('"Framework failed over" points at the other scheduler instance', () => {
  const error = SchedulerSubscriptionError.fromErrorEvent('Framework failed over', 'fw-7', undefined);
  assert.equal(error.kind, 'failed-over');
  assert.equal(error.frameworkRemoved, false);
  assert.match(error.nextStep, /second editor window or a headless autoscaler/);
});

test('any other ERROR is a refused subscription that quotes Mesos', () => {
  const message = "Changing framework's principal is not allowed.";
  const error = SchedulerSubscriptionError.fromErrorEvent(message, undefined, undefined);
  assert.equal(error.kind, 'refused');
  assert.equal(error.mesosMessage, message);
  assert.ok(error.reason.includes(message));
});
