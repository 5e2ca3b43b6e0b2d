import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Attribute, Offer, Resource } from '../../../src/core/mesos/codec';
import { LaunchRequestError } from '../../../src/core/scheduler/launchRequestError';
import type { LaunchRequest } from '../../../src/core/scheduler/launchRequest';
import { matchOffers } from '../../../src/core/scheduler/offerMatcher';

function scalar(name: string, value: number, extra: Partial<Resource> = {}): Resource {
  return { name, type: 'SCALAR', scalar: { value }, ...extra };
}

function offer(n: number, resources: Resource[], attrs: Record<string, string> = {}, extra: Partial<Offer> = {}): Offer {
  const attributes: Attribute[] = Object.entries(attrs).map(([name, value]) => ({ name, type: 'TEXT', text: { value } }));
  return {
    id: { value: `O${n}` },
    framework_id: { value: 'F' },
    agent_id: { value: `S${n}` },
    hostname: `agent-${n}`,
    resources,
    attributes,
    ...extra,
  };
}

function plain(n: number, cpus: number, mem: number, attrs: Record<string, string> = {}): Offer {
  return offer(n, [scalar('cpus', cpus, { role: '*' }), scalar('mem', mem, { role: '*' }), scalar('disk', 10000, { role: '*' })], attrs);
}

const req = (id: string, cpus: number, mem: number, more: Partial<LaunchRequest> = {}): LaunchRequest => ({ id, cpus, mem, ...more });

function placedOn(result: ReturnType<typeof matchOffers>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const a of result.assignments) for (const t of a.tasks) out[t.request.id] = a.offerId;
  return out;
}

describe('matchOffers: fitting and best fit', () => {
  it('places a request that fits and echoes the offered resources', () => {
    const r = matchOffers([req('a', 1, 512)], [plain(1, 4, 4096)]);
    assert.equal(r.unmatched.length, 0);
    assert.equal(r.assignments.length, 1);
    const t = r.assignments[0]!.tasks[0]!;
    assert.deepEqual(t.resources, [scalar('cpus', 1, { role: '*' }), scalar('mem', 512, { role: '*' })]);
    assert.equal(r.assignments[0]!.agentId, 'S1');
  });

  it('picks the offer left smallest after placement', () => {
    const offers = [plain(1, 8, 8192), plain(2, 2, 2048), plain(3, 4, 4096)];
    assert.deepEqual(placedOn(matchOffers([req('a', 2, 2048)], offers)), { a: 'O2' });
    assert.deepEqual(placedOn(matchOffers([req('a', 3, 3000)], offers)), { a: 'O3' });
  });

  it('places larger requests first and lets several share one offer', () => {
    const r = matchOffers([req('small', 1, 1000), req('big', 3, 3000)], [plain(1, 4, 4000)]);
    assert.deepEqual(placedOn(r), { small: 'O1', big: 'O1' });
    assert.deepEqual(r.assignments[0]!.tasks.map((t) => t.request.id), ['big', 'small']);
  });

  it('sums scalars in thousandths so fractions fit exactly', () => {
    const r = matchOffers([req('a', 0.1, 1), req('b', 0.2, 1)], [plain(1, 0.3, 2)]);
    assert.equal(r.unmatched.length, 0);
  });

  it('is deterministic: same input, same output, whatever the request order', () => {
    const offers = Array.from({ length: 30 }, (_, i) => plain(i, 1 + (i % 5), 1024 * (1 + (i % 3)), { rack: `r${i % 4}` }));
    const requests = Array.from({ length: 40 }, (_, i) => req(`t${i}`, 0.5 + (i % 3), 256 * (1 + (i % 4)), { group: 'g', constraints: [['rack', 'GROUP_BY']] }));
    const first = matchOffers(requests, offers);
    assert.deepEqual(matchOffers(requests, offers), first);
    assert.deepEqual(placedOn(matchOffers([...requests].reverse(), offers)), placedOn(first));
  });

  it('gives the same placements with class pruning as offer-by-offer judging', () => {
    // identical offers collapse into one class; a hostname constraint forces the full scan of every offer
    const offers = Array.from({ length: 12 }, (_, i) => plain(i, 4, 4096));
    const requests = Array.from({ length: 10 }, (_, i) => req(`t${i}`, 1 + (i % 3), 1000));
    const pruned = placedOn(matchOffers(requests, offers));
    const full = placedOn(matchOffers(requests.map((r) => ({ ...r, constraints: [['hostname', 'LIKE', '.*']] })), offers));
    assert.deepEqual(pruned, full);
  });
});

