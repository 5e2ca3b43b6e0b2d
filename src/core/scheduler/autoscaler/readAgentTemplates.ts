import { editDistance } from '../editDistance';
import { LaunchRequestError } from '../launchRequestError';
import { parsePlacementConstraint } from '../placementConstraint';
import type { AgentTemplate } from './agentTemplate';
import type { AgentTemplateProblem } from './agentTemplateProblem';

const SETTING = 'mesos.jenkins.agentTemplates';
/** Node names are `mesos-<template>-<instance>-<n>`; 32 keeps them within the 63 characters hostnames allow. */
export const TEMPLATE_NAME = /^[a-z0-9](?:[a-z0-9-]{0,30}[a-z0-9])?$/;

export const AGENT_TEMPLATE_KEYS = [
  'name',
  'labels',
  'cpus',
  'mem',
  'disk',
  'executors',
  'maxAgents',
  'idleMinutes',
  'servesUnlabeled',
  'command',
  'image',
  'containerizer',
  'jvmArgs',
  'constraints',
  'remoteFs',
  'webSocket',
  'role',
] as const;

/** The values a template gets for what it leaves out. */
export const AGENT_TEMPLATE_DEFAULTS = {
  cpus: 1,
  mem: 1024,
  disk: 0,
  executors: 1,
  maxAgents: 5,
  idleMinutes: 5,
  servesUnlabeled: false,
  containerizer: 'mesos',
  jvmArgs: '',
  remoteFs: 'jenkins',
  /** The workdir the `jenkins/inbound-agent` image is built for. */
  remoteFsWithImage: '/home/jenkins/agent',
  webSocket: true,
} as const;

class Problem extends Error {}

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

function show(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(JSON.stringify(value) ?? value);
}

/** The closest known key, so a typo gets a "did you mean". */
function suggestion(key: string): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const known of AGENT_TEMPLATE_KEYS) {
    const d = known.toLowerCase() === key.toLowerCase() ? 0 : editDistance(known, key);
    if (d < bestDistance) {
      best = known;
      bestDistance = d;
    }
  }
  return best;
}

function numberField(
  e: Record<string, unknown>,
  key: keyof typeof AGENT_TEMPLATE_DEFAULTS,
  rule: 'positive' | 'nonNegative' | 'count' | 'positiveCount',
): number {
  const value = e[key];
  if (value === undefined) return AGENT_TEMPLATE_DEFAULTS[key] as number;
  const ok =
    typeof value === 'number' &&
    Number.isFinite(value) &&
    (rule === 'positive' ? value > 0 : rule === 'positiveCount' ? Number.isInteger(value) && value >= 1 : value >= 0) &&
    (rule === 'count' || rule === 'positiveCount' ? Number.isInteger(value) : true);
  if (!ok) {
    const wanted = {
      positive: 'a number above 0',
      nonNegative: 'a number of 0 or more',
      count: 'a whole number of 0 or more',
      positiveCount: 'a whole number of 1 or more',
    }[rule];
    throw new Problem(`"${key}" must be ${wanted}, got ${show(value)}`);
  }
  return value as number;
}

function booleanField(e: Record<string, unknown>, key: 'servesUnlabeled' | 'webSocket'): boolean {
  const value = e[key];
  if (value === undefined) return AGENT_TEMPLATE_DEFAULTS[key];
  if (typeof value !== 'boolean') throw new Problem(`"${key}" must be true or false, got ${show(value)}`);
  return value;
}

