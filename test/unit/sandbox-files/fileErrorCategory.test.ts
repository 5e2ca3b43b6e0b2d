import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { HttpStatusError, MesosHttpError } from '../../../src/core/http/errors';
import { SandboxFileError, sandboxFileErrorFromHttp } from '../../../src/core/mesos/files/sandboxFileError';
import { parseSandboxUri, SandboxUriError } from '../../../src/core/mesos/files/sandboxFileUri';
import { TaskSandboxError } from '../../../src/core/mesos/files/taskSandbox';
import { fileErrorCategory } from '../../../src/ui/sandboxFiles/fileErrorCategory';
import { SandboxAccessError } from '../../../src/ui/sandboxFiles/sandboxAccessError';

const context = {
  agent: 'http://127.0.0.1:5051',
  path: '/frameworks/f/executors/t/runs/latest/stdout',
  action: 'read',
};

function fromStatus(status: number, reason = ''): SandboxFileError {
  const error = sandboxFileErrorFromHttp(
    new HttpStatusError({
      endpoint: context.agent,
      peer: 'Mesos agent',
      status,
      statusText: 'x',
      reason,
      html: false,
      sentCredentials: false,
    }),
    context,
  );
  assert.ok(error);
  return error;
}

test('a file or sandbox that is gone (404, garbage-collected) is not-found', () => {
  const gone = fromStatus(404);
  assert.equal(fileErrorCategory(gone), 'not-found');
  assert.match(gone.message, /garbage-collected/);
  assert.equal(
    fileErrorCategory(new SandboxAccessError('not-found', 'Agent S1 is not in the state', 'Open another')),
    'not-found',
  );
  assert.equal(fileErrorCategory(new TaskSandboxError('run-not-found', 'no run', 'check')), 'not-found');
  const badUri = (() => {
    try {
      parseSandboxUri({ scheme: 'mesos-sandbox', authority: 'c', path: '/a' });
    } catch (err) {
      return err;
    }
    return undefined;
  })();
  assert.ok(badUri instanceof SandboxUriError);
  assert.equal(fileErrorCategory(badUri), 'not-found');
});

test('a directory read as a file is is-directory; refused access is no-permissions', () => {
  assert.equal(fileErrorCategory(fromStatus(400, 'Cannot read a directory.')), 'is-directory');
  assert.equal(fileErrorCategory(fromStatus(401)), 'no-permissions');
  assert.equal(fileErrorCategory(fromStatus(403)), 'no-permissions');
  assert.equal(fileErrorCategory(fromStatus(400, "'/x' is inaccessible.")), 'no-permissions');
});

test('what may work later is unavailable: an unreachable agent, an odd answer, a file too large, a cluster not loaded', () => {
  const unreachable = new MesosHttpError(
    { endpoint: context.agent, peer: 'Mesos agent' },
    'Cannot connect',
    'Check the agent',
    true,
  );
  assert.equal(fileErrorCategory(unreachable), 'unavailable');
  assert.equal(
    fileErrorCategory(new SandboxFileError({ ...context, kind: 'bad-response', reason: 'not JSON' })),
    'unavailable',
  );
  assert.equal(fileErrorCategory(new SandboxAccessError('too-large', 'big', 'Download it')), 'unavailable');
  assert.equal(fileErrorCategory(new SandboxAccessError('unavailable', 'no state', 'retry')), 'unavailable');
  assert.equal(fileErrorCategory(new TaskSandboxError('no-agent-address', 'no address', 'refresh')), 'unavailable');
  assert.equal(fileErrorCategory('a string'), 'unavailable');
});