describe('matchOffers: roles, reservations, allocation_info', () => {
  const alloc = { role: 'eng' };
  const engOffer = offer(
    1,
    [
      scalar('cpus', 2, { allocation_info: alloc, reservations: [{ type: 'DYNAMIC', role: 'eng', principal: 'p' }] }),
      scalar('cpus', 4, { allocation_info: alloc }),
      scalar('mem', 1024, { allocation_info: alloc }),
    ],
    {},
    { allocation_info: alloc },
  );

  it('uses reserved resources first, then unreserved, echoing reservations and allocation_info', () => {
    const r = matchOffers([req('a', 3, 512, { role: 'eng' })], [engOffer]);
    const res = r.assignments[0]!.tasks[0]!.resources;
    assert.deepEqual(res, [
      scalar('cpus', 2, { allocation_info: alloc, reservations: [{ type: 'DYNAMIC', role: 'eng', principal: 'p' }] }),
      scalar('cpus', 1, { allocation_info: alloc }),
      scalar('mem', 512, { allocation_info: alloc }),
    ]);
  });

  it("lets a '*' request use only unreserved resources", () => {
    const r = matchOffers([req('a', 5, 512)], [engOffer]);
    assert.equal(r.assignments.length, 0);
    assert.equal(r.unmatched[0]!.rejections[0]!.message, 'cpus: needs 5, offer has 4');
  });

  it('never uses an offer allocated to another role', () => {
    const r = matchOffers([req('a', 1, 1, { role: 'ops' })], [engOffer]);
    assert.equal(r.unmatched[0]!.rejections[0]!.kind, 'role');
    assert.match(r.unmatched[0]!.rejections[0]!.message, /allocated to role 'eng'.*'ops'/);
  });

  it('lets a sub-role use resources reserved for its parent role', () => {
    const a = { role: 'eng/ci' };
    const o = offer(1, [scalar('cpus', 2, { allocation_info: a, reservations: [{ type: 'STATIC', role: 'eng' }] }), scalar('mem', 100, { allocation_info: a })], {}, { allocation_info: a });
    const r = matchOffers([req('a', 2, 100, { role: 'eng/ci' })], [o]);
    assert.deepEqual(r.assignments[0]!.tasks[0]!.resources[0], scalar('cpus', 2, { allocation_info: a, reservations: [{ type: 'STATIC', role: 'eng' }] }));
    assert.equal(matchOffers([req('a', 1, 100, { role: 'eng' })], [o]).unmatched[0]!.rejections[0]!.kind, 'role');
  });

  it('understands the pre-refinement role field', () => {
    const o = offer(1, [scalar('cpus', 2, { role: 'eng', reservation: { principal: 'p' } }), scalar('mem', 100, { role: '*' })]);
    assert.equal(matchOffers([req('a', 2, 100, { role: 'eng' })], [o]).unmatched.length, 0);
    assert.equal(matchOffers([req('a', 2, 100)], [o]).unmatched.length, 1);
  });
});

describe('matchOffers: ports', () => {
  it('takes the lowest ports across ranges and echoes them as ranges', () => {
    const o = offer(1, [
      scalar('cpus', 1),
      scalar('mem', 100),
      { name: 'ports', type: 'RANGES', ranges: { range: [{ begin: 31005, end: 31006 }, { begin: 31000, end: 31000 }] }, role: '*' },
    ]);
    const r = matchOffers([req('a', 0.5, 10, { ports: 2 }), req('b', 0.1, 10, { ports: 1 })], [o]);
    const [a, b] = r.assignments[0]!.tasks;
    assert.deepEqual(a!.ports, [31000, 31005]);
    assert.deepEqual(a!.resources[2], { name: 'ports', type: 'RANGES', role: '*', ranges: { range: [{ begin: 31000, end: 31000 }, { begin: 31005, end: 31005 }] } });
    assert.deepEqual(b!.ports, [31006]);
  });

  it('says when ports run short', () => {
    const o = offer(1, [scalar('cpus', 1), scalar('mem', 100), { name: 'ports', type: 'RANGES', ranges: { range: [{ begin: 1, end: 2 }] } }]);
    const r = matchOffers([req('a', 1, 10, { ports: 3 })], [o]);
    assert.equal(r.unmatched[0]!.rejections[0]!.message, 'ports: needs 3, offer has 2');
  });
});