function textField(
  e: Record<string, unknown>,
  key: 'command' | 'image' | 'jvmArgs' | 'remoteFs' | 'role',
  rule: { noSpaces?: boolean; allowEmpty?: boolean; multiLine?: boolean } = {},
): string | undefined {
  const value = e[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw new Problem(`"${key}" must be text, got ${show(value)}`);
  const text = value.trim();
  if (text === '' && !rule.allowEmpty) throw new Problem(`"${key}" is empty; leave it out to use the default`);
  const controls = rule.multiLine ? text.replace(/[\n\t]/g, '') : text;
  if (CONTROL.test(controls)) {
    throw new Problem(
      `"${key}" contains a ${rule.multiLine ? 'control character' : 'line break or control character'}`,
    );
  }
  if (rule.noSpaces && /\s/.test(text)) throw new Problem(`"${key}" must not contain spaces, got ${show(value)}`);
  return text;
}

function labelsOf(value: unknown): string[] {
  if (value === undefined) return [];
  let atoms: unknown[];
  if (typeof value === 'string') atoms = value.split(/\s+/).filter((a) => a !== '');
  else if (Array.isArray(value)) atoms = value;
  else
    throw new Problem(
      `"labels" must be a list of label atoms (["linux", "docker"]) or text ("linux docker"), got ${show(value)}`,
    );
  const out: string[] = [];
  for (const atom of atoms) {
    if (typeof atom !== 'string' || atom.trim() === '')
      throw new Problem(`"labels" holds ${show(atom)}, which is not a label`);
    if (/[\s"']/.test(atom) || CONTROL.test(atom)) {
      throw new Problem(
        `label ${show(atom)} contains a space or quote; a node label is one word (use several labels, e.g. ["linux", "docker"])`,
      );
    }
    if (!out.includes(atom)) out.push(atom);
  }
  return out;
}

function constraintsOf(name: string, value: unknown): string[][] {
  if (value === undefined) return [];
  if (!Array.isArray(value))
    throw new Problem(`"constraints" must be a list like [["hostname", "UNIQUE"]], got ${show(value)}`);
  return value.map((raw: unknown) => {
    try {
      parsePlacementConstraint(name, raw as string[]);
    } catch (err) {
      if (err instanceof LaunchRequestError)
        throw new Problem(`constraint ${show(raw)}: ${err.problem}. ${err.nextStep}`);
      throw err;
    }
    return [...(raw as string[])];
  });
}

function readOne(e: Record<string, unknown>, name: string): AgentTemplate {
  for (const key of Object.keys(e)) {
    if (!(AGENT_TEMPLATE_KEYS as readonly string[]).includes(key)) {
      const maybe = suggestion(key);
      throw new Problem(`unknown key "${key}"${maybe ? ` (did you mean "${maybe}"?)` : ''}`);
    }
  }
  const labels = labelsOf(e.labels);
  const servesUnlabeled = booleanField(e, 'servesUnlabeled');
  if (labels.length === 0 && !servesUnlabeled) {
    throw new Problem('no "labels", so no build would ever ask for it; add labels (or set "servesUnlabeled": true)');
  }
  const image = textField(e, 'image', { noSpaces: true });
  const containerizer = e.containerizer ?? AGENT_TEMPLATE_DEFAULTS.containerizer;
  if (containerizer !== 'mesos' && containerizer !== 'docker') {
    throw new Problem(`"containerizer" must be "mesos" or "docker", got ${show(containerizer)}`);
  }
  if (e.containerizer !== undefined && image === undefined)
    throw new Problem('"containerizer" only applies with an "image"; add one or leave it out');
  // a shell script may span lines (a here-document needs them)
  const command = textField(e, 'command', { multiLine: true });
  const role = textField(e, 'role', { noSpaces: true });
  const template: AgentTemplate = {
    name,
    labels,
    cpus: numberField(e, 'cpus', 'positive'),
    mem: numberField(e, 'mem', 'positive'),
    disk: numberField(e, 'disk', 'nonNegative'),
    executors: numberField(e, 'executors', 'positiveCount'),
    maxAgents: numberField(e, 'maxAgents', 'count'),
    idleMinutes: numberField(e, 'idleMinutes', 'nonNegative'),
    servesUnlabeled,
    containerizer,
    jvmArgs: textField(e, 'jvmArgs', { allowEmpty: true }) ?? AGENT_TEMPLATE_DEFAULTS.jvmArgs,
    constraints: constraintsOf(name, e.constraints),
    remoteFs:
      textField(e, 'remoteFs') ??
      (image ? AGENT_TEMPLATE_DEFAULTS.remoteFsWithImage : AGENT_TEMPLATE_DEFAULTS.remoteFs),
    webSocket: booleanField(e, 'webSocket'),
    ...(command !== undefined ? { command } : {}),
    ...(image !== undefined ? { image } : {}),
    ...(role !== undefined ? { role } : {}),
  };
  return template;
}

/**
 * Reads the `mesos.jenkins.agentTemplates` setting: every usable template, and one problem per entry that
 * is not, saying what to fix, so that one bad entry never takes the others down. An entry with an unknown
 * key is not used (a misspelt "maxAgents" must not silently become the default).
 */
export function readAgentTemplates(setting: unknown): { templates: AgentTemplate[]; problems: AgentTemplateProblem[] } {
  const templates: AgentTemplate[] = [];
  const problems: AgentTemplateProblem[] = [];
  if (setting === undefined || setting === null) return { templates, problems };
  if (!Array.isArray(setting)) {
    return {
      templates,
      problems: [
        { index: -1, message: `${SETTING} must be a list of templates ([{"name": "linux", "labels": ["linux"]}]).` },
      ],
    };
  }
  const seen = new Set<string>();
  setting.forEach((entry: unknown, index) => {
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
      problems.push({ index, message: `Entry ${index + 1} of ${SETTING} is not an object with "name" and "labels".` });
      return;
    }
    const e = entry as Record<string, unknown>;
    const rawName = typeof e.name === 'string' ? e.name.trim() : undefined;
    if (!rawName) {
      problems.push({ index, message: `Entry ${index + 1} of ${SETTING} has no "name".` });
      return;
    }
    const problem = (message: string) =>
      problems.push({ index, name: rawName, message: `Template "${rawName}": ${message}` });
    if (!TEMPLATE_NAME.test(rawName)) {
      problem(
        'the name goes into node names, so use lower-case letters, digits and "-" (at most 32, not starting or ending with "-").',
      );
      return;
    }
    if (seen.has(rawName)) {
      problem(`the name is used twice in ${SETTING}; names must be unique. Rename one.`);
      return;
    }
    try {
      templates.push(readOne(e, rawName));
      seen.add(rawName);
    } catch (err) {
      if (!(err instanceof Problem)) throw err;
      const text = err.message;
      problem(`${text}${/[.?!]$/.test(text) ? '' : '.'} The template is not used until this is fixed.`);
    }
  });
  return { templates, problems };
}
