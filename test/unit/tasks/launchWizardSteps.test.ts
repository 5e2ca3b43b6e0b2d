import assert from 'node:assert/strict';
import { test } from 'node:test';
import { entryOfAnswers, LaunchWizard, type InputStep, type PickStep } from '../../../src/ui/tasks/launchWizardSteps';

// The launch wizard's steps as a state machine: order, numbering, back, checks, and what the answers launch.

const two = { clusters: [{ name: 'prod', description: 'protected: asks before changes' }, { name: 'dev' }] };

function input(w: LaunchWizard): InputStep {
  const step = w.current;
  assert.equal(step?.kind, 'input');
  return step as InputStep;
}

test('with several clusters the first step picks one; every step is numbered out of the total', () => {
  const w = new LaunchWizard(two);
  const first = w.current as PickStep;
  assert.equal(first.kind, 'pick');
  assert.equal(first.id, 'cluster');
  assert.deepEqual([first.number, first.total], [1, 11]);
  assert.deepEqual(
    first.items.map((i) => [i.label, i.description]),
    [
      ['prod', 'protected: asks before changes'],
      ['dev', undefined],
    ],
  );
  assert.equal(w.canGoBack, false);
  assert.equal(w.answer('nowhere'), 'Pick one of: prod, dev.');
  assert.equal(w.answer('dev'), undefined);
  const name = input(w);
  assert.deepEqual([name.id, name.number, name.total, name.title], ['name', 2, 11, 'Launch Task on dev: Name']);
  assert.equal(w.canGoBack, true);
});

test('with one cluster there is no cluster step, and it is the one launched on', () => {
  const w = new LaunchWizard({ clusters: [{ name: 'only' }] });
  const step = input(w);
  assert.deepEqual([step.id, step.number, step.total], ['name', 1, 10]);
  for (const a of ['job', 'shell', 'echo hi', '0.5', '256', '0', '1', '', '', ''])
    assert.equal(w.answer(a), undefined, a);
  assert.equal(w.done, true);
  const { cluster, requests } = w.result(() => 'zz9');
  assert.equal(cluster, 'only');
  assert.deepEqual(requests, [
    { id: 'job-zz9', name: 'job', cpus: 0.5, mem: 256, command: { shell: true, value: 'echo hi' } },
  ]);
});

test('each input is checked before the wizard moves on, with the message the box shows', () => {
  const w = new LaunchWizard({ clusters: [{ name: 'c' }] });
  assert.match(w.answer('  ')!, /Give the task a name/);
  assert.equal(w.current?.id, 'name');
  w.answer('web');
  w.answer('shell');
  w.answer('run');
  assert.equal(input(w).value, '0.1', 'cpus start at the default');
  assert.equal(w.answer('0'), 'Cpus must be > 0.');
  assert.equal(w.current?.id, 'cpus');
  w.answer('1');
  assert.equal(input(w).value, '128');
  assert.equal(w.answer('-3'), 'Memory must be > 0.');
  w.answer('64');
  w.answer('0');
  assert.equal(w.answer('0'), 'Instances must be at least 1.');
  w.answer('2');
  assert.match(w.answer('bad image')!, /no spaces/);
  w.answer('alpine:3.20');
  assert.match(w.answer('rack:NEAR')!, /unknown operator "NEAR"/);
  w.answer('hostname:UNIQUE');
  assert.match(w.answer('NOEQUALS')!, /has no "="/);
  w.answer('A=1 B="two words"');
  assert.equal(w.done, true);
  const { requests } = w.result(() => 'r1');
  assert.deepEqual(
    requests,
    [1, 2].map((i) => ({
      id: `web-r1-${i}`,
      name: 'web',
      cpus: 1,
      mem: 64,
      group: 'web-r1',
      constraints: [['hostname', 'UNIQUE']],
      command: {
        shell: true,
        value: 'run',
        environment: {
          variables: [
            { name: 'A', value: '1' },
            { name: 'B', value: 'two words' },
          ],
        },
      },
      container: { type: 'MESOS', mesos: { image: { type: 'DOCKER', docker: { name: 'alpine:3.20' } } } },
    })),
  );
});

test('back returns to the previous step with its answer; changing the way of running clears the command', () => {
  const w = new LaunchWizard(two);
  w.answer('prod');
  w.answer('web');
  w.answer('argv');
  const command = input(w);
  assert.match(command.prompt, /program and its arguments/);
  assert.match(command.validate('"unclosed')!, /not closed/);
  w.answer('python3 -m http.server');
  w.back();
  assert.equal(input(w).value, 'python3 -m http.server', 'going back shows what was typed');
  w.back();
  const mode = w.current as PickStep;
  assert.equal(mode.id, 'mode');
  assert.equal(mode.value, 'argv');
  w.answer('argv');
  assert.equal(input(w).value, 'python3 -m http.server', 'same way of running: the command is kept');
  w.back();
  w.answer('shell');
  assert.equal(input(w).value, '', 'another way of running: the command must be typed again');
  w.back();
  w.back();
  w.back();
  w.back();
  assert.equal(w.current?.id, 'cluster');
  w.back();
  assert.equal(w.current?.id, 'cluster', 'back on the first step stays there');
  assert.throws(() => w.result(), /not complete/);
});

test('argv answers become a command without a shell', () => {
  const entry = entryOfAnswers({
    name: ' n ',
    mode: 'argv',
    command: `sh -c 'echo "$X"'`,
    cpus: '1',
    mem: '2',
    disk: '3',
    instances: '1',
    image: '',
    constraints: '',
    environment: '',
  });
  assert.deepEqual(entry, { name: 'n', command: ['sh', '-c', 'echo "$X"'], cpus: 1, mem: 2, disk: 3, instances: 1 });
});
