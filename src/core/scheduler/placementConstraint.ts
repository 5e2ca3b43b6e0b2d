import type { ConstraintOperator, LaunchRequest, PlacementConstraint } from './launchRequest';
import { LaunchRequestError } from './launchRequestError';

const OPERATORS: readonly ConstraintOperator[] = ['UNIQUE', 'CLUSTER', 'LIKE', 'UNLIKE', 'GROUP_BY', 'MAX_PER'];
const EXAMPLE = "Write it as [attribute, operator, value?], e.g. ['hostname', 'UNIQUE'] or ['rack', 'GROUP_BY', '3']";

function positiveInteger(requestId: string, raw: string, what: string): number {
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(n) || n < 1) {
    throw new LaunchRequestError(requestId, `${what} must be a positive whole number, got '${raw}'`, EXAMPLE);
  }
  return n;
}

/** Parses one Marathon-style constraint; throws LaunchRequestError naming what is wrong. */
export function parsePlacementConstraint(requestId: string, raw: readonly string[]): PlacementConstraint {
  if (!Array.isArray(raw) || raw.length < 2 || raw.length > 3 || raw.some((x) => typeof x !== 'string')) {
    throw new LaunchRequestError(requestId, `constraint ${JSON.stringify(raw)} is not 2 or 3 strings`, EXAMPLE);
  }
  const [attribute, rawOperator, value] = raw as [string, string, string | undefined];
  if (attribute.trim() === '') throw new LaunchRequestError(requestId, 'constraint has an empty attribute name', EXAMPLE);
  const operator = rawOperator.toUpperCase() as ConstraintOperator;
  if (!OPERATORS.includes(operator)) {
    throw new LaunchRequestError(requestId, `unknown constraint operator '${rawOperator}'`, `Use one of ${OPERATORS.join(', ')}`);
  }
  switch (operator) {
    case 'UNIQUE':
      if (value !== undefined) throw new LaunchRequestError(requestId, `UNIQUE on '${attribute}' takes no value`, EXAMPLE);
      return { attribute, operator };
    case 'CLUSTER':
      return value === undefined ? { attribute, operator } : { attribute, operator, value };
    case 'LIKE':
    case 'UNLIKE': {
      if (value === undefined) throw new LaunchRequestError(requestId, `${operator} on '${attribute}' needs a regular expression`, EXAMPLE);
      try {
        return { attribute, operator, value, pattern: new RegExp(`^(?:${value})$`) };
      } catch (cause) {
        throw new LaunchRequestError(requestId, `${operator} on '${attribute}': '${value}' is not a valid regular expression (${(cause as Error).message})`, 'Fix the pattern; it must match the whole attribute value');
      }
    }
    case 'GROUP_BY':
      return value === undefined ? { attribute, operator } : { attribute, operator, value, count: positiveInteger(requestId, value, `GROUP_BY count on '${attribute}'`) };
    case 'MAX_PER':
      if (value === undefined) throw new LaunchRequestError(requestId, `MAX_PER on '${attribute}' needs a limit`, EXAMPLE);
      return { attribute, operator, value, count: positiveInteger(requestId, value, `MAX_PER limit on '${attribute}'`) };
  }
}

/** Checks a request's sizes and parses its constraints. */
export function validateLaunchRequest(request: LaunchRequest): PlacementConstraint[] {
  const id = request.id;
  if (typeof id !== 'string' || id === '') throw new LaunchRequestError(String(id), 'the id is empty', 'Give every request a unique, non-empty id');
  for (const [name, value, required] of [
    ['cpus', request.cpus, true],
    ['mem', request.mem, true],
    ['disk', request.disk, false],
    ['ports', request.ports, false],
  ] as const) {
    if (value === undefined && !required) continue;
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      throw new LaunchRequestError(id, `${name} must be a finite number >= 0, got ${String(value)}`, 'Fix the size in the request');
    }
  }
  if (request.ports !== undefined && !Number.isInteger(request.ports)) {
    throw new LaunchRequestError(id, `ports is a count of port numbers and must be whole, got ${request.ports}`, 'Ask for a whole number of ports');
  }
  if (request.role !== undefined && (typeof request.role !== 'string' || request.role === '')) {
    throw new LaunchRequestError(id, 'the role is empty', "Use '*' for unreserved resources or a role name");
  }
  return (request.constraints ?? []).map((c) => parsePlacementConstraint(id, c));
}
