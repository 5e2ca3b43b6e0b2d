import type { Attribute, Offer, Resource } from '../mesos/codec';
import { resourceRole, scalarTotal } from '../mesos/resources/resourceMath';
import { attributeOf, GroupPlacements, type AgentFacts } from './groupPlacements';
import type { LaunchRequest, PlacementConstraint } from './launchRequest';
import type { MatchResult, OfferAssignment, OfferRejection, Shortfall, TaskPlacement } from './matchResult';
import { LaunchRequestError } from './launchRequestError';
import { validateLaunchRequest } from './placementConstraint';

/**
 * One best-fit pass of pending launch requests over the current offers (reference §5).
 *
 * Policy: requests go in decreasing dominant size (largest share of the biggest agent's cpus, mem or disk
 * first; ties by id). Each goes to the offer that, after taking it, has the smallest remaining dominant
 * share: of the resources the request asks for (cpus, mem, disk), what the offer would have left as a
 * share of the biggest agent's amount, the largest of these; ties go to the earlier offer. Leftovers of a
 * resource the request does not use are not held against an offer. Several requests may share an offer.
 * An offer is one agent x one allocation role: a request for role R uses unreserved resources and resources
 * reserved for R (or a parent of R) of offers allocated to R (or of offers without allocation_info), never
 * resources of two roles; a request for '*' uses unreserved resources of any offer.
 * Revocable, shared and persistent/mounted disk resources are left alone. Same input, same output.
 *
 * Speed: resources become integer vectors (thousandths) in typed arrays once per pass, and offers that are
 * identical in resources, roles and attributes form a class of which only the first untouched member is
 * scored, so a pass over many alike agents costs about (touched offers + classes) per request. Requests
 * with a hostname constraint are judged offer by offer, since hostnames differ within a class.
 */

export interface RunningTask {
  readonly group: string;
  readonly hostname: string;
  readonly attributes?: readonly Attribute[];
}

export interface MatchContext {
  /** Each agent's total resources (e.g. from GET_AGENTS), to tell "larger than any agent" apart from "no room now". */
  readonly agentTotals?: readonly (readonly Resource[])[];
  /** Tasks already running, so UNIQUE, CLUSTER, GROUP_BY and MAX_PER count them. */
  readonly running?: readonly RunningTask[];
}

const DIMS = ['cpus', 'mem', 'disk', 'ports'] as const;
type Dim = (typeof DIMS)[number];
const D = 4;
const SCORED = 3; // ports are counted for fit, not for the best-fit score

interface ScalarPiece {
  readonly resource: Resource;
  milli: number;
}
interface RangePiece {
  readonly resource: Resource;
  ranges: [number, number][];
}
/** Where an offer's usable amounts come from: unreserved (0) or reserved for `reservedRole` (1). */
interface OfferPieces {
  readonly scalars: [ScalarPiece[], ScalarPiece[]][]; // per scalar dim: [unreserved, reserved]
  readonly ports: [RangePiece[], RangePiece[]];
}

const toMilli = (v: number) => Math.round(v * 1000);
const show = (milli: number) => String(milli / 1000);

function attributeText(a: Attribute): string {
  switch (a.type) {
    case 'SCALAR':
      return String(a.scalar?.value ?? '');
    case 'TEXT':
      return a.text?.value ?? '';
    case 'SET':
      return `{${(a.set?.item ?? []).join(',')}}`;
    case 'RANGES':
      return `[${(a.ranges?.range ?? []).map((r) => `${r.begin}-${r.end}`).join(',')}]`;
  }
}

function factsOf(hostname: string, attributes: readonly Attribute[] | undefined): AgentFacts {
  return { hostname, attributes: new Map((attributes ?? []).map((a) => [a.name, attributeText(a)])) };
}

function usable(r: Resource): boolean {
  if (r.revocable || r.shared || r.provider_id) return false;
  if (r.disk && (r.disk.persistence || r.disk.source || r.disk.volume)) return false;
  return (DIMS as readonly string[]).includes(r.name);
}

function roleCovers(reservedRole: string, requestRole: string): boolean {
  return reservedRole === requestRole || requestRole.startsWith(`${reservedRole}/`);
}

