import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  readArguments,
  readConstraints,
  readEnvironment,
  readInstances,
  readNonNegative,
  readPositive,
  splitWords,
  validateImage,
  validateShellCommand,
  validateTaskName,
} from '../../../src/ui/tasks/launchInputs';
import { largerThanEveryAgent } from '../../../src/ui/tasks/agentFit';

// The launch wizard's inputs: what each accepts, and the message the input box shows for what it does not.

test('cpus and mem must be numbers > 0; disk may be 0', () => {
  assert.deepEqual(readPositive('0.5', 'cpus'), { value: 0.5 });
  assert.deepEqual(readPositive(' 2 ', 'cpus'), { value: 2 });
  assert.deepEqual(readPositive('.25', 'cpus'), { value: 0.25 });
  assert.deepEqual(readPositive('1e3', 'memory'), { value: 1000 });
  assert.deepEqual(readPositive('0', 'cpus'), { error: 'Cpus must be > 0.' });
  assert.deepEqual(readPositive('-1', 'memory'), { error: 'Memory must be > 0.' });
  assert.deepEqual(readPositive('', 'cpus'), { error: 'Enter cpus.' });
  assert.deepEqual(readPositive('abc', 'cpus'), { error: 'Cpus must be a number, like 0.5 or 256 ("abc" is not).' });
  // Number() would take these; a size should not
  assert.ok(readPositive('0x10', 'cpus').error);
  assert.ok(readPositive('Infinity', 'cpus').error);
  assert.deepEqual(readPositive('1e400', 'cpus'), { error: 'Cpus is too large.' });
  assert.deepEqual(readNonNegative('0', 'disk'), { value: 0 });
  assert.deepEqual(readNonNegative('-0.5', 'disk'), { error: 'Disk must be 0 or more.' });
});

test('instances: a whole number from 1 to 100', () => {
  assert.deepEqual(readInstances('3'), { value: 3 });
  assert.deepEqual(readInstances('0'), { error: 'Instances must be at least 1.' });
  assert.deepEqual(readInstances('1.5'), { error: 'Instances must be a whole number, like 1 or 3.' });
  assert.deepEqual(readInstances('101'), { error: 'At most 100 instances per launch.' });
});

test('names and shell commands must not be blank; images have no spaces', () => {
  assert.equal(validateTaskName('web'), undefined);
  assert.match(validateTaskName('  ')!, /Give the task a name/);
  assert.match(validateTaskName('x'.repeat(201))!, /under 200 characters \(it has 201\)/);
  assert.equal(validateShellCommand('echo hi'), undefined);
  assert.match(validateShellCommand(' ')!, /Enter the command/);
  assert.equal(validateImage(''), undefined);
  assert.equal(validateImage('docker.io/library/redis:7'), undefined);
  assert.match(validateImage('a b')!, /no spaces/);
  assert.match(validateImage(':tag')!, /starts with a letter or digit/);
});

test('words split like a shell splits plain words and quotes, with nothing expanded', () => {
  assert.deepEqual(splitWords(`python3 -c 'print("a b")' "x \\"y\\"" a\\ b $HOME`), {
    value: ['python3', '-c', 'print("a b")', 'x "y"', 'a b', '$HOME'],
  });
  assert.deepEqual(splitWords(`a "" b`), { value: ['a', '', 'b'] });
  assert.deepEqual(splitWords('  '), { value: [] });
  assert.deepEqual(splitWords(`echo "open`), { error: 'The double quote at column 6 is not closed.' });
  assert.deepEqual(splitWords(`echo 'open`), { error: 'The single quote at column 6 is not closed.' });
  assert.match(splitWords('a\\').error!, /backslash at the end/);
  assert.deepEqual(readArguments('ls -l /tmp'), { value: ['ls', '-l', '/tmp'] });
  assert.match(readArguments('   ').error!, /Enter the program to run/);
});

test('constraints: attribute:OPERATOR[:value] separated by ";", checked as the scheduler checks them', () => {
  assert.deepEqual(readConstraints(''), { value: [] });
  assert.deepEqual(readConstraints('hostname:unique; rack:LIKE:r[12]:x ;zone:GROUP_BY:3'), {
    value: [
      ['hostname', 'UNIQUE'],
      ['rack', 'LIKE', 'r[12]:x'],
      ['zone', 'GROUP_BY', '3'],
    ],
  });
  assert.deepEqual(readConstraints('hostname'), {
    error: '"hostname": write attribute:OPERATOR or attribute:OPERATOR:value, e.g. hostname:UNIQUE.',
  });
  assert.deepEqual(readConstraints('a:UNIQUE; b:NEAR'), {
    error:
      'Constraint 2 ("b:NEAR"): unknown operator "NEAR"; use one of UNIQUE, CLUSTER, LIKE, UNLIKE, GROUP_BY, MAX_PER.',
  });
  assert.deepEqual(readConstraints(':UNIQUE'), {
    error: '":UNIQUE": name the attribute before the colon (or "hostname").',
  });
  assert.deepEqual(readConstraints('rack:MAX_PER:two'), {
    error: `"rack:MAX_PER:two": MAX_PER limit on 'rack' must be a positive whole number, got 'two'.`,
  });
  assert.deepEqual(readConstraints('hostname:UNIQUE:x'), {
    error: `"hostname:UNIQUE:x": UNIQUE on 'hostname' takes no value.`,
  });
  assert.match(readConstraints('rack:LIKE:(').error!, /is not a valid regular expression/);
});

test('environment: NAME=value words, quoted values keep spaces and "=" signs', () => {
  assert.deepEqual(readEnvironment(''), { value: {} });
  assert.deepEqual(readEnvironment('A=1 GREETING="hello world" EMPTY= URL=a=b'), {
    value: { A: '1', GREETING: 'hello world', EMPTY: '', URL: 'a=b' },
  });
  assert.deepEqual(readEnvironment('A=1 B'), {
    error: '"B" has no "=": write NAME=value (quote values with spaces: NAME="a b").',
  });
  assert.deepEqual(readEnvironment('1A=x'), {
    error: '"1A" is not a variable name: use letters, digits and _, not starting with a digit.',
  });
  assert.deepEqual(readEnvironment('A=1 A=2'), { error: 'A is set twice.' });
  assert.deepEqual(readEnvironment('A="x'), { error: 'The double quote at column 3 is not closed.' });
});

test('a request larger than every agent says which sizes no agent has', () => {
  const agents = [
    { cpus: 4, mem: 8192, disk: 1000, gpus: 0 },
    { cpus: 8, mem: 2048, disk: 1000, gpus: 0 },
  ];
  assert.equal(largerThanEveryAgent({ cpus: 2, mem: 1024 }, agents), undefined);
  assert.equal(largerThanEveryAgent({ cpus: 64, mem: 1024 }, []), undefined, 'no agents known: nothing to say');
  assert.equal(
    largerThanEveryAgent({ cpus: 16, mem: 16384 }, agents),
    'asks for 16 cpus and 16384 MB mem; the most any agent has is 8 cpus and 8192 MB mem',
  );
  assert.equal(
    largerThanEveryAgent({ cpus: 1, mem: 128, disk: 2000 }, agents),
    'asks for 2000 MB disk; the most any agent has is 1000 MB disk',
  );
  assert.equal(
    largerThanEveryAgent({ cpus: 6, mem: 4096 }, agents),
    'asks for 6 cpus, 4096 MB mem and 0 MB disk together, which no single agent has',
  );
});
