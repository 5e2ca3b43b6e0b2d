/**
 * What a task needs from an offer. Sizes are in Mesos units (cpus, MB of mem and disk); `ports` is how many
 * port numbers the task wants, taken from the offer's `ports` ranges.
 */
export interface LaunchRequest {
  readonly id: string;
  readonly cpus: number;
  readonly mem: number;
  readonly disk?: number;
  readonly ports?: number;
  /** '*' (the default) uses unreserved resources only; a role R also uses resources reserved for R. */
  readonly role?: string;
  /** Tasks of one group are spread or packed together by UNIQUE, CLUSTER, GROUP_BY and MAX_PER. Default: id. */
  readonly group?: string;
  /** Marathon-style `[attribute, operator, value?]`; 'hostname' names the agent's hostname. */
  readonly constraints?: readonly (readonly string[])[];
}

export type ConstraintOperator = 'UNIQUE' | 'CLUSTER' | 'LIKE' | 'UNLIKE' | 'GROUP_BY' | 'MAX_PER';

/** One validated constraint, ready to test against an agent. */
export interface PlacementConstraint {
  readonly attribute: string;
  readonly operator: ConstraintOperator;
  readonly value?: string;
  /** LIKE / UNLIKE: the value compiled for a full match. */
  readonly pattern?: RegExp;
  /** GROUP_BY: how many values the attribute is known to have; MAX_PER: the limit per value. */
  readonly count?: number;
}