function rangeCount(ranges: readonly [number, number][]): number {
  let n = 0;
  for (const [b, e] of ranges) n += e - b + 1;
  return n;
}

/**
 * Visits the resources of one offer a request could use, with the pool each belongs to: unreserved (0) or
 * reserved (1) for the offer's one reserved role. Returns that role.
 */
function visitUsable(offer: Offer, allocation: string | undefined, visit: (r: Resource, dim: number, pool: 0 | 1) => void): string | undefined {
  let reservedRole: string | undefined;
  for (const r of offer.resources ?? []) {
    if (!usable(r)) continue;
    const role = resourceRole(r);
    let pool: 0 | 1 = 0;
    if (role !== '*') {
      // one offer is one role; anything reserved for a second role cannot be used with the first
      reservedRole ??= allocation !== undefined && !roleCovers(role, allocation) ? undefined : role;
      if (role !== reservedRole) continue;
      pool = 1;
    }
    const dim = DIMS.indexOf(r.name as Dim);
    if (dim === 3 ? r.type === 'RANGES' : r.type === 'SCALAR') visit(r, dim, pool);
  }
  return reservedRole;
}

function hashText(text: string, h: number): number {
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return Math.imul(h ^ 0xff, 0x01000193);
}

function portRanges(r: Resource): [number, number][] {
  return (r.ranges?.range ?? []).map((x) => [Number(x.begin), Number(x.end)] as [number, number]).filter(([b, e]) => e >= b).sort((a, b) => a[0] - b[0]);
}

/** The offers of one pass as numeric vectors; Resource pieces and attribute maps are built only when needed. */
class OfferTable {
  readonly n: number;
  readonly free: Float64Array; // unreserved, per offer x dim, thousandths (ports: count)
  readonly reserved: Float64Array;
  readonly allocationRole: (string | undefined)[] = [];
  readonly reservedRole: (string | undefined)[] = [];
  private readonly pieces: (OfferPieces | undefined)[];
  private readonly facts: (AgentFacts | undefined)[];
  readonly classMembers: number[][] = [];
  readonly biggest = new Float64Array(SCORED);

  constructor(readonly offers: readonly Offer[]) {
    const n = (this.n = offers.length);
    this.free = new Float64Array(n * D);
    this.reserved = new Float64Array(n * D);
    this.pieces = new Array<OfferPieces | undefined>(n);
    this.facts = new Array<AgentFacts | undefined>(n);
    const classes = new Map<number, number[]>();
    for (let o = 0; o < n; o++) {
      const offer = offers[o]!;
      const allocation = offer.allocation_info?.role ?? offer.resources?.find((r) => r.allocation_info?.role)?.allocation_info?.role;
      const reservedRole = visitUsable(offer, allocation, (r, dim, pool) => {
        const store = pool === 0 ? this.free : this.reserved;
        const amount = dim === 3 ? rangeCount(portRanges(r)) : Math.max(0, toMilli(r.scalar?.value ?? 0));
        store[o * D + dim] = store[o * D + dim]! + amount;
      });
      this.allocationRole.push(allocation);
      this.reservedRole.push(reservedRole);
      for (let d = 0; d < SCORED; d++) {
        const total = this.free[o * D + d]! + this.reserved[o * D + d]!;
        if (total > this.biggest[d]!) this.biggest[d] = total;
      }
      this.classMembers[this.classFor(o, classes)]!.push(o);
    }
  }

  /** Offers alike in roles, amounts and attributes share a class; found by a numeric hash, then compared. */
  private classFor(o: number, classes: Map<number, number[]>): number {
    let h = hashText(this.allocationRole[o] ?? '', hashText(this.reservedRole[o] ?? '', 17));
    for (let d = 0; d < D; d++) h = Math.imul(h ^ this.free[o * D + d]!, 0x01000193) ^ this.reserved[o * D + d]!;
    for (const a of this.offers[o]!.attributes ?? []) h = hashText(attributeText(a), hashText(a.name, h));
    let candidates = classes.get(h);
    if (!candidates) classes.set(h, (candidates = []));
    for (const c of candidates) if (this.alike(this.classMembers[c]![0]!, o)) return c;
    const c = this.classMembers.length;
    this.classMembers.push([]);
    candidates.push(c);
    return c;
  }

