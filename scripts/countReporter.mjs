// A reporter for Node's test runner that counts leaf tests and writes {passed, failed, skipped} as JSON;
// scripts/test.mjs adds these up across stages. A test with subtests counts through them: its own pass
// is not counted, and its own failure only when it failed for a reason other than a failed subtest.
export default async function* countReporter(source) {
  const counts = { passed: 0, failed: 0, skipped: 0 };
  // A test's event arrives after its subtests' events: remember which (file, nesting) saw children.
  const parents = new Set();
  for await (const { type, data } of source) {
    if (type !== 'test:pass' && type !== 'test:fail') continue;
    if (data.nesting > 0) parents.add(`${data.file}:${data.nesting - 1}`);
    const self = `${data.file}:${data.nesting}`;
    const isParent = parents.delete(self);
    if (data.skip || data.todo) counts.skipped++;
    else if (type === 'test:pass') counts.passed += isParent ? 0 : 1;
    else if (!isParent || data.details?.error?.failureType !== 'subtestsFailed') counts.failed++;
  }
  yield JSON.stringify(counts);
}
