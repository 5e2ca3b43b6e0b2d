import { AGENT_TEMPLATE_DEFAULTS, TEMPLATE_NAME } from './readAgentTemplates';

/**
 * The JSON schema of the `mesos.jenkins.agentTemplates` setting, for package.json. It lets the editor
 * complete and underline entries; readAgentTemplates stays the authority (it also checks what a schema
 * cannot say well, such as placement constraint operators), and a unit test keeps the two in step.
 */
export const AGENT_TEMPLATES_SETTING_SCHEMA = {
  type: 'array',
  default: [],
  markdownDescription:
    'Jenkins agents the autoscaler launches as Mesos tasks when builds wait for a label a template serves. ' +
    'A build is served by the first template whose `labels` satisfy its label expression. Agents connect as ' +
    'inbound agents (`agent.jar` fetched from the controller) and are removed after `idleMinutes` idle.',
  items: {
    type: 'object',
    required: ['name'],
    additionalProperties: false,
    properties: {
      name: {
        type: 'string',
        pattern: TEMPLATE_NAME.source,
        description: 'Unique template name; agents are named mesos-<name>-<instance>-<n>.',
      },
      labels: {
        type: ['array', 'string'],
        items: { type: 'string', pattern: '^[^\\s"\']+$' },
        markdownDescription: 'The agents\' label atoms, e.g. `["linux", "docker"]` (or `"linux docker"`).',
      },
      cpus: {
        type: 'number',
        exclusiveMinimum: 0,
        default: AGENT_TEMPLATE_DEFAULTS.cpus,
        description: 'CPUs per agent task.',
      },
      mem: {
        type: 'number',
        exclusiveMinimum: 0,
        default: AGENT_TEMPLATE_DEFAULTS.mem,
        description: 'Memory per agent task, MB (the JVM heap must fit in it).',
      },
      disk: {
        type: 'number',
        minimum: 0,
        default: AGENT_TEMPLATE_DEFAULTS.disk,
        description: 'Disk per agent task, MB.',
      },
      executors: {
        type: 'integer',
        minimum: 1,
        default: AGENT_TEMPLATE_DEFAULTS.executors,
        description: 'Executors (parallel builds) per agent.',
      },
      maxAgents: {
        type: 'integer',
        minimum: 0,
        default: AGENT_TEMPLATE_DEFAULTS.maxAgents,
        description: 'Most agents of this template at once; 0 disables it.',
      },
      idleMinutes: {
        type: 'number',
        minimum: 0,
        default: AGENT_TEMPLATE_DEFAULTS.idleMinutes,
        description: 'Idle minutes before an agent is taken offline and removed; 0 removes it as soon as it is idle.',
      },
      servesUnlabeled: {
        type: 'boolean',
        default: AGENT_TEMPLATE_DEFAULTS.servesUnlabeled,
        description: 'Also serve builds without a label (the nodes are then in NORMAL mode instead of EXCLUSIVE).',
      },
      command: {
        type: 'string',
        markdownDescription:
          'Shell command that starts the agent instead of `java -jar agent.jar …`. It gets `JENKINS_URL`, `JENKINS_AGENT_NAME`, `JENKINS_AGENT_WORKDIR` in its environment and the secret in the shell variable `JENKINS_SECRET` (not exported): pass it as `-secret @/dev/fd/3 3<<EOF` … `EOF`.',
      },
      image: {
        type: 'string',
        markdownDescription:
          'Container image, e.g. `jenkins/inbound-agent`; without `command` its entrypoint starts the agent.',
      },
      containerizer: {
        type: 'string',
        enum: ['mesos', 'docker'],
        default: AGENT_TEMPLATE_DEFAULTS.containerizer,
        description: 'Containerizer for the image.',
      },
      jvmArgs: {
        type: 'string',
        default: AGENT_TEMPLATE_DEFAULTS.jvmArgs,
        description: 'JVM options for the agent, e.g. -Xmx512m.',
      },
      constraints: {
        type: 'array',
        items: { type: 'array', items: { type: 'string' }, minItems: 2, maxItems: 3 },
        markdownDescription:
          'Marathon-style placement constraints, e.g. `[["os", "LIKE", "linux"], ["hostname", "UNIQUE"]]`.',
      },
      remoteFs: {
        type: 'string',
        markdownDescription: `The node's remote root and the agent's work directory; relative paths are inside the task sandbox. Default \`${AGENT_TEMPLATE_DEFAULTS.remoteFs}\`, or \`${AGENT_TEMPLATE_DEFAULTS.remoteFsWithImage}\` with an image.`,
      },
      webSocket: {
        type: 'boolean',
        default: AGENT_TEMPLATE_DEFAULTS.webSocket,
        description: 'Connect over WebSocket on the HTTP(S) port instead of the TCP agent port.',
      },
      role: {
        type: 'string',
        description: "Mesos role whose resources the agents use (default: the framework's role).",
      },
    },
  },
} as const;