  private alike(a: number, b: number): boolean {
    if (this.allocationRole[a] !== this.allocationRole[b] || this.reservedRole[a] !== this.reservedRole[b]) return false;
    for (let d = 0; d < D; d++) {
      if (this.free[a * D + d] !== this.free[b * D + d] || this.reserved[a * D + d] !== this.reserved[b * D + d]) return false;
    }
    const x = this.offers[a]!.attributes ?? [];
    const y = this.offers[b]!.attributes ?? [];
    if (x.length !== y.length) return false;
    for (let i = 0; i < x.length; i++) if (x[i]!.name !== y[i]!.name || attributeText(x[i]!) !== attributeText(y[i]!)) return false;
    return true;
  }

  factsAt(o: number): AgentFacts {
    return (this.facts[o] ??= factsOf(this.offers[o]!.hostname, this.offers[o]!.attributes));
  }

  piecesAt(o: number): OfferPieces {
    let pieces = this.pieces[o];
    if (pieces) return pieces;
    const built: OfferPieces = { scalars: [[[], []], [[], []], [[], []]], ports: [[], []] };
    visitUsable(this.offers[o]!, this.allocationRole[o], (r, dim, pool) => {
      if (dim === 3) built.ports[pool].push({ resource: r, ranges: portRanges(r) });
      else if (toMilli(r.scalar?.value ?? 0) > 0) built.scalars[dim]![pool]!.push({ resource: r, milli: toMilli(r.scalar?.value ?? 0) });
    });
    this.pieces[o] = pieces = built;
    return pieces;
  }
}

interface PreparedRequest {
  readonly request: LaunchRequest;
  readonly index: number;
  readonly role: string;
  readonly group: string;
  readonly need: Float64Array; // thousandths; ports: count
  readonly constraints: PlacementConstraint[];
  readonly size: number;
}

function take(pieces: ScalarPiece[], milli: number, out: Resource[]): number {
  for (const p of pieces) {
    if (milli <= 0) break;
    const part = Math.min(p.milli, milli);
    if (part <= 0) continue;
    p.milli -= part;
    milli -= part;
    out.push({ ...p.resource, scalar: { value: part / 1000 } });
  }
  return milli;
}

function takePorts(pieces: RangePiece[], count: number, out: Resource[], ports: number[]): number {
  for (const p of pieces) {
    if (count <= 0) break;
    const taken: [number, number][] = [];
    while (count > 0 && p.ranges.length > 0) {
      const first = p.ranges[0]!;
      const k = Math.min(count, first[1] - first[0] + 1);
      taken.push([first[0], first[0] + k - 1]);
      for (let i = 0; i < k; i++) ports.push(first[0] + i);
      count -= k;
      if (first[0] + k > first[1]) p.ranges.shift();
      else first[0] += k;
    }
    if (taken.length > 0) out.push({ ...p.resource, ranges: { range: taken.map(([begin, end]) => ({ begin, end })) } });
  }
  return count;
}

function agentCapacity(total: readonly Resource[]): Float64Array {
  const v = new Float64Array(D);
  v[0] = toMilli(scalarTotal(total, 'cpus'));
  v[1] = toMilli(scalarTotal(total, 'mem'));
  v[2] = toMilli(scalarTotal(total, 'disk'));
  for (const r of total) if (r.name === 'ports' && r.type === 'RANGES') v[3] = v[3]! + rangeCount((r.ranges?.range ?? []).map((x) => [Number(x.begin), Number(x.end)]));
  return v;
}

