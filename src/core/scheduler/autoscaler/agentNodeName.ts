/**
 * How the autoscaler names its Jenkins nodes (which are also its Mesos task names) and how it tells its own
 * nodes from everyone else's. A name is `mesos-<template>-<instance>-<n>`: `instance` is fresh for every
 * start of the autoscaler and `n` counts up in its state, so names are never reused (a node's secret depends
 * only on its name: a stale task could otherwise connect to a new node, reference §7.6) and a replay of
 * recorded inputs names everything the same way. Only `[a-z0-9-]`, at most 63 characters: the name becomes a
 * hostname in containers and appears in URLs and shell commands.
 *
 * A node is ours when its name has this shape AND its description carries the owner marker: the name alone
 * could be anyone's, and two autoscalers (two clusters) sharing one Jenkins must not delete each other's nodes.
 */

export const AGENT_NAME_PREFIX = 'mesos-';
const NAME = /^mesos-([a-z0-9](?:[a-z0-9-]*[a-z0-9])?)-([a-z0-9]{1,8})-([1-9][0-9]{0,9})$/;
export const INSTANCE_PATTERN = /^[a-z0-9]{1,8}$/;

export interface AgentNodeNameParts {
  readonly template: string;
  readonly instance: string;
  readonly counter: number;
}

export function agentNodeName(template: string, instance: string, counter: number): string {
  return `${AGENT_NAME_PREFIX}${template}-${instance}-${counter}`;
}

/** The parts of a name made by agentNodeName, or undefined for any other name. */
export function parseAgentNodeName(name: string): AgentNodeNameParts | undefined {
  const m = NAME.exec(name);
  return m ? { template: m[1]!, instance: m[2]!, counter: Number(m[3]) } : undefined;
}

/** The text in a node's description that says which autoscaler owns it. */
export function agentNodeMarker(owner: string): string {
  return `[mesos-ops:${owner}]`;
}

export function agentNodeDescription(owner: string, template: string): string {
  return `Jenkins agent on Mesos (template ${template}), managed by Mesos Ops ${agentNodeMarker(owner)}; removed when idle`;
}

export function isOwnAgentNode(name: string, description: string | null | undefined, owner: string): boolean {
  return parseAgentNodeName(name) !== undefined && (description ?? '').includes(agentNodeMarker(owner));
}
