import type { Resource } from '../mesos/codec';
import type { LaunchRequest } from './launchRequest';

/** One request placed on one offer, with the exact resources to put in TaskInfo.resources. */
export interface TaskPlacement {
  readonly request: LaunchRequest;
  /** Cut from the offer's own Resource objects: role, reservations and allocation_info are echoed as offered. */
  readonly resources: Resource[];
  /** Port numbers taken from the offer's `ports` ranges, lowest first. */
  readonly ports: number[];
}

export interface OfferAssignment {
  readonly offerId: string;
  readonly agentId: string;
  readonly hostname: string;
  readonly tasks: TaskPlacement[];
}

export interface Shortfall {
  readonly resource: 'cpus' | 'mem' | 'disk' | 'ports';
  readonly needs: number;
  readonly has: number;
}

/** Why one offer could not take one request. */
export interface OfferRejection {
  readonly offerId: string;
  readonly hostname: string;
  readonly kind: 'role' | 'resources' | 'constraint';
  /** e.g. "mem: needs 2048, offer has 1024" or "UNIQUE hostname: a task of group 'g' is already on 'a1'". */
  readonly message: string;
  readonly shortfalls?: readonly Shortfall[];
}

export interface UnmatchedRequest {
  readonly request: LaunchRequest;
  /** True when no agent's total (from the context) could ever hold the request. */
  readonly largerThanAnyAgent: boolean;
  /** One entry per offer, in offer order; empty when there were no offers. */
  readonly rejections: OfferRejection[];
}

/** The outcome of one matching pass: what to launch where, and why the rest did not fit. */
export interface MatchResult {
  /** Offers that received at least one task, in offer order. */
  readonly assignments: OfferAssignment[];
  readonly unmatched: UnmatchedRequest[];
}