/** Places what fits; for the rest says, offer by offer, why not. Throws LaunchRequestError on a bad request. */
export function matchOffers(requests: readonly LaunchRequest[], offers: readonly Offer[], context: MatchContext = {}): MatchResult {
  const table = new OfferTable(offers);
  const { n, free, reserved } = table;
  const capacities = context.agentTotals?.map(agentCapacity);
  const biggest = table.biggest;
  if (capacities) for (const cap of capacities) for (let d = 0; d < SCORED; d++) if (cap[d]! > biggest[d]!) biggest[d] = cap[d]!;

  const inverseBiggest = biggest.map((b) => (b > 0 ? 1 / b : 0));
  const ids = new Set<string>();
  const prepared: PreparedRequest[] = requests.map((request, index) => {
    const constraints = validateLaunchRequest(request);
    if (ids.has(request.id)) throw new LaunchRequestError(request.id, 'the id appears twice in one pass', 'Give every request a unique id');
    ids.add(request.id);
    const need = new Float64Array([toMilli(request.cpus), toMilli(request.mem), toMilli(request.disk ?? 0), request.ports ?? 0]);
    let size = 0;
    for (let d = 0; d < SCORED; d++) if (biggest[d]! > 0) size = Math.max(size, need[d]! / biggest[d]!);
    return { request, index, role: request.role ?? '*', group: request.group ?? request.id, need, constraints, size };
  });
  const order = [...prepared].sort((a, b) => b.size - a.size || (a.request.id < b.request.id ? -1 : a.request.id > b.request.id ? 1 : 0));

  // GROUP_BY needs every value an attribute takes, across offers and running tasks
  const valueSets = new Map<string, Set<string>>();
  const running = (context.running ?? []).map((t) => ({ group: t.group, facts: factsOf(t.hostname, t.attributes) }));
  const placements = new GroupPlacements((attribute) => {
    let set = valueSets.get(attribute);
    if (!set) {
      set = new Set();
      for (const f of [...offers.map((_, o) => table.factsAt(o)), ...running.map((r) => r.facts)]) {
        const v = attributeOf(f, attribute);
        if (v !== undefined) set.add(v);
      }
      valueSets.set(attribute, set);
    }
    return set;
  });
  const constrainedAttributes = new Map<string, Set<string>>();
  for (const p of prepared) {
    if (p.constraints.length === 0) continue;
    let set = constrainedAttributes.get(p.group);
    if (!set) constrainedAttributes.set(p.group, (set = new Set()));
    for (const c of p.constraints) set.add(c.attribute);
  }
  for (const r of running) {
    const attrs = constrainedAttributes.get(r.group);
    if (attrs) placements.record(r.group, r.facts, attrs);
  }

  // per request role: may this offer be used, and may its reserved part be used
  const eligibility = new Map<string, { allowed: Uint8Array; useReserved: Uint8Array }>();
  const eligibilityFor = (role: string) => {
    let e = eligibility.get(role);
    if (e) return e;
    e = { allowed: new Uint8Array(n), useReserved: new Uint8Array(n) };
    for (let o = 0; o < n; o++) {
      const allocation = table.allocationRole[o];
      if (role !== '*' && allocation !== undefined && allocation !== role) continue;
      e.allowed[o] = 1;
      const rr = table.reservedRole[o];
      if (role !== '*' && rr !== undefined && roleCovers(rr, role)) e.useReserved[o] = 1;
    }
    eligibility.set(role, e);
    return e;
  };

  const touched = new Uint8Array(n);
  const touchedList: number[] = [];
  const classCursor = new Int32Array(table.classMembers.length);
  const tasksByOffer = new Map<number, TaskPlacement[]>();
  const failed: PreparedRequest[] = [];

  const violation = (p: PreparedRequest, o: number): string | undefined => {
    for (const c of p.constraints) {
      const why = placements.violation(p.group, c, table.factsAt(o));
      if (why !== undefined) return why;
    }
    return undefined;
  };

  // remaining dominant share after placing `need` on offer o, or -1 when it does not fit
  const score = (need: Float64Array, o: number, useReserved: number): number => {
    const base = o * D;
    let worst = 0;
    for (let d = 0; d < D; d++) {
      const left = free[base + d]! + (useReserved ? reserved[base + d]! : 0) - need[d]!;
      if (left < 0) return -1;
      if (d < SCORED && need[d]! > 0) {
        const share = left * inverseBiggest[d]!;
        if (share > worst) worst = share;
      }
    }
    return worst;
  };

  for (const p of order) {
    const { allowed, useReserved } = eligibilityFor(p.role);
    const constrained = p.constraints.length > 0;
    let best = -1;
    let bestScore = Infinity;
    const consider = (o: number) => {
      if (!allowed[o]) return;
      const s = score(p.need, o, useReserved[o]!);
      if (s < 0 || s > bestScore || (s === bestScore && o > best)) return;
      if (constrained && violation(p, o) !== undefined) return;
      best = o;
      bestScore = s;
    };
    if (p.constraints.some((c) => c.attribute === 'hostname')) {
      // hostnames differ within a class, so every offer is judged on its own
      for (let o = 0; o < n; o++) consider(o);
    } else {
      for (const o of touchedList) consider(o);
      const members = table.classMembers;
      for (let c = 0; c < members.length; c++) {
        const list = members[c]!;
        let i = classCursor[c]!;
        while (i < list.length && touched[list[i]!]) i++;
        classCursor[c] = i;
        if (i < list.length) consider(list[i]!);
      }
    }
    if (best < 0) {
      failed.push(p);
      continue;
    }
    const o = best;
    if (!touched[o]) {
      touched[o] = 1;
      touchedList.push(o);
    }
    const pieces = table.piecesAt(o);
    const resources: Resource[] = [];
    const ports: number[] = [];
    const pools = useReserved[o] ? [1, 0] : [0];
    for (let d = 0; d < SCORED; d++) {
      let left = p.need[d]!;
      for (const pool of pools) left = take(pieces.scalars[d]![pool]!, left, resources);
    }
    let portsLeft = p.need[3]!;
    for (const pool of pools) portsLeft = takePorts(pieces.ports[pool as 0 | 1], portsLeft, resources, ports);
    for (let d = 0; d < D; d++) {
      // reserved first: only this role can use it, unreserved is kept for others
      let left = p.need[d]!;
      if (useReserved[o]) {
        const fromReserved = Math.min(left, reserved[o * D + d]!);
        reserved[o * D + d] = reserved[o * D + d]! - fromReserved;
        left -= fromReserved;
      }
      free[o * D + d] = free[o * D + d]! - left;
    }
    const attrs = constrainedAttributes.get(p.group);
    if (attrs) placements.record(p.group, table.factsAt(o), attrs);
    let list = tasksByOffer.get(o);
    if (!list) tasksByOffer.set(o, (list = []));
    list.push({ request: p.request, resources, ports });
  }

  const assignments: OfferAssignment[] = [...tasksByOffer.keys()]
    .sort((a, b) => a - b)
    .map((o) => ({ offerId: offers[o]!.id.value, agentId: offers[o]!.agent_id.value, hostname: offers[o]!.hostname, tasks: tasksByOffer.get(o)! }));

  const unmatched = failed
    .sort((a, b) => a.index - b.index)
    .map((p) => {
      const { allowed, useReserved } = eligibilityFor(p.role);
      const rejections: OfferRejection[] = [];
      for (let o = 0; o < n; o++) {
        const offer = offers[o]!;
        const base = { offerId: offer.id.value, hostname: offer.hostname };
        if (!allowed[o]) {
          rejections.push({ ...base, kind: 'role', message: `offer is allocated to role '${table.allocationRole[o]}', request is for role '${p.role}'` });
          continue;
        }
        const shortfalls: Shortfall[] = [];
        for (let d = 0; d < D; d++) {
          const has = free[o * D + d]! + (useReserved[o] ? reserved[o * D + d]! : 0);
          if (p.need[d]! > has) shortfalls.push({ resource: DIMS[d]!, needs: d < SCORED ? p.need[d]! / 1000 : p.need[d]!, has: d < SCORED ? has / 1000 : has });
        }
        if (shortfalls.length > 0) {
          const message = shortfalls.map((s) => `${s.resource}: needs ${s.resource === 'ports' ? s.needs : show(toMilli(s.needs))}, offer has ${s.resource === 'ports' ? s.has : show(toMilli(s.has))}`).join('; ');
          rejections.push({ ...base, kind: 'resources', message, shortfalls });
          continue;
        }
        rejections.push({ ...base, kind: 'constraint', message: violation(p, o) ?? 'fits now, but not when its turn came (larger requests go first)' });
      }
      const largerThanAnyAgent = capacities !== undefined && capacities.length > 0 && capacities.every((cap) => p.need.some((v, d) => v > cap[d]!));
      return { request: p.request, largerThanAnyAgent, rejections };
    });

  return { assignments, unmatched };
}