describe('matchOffers: constraints', () => {
  const racks = [plain(1, 8, 8000, { rack: 'r1' }), plain(2, 8, 8000, { rack: 'r1' }), plain(3, 8, 8000, { rack: 'r2' })];
  const group = (n: number, c: string[]) => Array.from({ length: n }, (_, i) => req(`t${i}`, 1, 100, { group: 'g', constraints: [c] }));

  it('UNIQUE hostname puts one task per agent', () => {
    const r = matchOffers(group(4, ['hostname', 'UNIQUE']), racks);
    assert.equal(new Set(Object.values(placedOn(r))).size, 3);
    assert.equal(r.unmatched.length, 1);
    assert.match(r.unmatched[0]!.rejections[0]!.message, /UNIQUE hostname: a task of group 'g' is already on hostname 'agent-1'/);
  });

  it('UNIQUE on an attribute counts running tasks', () => {
    const r = matchOffers(group(1, ['rack', 'UNIQUE']), racks, { running: [{ group: 'g', hostname: 'x', attributes: [{ name: 'rack', type: 'TEXT', text: { value: 'r1' } }] }] });
    assert.deepEqual(placedOn(r), { t0: 'O3' });
  });

  it('CLUSTER with a value and without one', () => {
    assert.deepEqual(new Set(Object.values(placedOn(matchOffers(group(3, ['rack', 'CLUSTER', 'r2']), racks)))), new Set(['O3']));
    const loose = placedOn(matchOffers(group(3, ['rack', 'CLUSTER']), [plain(1, 1, 1000, { rack: 'r1' }), plain(2, 1, 1000, { rack: 'r2' }), plain(3, 8, 8000, { rack: 'r1' })]));
    assert.ok(Object.values(loose).every((o) => o !== 'O2'));
  });

  it('LIKE and UNLIKE match the whole value', () => {
    assert.deepEqual(placedOn(matchOffers(group(1, ['rack', 'LIKE', 'r[2-9]']), racks)), { t0: 'O3' });
    assert.equal(matchOffers(group(1, ['rack', 'LIKE', 'r']), racks).unmatched.length, 1);
    assert.deepEqual(new Set(Object.values(placedOn(matchOffers(group(2, ['rack', 'UNLIKE', 'r2']), racks)))).has('O3'), false);
  });

  it('GROUP_BY spreads evenly over values', () => {
    const r = placedOn(matchOffers(group(4, ['rack', 'GROUP_BY']), racks));
    const perRack = { r1: 0, r2: 0 };
    for (const o of Object.values(r)) perRack[o === 'O3' ? 'r2' : 'r1']++;
    assert.deepEqual(perRack, { r1: 2, r2: 2 });
  });

  it('GROUP_BY with a count waits for values not offered', () => {
    const r = matchOffers(group(3, ['rack', 'GROUP_BY', '3']), racks);
    assert.equal(Object.keys(placedOn(r)).length, 2);
    assert.match(r.unmatched[0]!.rejections[0]!.message, /GROUP_BY rack 3/);
  });

  it('MAX_PER limits tasks per value', () => {
    const r = matchOffers(group(5, ['rack', 'MAX_PER', '2']), racks);
    assert.equal(Object.keys(placedOn(r)).length, 4);
    assert.match(r.unmatched[0]!.rejections[0]!.message, /MAX_PER rack 2: 2 tasks of group 'g' already on rack 'r1'/);
  });

  it('rejects agents without the attribute', () => {
    const r = matchOffers(group(1, ['zone', 'CLUSTER', 'a']), racks);
    assert.equal(r.unmatched[0]!.rejections[0]!.message, "CLUSTER zone a: agent has no attribute 'zone'");
  });

  it('validates constraints with clear errors', () => {
    const bad: [string[], RegExp][] = [
      [['rack', 'NEAR'], /unknown constraint operator 'NEAR'/],
      [['rack', 'LIKE'], /needs a regular expression/],
      [['rack', 'LIKE', '('], /not a valid regular expression/],
      [['rack', 'MAX_PER', 'x'], /positive whole number/],
      [['rack', 'UNIQUE', 'v'], /takes no value/],
      [['rack'], /not 2 or 3 strings/],
    ];
    for (const [c, pattern] of bad) {
      assert.throws(() => matchOffers([req('a', 1, 1, { constraints: [c] })], racks), (e: unknown) => e instanceof LaunchRequestError && pattern.test(e.message));
    }
    assert.throws(() => matchOffers([req('a', -1, 1)], racks), /cpus must be a finite number/);
    assert.throws(() => matchOffers([req('a', 1, 1), req('a', 1, 1)], racks), /appears twice/);
  });
});

describe('matchOffers: reasons', () => {
  it('names every short resource per offer, in offer order', () => {
    const r = matchOffers([req('a', 2, 2048)], [plain(1, 1, 1024), plain(2, 4, 1024)]);
    assert.deepEqual(r.unmatched[0]!.rejections.map((x) => x.message), ['cpus: needs 2, offer has 1; mem: needs 2048, offer has 1024', 'mem: needs 2048, offer has 1024']);
    assert.deepEqual(r.unmatched[0]!.rejections[1]!.shortfalls, [{ resource: 'mem', needs: 2048, has: 1024 }]);
    assert.equal(r.unmatched[0]!.largerThanAnyAgent, false);
  });

  it('tells larger than any agent apart from no room now', () => {
    const totals = [[scalar('cpus', 8), scalar('mem', 4096)], [scalar('cpus', 4), scalar('mem', 16384)]];
    const r = matchOffers([req('huge', 8, 8192), req('later', 4, 4096)], [plain(1, 1, 1024)], { agentTotals: totals });
    assert.deepEqual(r.unmatched.map((u) => [u.request.id, u.largerThanAnyAgent]), [['huge', true], ['later', false]]);
  });
});
