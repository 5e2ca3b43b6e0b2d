import type {
  AgentCall,
  AgentResponse,
  ExecutorInfo,
  FrameworkInfo,
  MasterCall,
  MasterEvent,
  MasterResponse,
  MasterResponseGetAgentsAgent,
  MasterResponseGetFrameworksFramework,
  MasterResponseGetState,
  Offer,
  OperationStatus,
  Resource,
  SchedulerCall,
  SchedulerEvent,
  Task,
  TaskInfo,
  TaskStatus,
} from '../../../../src/core/mesos/codec';

/**
 * One message of every type the codec handles, each filled with the fields its kind of use touches
 * (reservations, volumes, containers, health checks, maps, oneofs, bytes, 64-bit integers), so a round
 * trip through both encodings exercises every construct of the schema.
 */

const FRAMEWORK_ID = { value: '7c1e4a6b-0b2d-4f41-9d1c-1b2f3a4c5d6e-0003' };
const AGENT_ID = { value: '7c1e4a6b-0b2d-4f41-9d1c-1b2f3a4c5d6e-S4' };
const OFFER_ID = { value: '7c1e4a6b-0b2d-4f41-9d1c-1b2f3a4c5d6e-O981' };
// 16 bytes, as Mesos's UUIDs are.
const UUID = 'q0wvhS0wRGO9XUt0e1J1aw==';
// Beyond 2^53, so it only survives as a string.
const NANOS = '1795566157810769921';

export const cpus = (value: number, role = 'analytics'): Resource => ({
  name: 'cpus',
  type: 'SCALAR',
  scalar: { value },
  allocation_info: { role },
  reservations: [
    { type: 'STATIC', role },
    { type: 'DYNAMIC', role: `${role}/ci`, principal: 'ops', labels: { labels: [{ key: 'owner', value: 'ci' }] } },
  ],
});

export const ports = (begin: number, end: number): Resource => ({
  name: 'ports',
  type: 'RANGES',
  ranges: { range: [{ begin, end }] },
  role: '*',
});

export const persistentVolume: Resource = {
  name: 'disk',
  type: 'SCALAR',
  scalar: { value: 1024 },
  role: 'analytics',
  reservation: { principal: 'ops' },
  disk: {
    persistence: { id: 'pg-data', principal: 'ops' },
    volume: { mode: 'RW', container_path: 'data' },
    source: { type: 'MOUNT', mount: { root: '/mnt/disk0' }, metadata: { labels: [{ key: 'ssd' }] } },
  },
  shared: {},
};

export const revocableMem: Resource = {
  name: 'mem',
  type: 'SCALAR',
  scalar: { value: 512 },
  revocable: {},
  provider_id: { value: 'rp-1' },
};

export const gpuSet: Resource = { name: 'gpus_ids', type: 'SET', set: { item: ['gpu0', 'gpu1'] } };

export const frameworkInfo: FrameworkInfo = {
  user: 'jenkins',
  name: 'mesos-ops-jenkins',
  id: FRAMEWORK_ID,
  failover_timeout: 604800,
  checkpoint: true,
  roles: ['analytics', 'ci'],
  hostname: 'editor.example',
  principal: 'mesos-ops',
  webui_url: 'http://editor.example:8080/',
  capabilities: [{ type: 'MULTI_ROLE' }, { type: 'PARTITION_AWARE' }, { type: 'TASK_KILLING_STATE' }],
  labels: { labels: [{ key: 'team', value: 'build' }] },
  offer_filters: {
    analytics: {
      min_allocatable_resources: { quantities: [{ quantities: { cpus: { value: 1 }, mem: { value: 512 } } }] },
    },
  },
};

export const commandTask: TaskInfo = {
  name: 'jenkins-agent-1',
  task_id: { value: 'jenkins-agent-1' },
  agent_id: AGENT_ID,
  resources: [cpus(0.5), ports(31000, 31000)],
  command: {
    shell: false,
    value: '/usr/bin/java',
    arguments: ['java', '-jar', 'agent.jar'],
    user: 'jenkins',
    uris: [
      {
        value: 'https://ci.example/jnlpJars/agent.jar',
        executable: false,
        extract: false,
        cache: true,
        output_file: 'agent.jar',
      },
    ],
    environment: {
      variables: [
        { name: 'JENKINS_URL', value: 'https://ci.example/' },
        { name: 'JENKINS_SECRET', type: 'SECRET', secret: { type: 'VALUE', value: { data: 'c2VjcmV0' } } },
        { name: 'VAULT', type: 'SECRET', secret: { type: 'REFERENCE', reference: { name: 'vault/ci', key: 'token' } } },
      ],
    },
  },
  container: {
    type: 'DOCKER',
    hostname: 'agent-1',
    docker: {
      image: 'jenkins/inbound-agent:latest',
      network: 'BRIDGE',
      port_mappings: [{ host_port: 31000, container_port: 50000, protocol: 'tcp' }],
      privileged: false,
      parameters: [{ key: 'memory-swap', value: '-1' }],
      force_pull_image: true,
    },
    volumes: [
      { mode: 'RO', container_path: '/etc/ssl/certs', host_path: '/etc/ssl/certs' },
      {
        mode: 'RW',
        container_path: 'cache',
        source: { type: 'SANDBOX_PATH', sandbox_path: { type: 'PARENT', path: 'shared' } },
      },
      {
        mode: 'RW',
        container_path: '/var/lib/docker',
        source: {
          type: 'DOCKER_VOLUME',
          docker_volume: {
            driver: 'local',
            name: 'dind',
            driver_options: { parameter: [{ key: 'size', value: '10G' }] },
          },
        },
      },
      {
        mode: 'RO',
        container_path: '/host',
        source: { type: 'HOST_PATH', host_path: { path: '/', mount_propagation: { mode: 'HOST_TO_CONTAINER' } } },
      },
    ],
    network_infos: [
      {
        name: 'ci-net',
        groups: ['ci'],
        ip_addresses: [{ protocol: 'IPv6' }, { ip_address: '10.0.0.7' }],
        labels: { labels: [{ key: 'rack', value: 'r1' }] },
        port_mappings: [{ host_port: 31001, container_port: 8080 }],
      },
    ],
  },
  health_check: {
    type: 'HTTP',
    http: { port: 8080, path: '/health', scheme: 'http', statuses: [200, 204], protocol: 'IPv4' },
    delay_seconds: 30,
    consecutive_failures: 5,
  },
  check: { type: 'TCP', tcp: { port: 50000 }, interval_seconds: 5 },
  kill_policy: { grace_period: { nanoseconds: 30_000_000_000 } },
  data: 'AAECAwQFBgc=',
  labels: { labels: [{ key: 'jenkins.label', value: 'linux && docker' }] },
  discovery: {
    visibility: 'CLUSTER',
    name: 'agent-1',
    ports: {
      ports: [
        { number: 31000, name: 'jnlp', protocol: 'tcp', visibility: 'FRAMEWORK', labels: { labels: [{ key: 'k' }] } },
      ],
    },
  },
  max_completion_time: { nanoseconds: 86_400_000_000_000 },
  // Mesos writes an unlimited limit as the bare token Infinity; the codec keeps it a number.
  limits: { cpus: { value: 2 }, mem: { value: Infinity } },
};

export const defaultExecutor: ExecutorInfo = {
  type: 'DEFAULT',
  executor_id: { value: 'group-1-executor' },
  framework_id: FRAMEWORK_ID,
  resources: [
    cpus(0.1),
    { name: 'mem', type: 'SCALAR', scalar: { value: 32 } },
    { name: 'disk', type: 'SCALAR', scalar: { value: 10 } },
  ],
  container: {
    type: 'MESOS',
    mesos: { image: { type: 'DOCKER', docker: { name: 'library/alpine:3.19' }, cached: false } },
  },
  shutdown_grace_period: { nanoseconds: 5_000_000_000 },
  name: 'default executor',
  labels: { labels: [{ key: 'group', value: '1' }] },
};

export const taskStatus: TaskStatus = {
  task_id: { value: 'jenkins-agent-1' },
  state: 'TASK_RUNNING',
  message: 'running',
  source: 'SOURCE_EXECUTOR',
  reason: 'REASON_TASK_HEALTH_CHECK_STATUS_UPDATED',
  data: 'eyJvayI6dHJ1ZX0=',
  agent_id: AGENT_ID,
  executor_id: { value: 'jenkins-agent-1' },
  timestamp: 1724431200.52,
  uuid: UUID,
  healthy: true,
  check_status: { type: 'COMMAND', command: { exit_code: 0 } },
  labels: { labels: [{ key: 'phase', value: 'up' }] },
  container_status: {
    container_id: { value: 'child', parent: { value: '70bbd3e4-cb8d-45b9-b440-473b1131a99c' } },
    network_infos: [{ ip_addresses: [{ protocol: 'IPv4', ip_address: '10.0.0.7' }] }],
    cgroup_info: { net_cls: { classid: 0x10001 } },
    executor_pid: 11829,
  },
  unreachable_time: { nanoseconds: NANOS },
  limitation: { resources: [revocableMem] },
};

export const offer: Offer = {
  id: OFFER_ID,
  framework_id: FRAMEWORK_ID,
  agent_id: AGENT_ID,
  hostname: 'a4.example',
  url: {
    scheme: 'http',
    address: { hostname: 'a4.example', ip: '10.0.0.24', port: 5051 },
    path: '/slave(1)',
    query: [{ key: 'k', value: 'v' }],
  },
  domain: { fault_domain: { region: { name: 'eu' }, zone: { name: 'eu-1a' } } },
  resources: [cpus(4), ports(31000, 32000), persistentVolume, revocableMem, gpuSet],
  attributes: [
    { name: 'rack', type: 'TEXT', text: { value: 'r12' } },
    { name: 'zone_id', type: 'SCALAR', scalar: { value: 3 } },
    { name: 'slots', type: 'RANGES', ranges: { range: [{ begin: 1, end: 4 }] } },
    { name: 'features', type: 'SET', set: { item: ['ssd', 'gpu'] } },
  ],
  executor_ids: [{ value: 'group-1-executor' }],
  unavailability: { start: { nanoseconds: NANOS }, duration: { nanoseconds: 3_600_000_000_000 } },
  allocation_info: { role: 'analytics' },
};

const operationStatus: OperationStatus = {
  operation_id: { value: 'reserve-1' },
  state: 'OPERATION_FINISHED',
  message: 'done',
  converted_resources: [cpus(1)],
  uuid: { value: UUID },
  agent_id: AGENT_ID,
  resource_provider_id: { value: 'rp-1' },
};

export const schedulerCalls: readonly SchedulerCall[] = [
  {
    type: 'SUBSCRIBE',
    framework_id: FRAMEWORK_ID,
    subscribe: {
      framework_info: frameworkInfo,
      suppressed_roles: ['ci'],
      offer_constraints: {
        role_constraints: {
          analytics: {
            groups: [
              {
                attribute_constraints: [
                  { selector: { attribute_name: 'rack' }, predicate: { text_matches: { regex: 'r1.*' } } },
                  { selector: { pseudoattribute_type: 'HOSTNAME' }, predicate: { exists: {} } },
                  { selector: { pseudoattribute_type: 'ZONE' }, predicate: { text_not_equals: { value: 'eu-1b' } } },
                ],
              },
            ],
          },
        },
      },
    },
  },
  { type: 'TEARDOWN', framework_id: FRAMEWORK_ID },
  {
    type: 'ACCEPT',
    framework_id: FRAMEWORK_ID,
    accept: {
      offer_ids: [OFFER_ID],
      operations: [
        { type: 'RESERVE', id: { value: 'reserve-1' }, reserve: { resources: [cpus(1)], source: [cpus(1, '*')] } },
        { type: 'CREATE', create: { volumes: [persistentVolume] } },
        { type: 'LAUNCH', launch: { task_infos: [commandTask] } },
        {
          type: 'LAUNCH_GROUP',
          launch_group: {
            executor: defaultExecutor,
            task_group: {
              tasks: [
                {
                  name: 'sidecar',
                  task_id: { value: 'sidecar' },
                  agent_id: AGENT_ID,
                  command: { value: 'sleep 1000' },
                },
              ],
            },
          },
        },
        { type: 'DESTROY', destroy: { volumes: [persistentVolume] } },
        { type: 'UNRESERVE', unreserve: { resources: [cpus(1)] } },
        {
          type: 'GROW_VOLUME',
          grow_volume: { volume: persistentVolume, addition: { name: 'disk', type: 'SCALAR', scalar: { value: 512 } } },
        },
        { type: 'SHRINK_VOLUME', shrink_volume: { volume: persistentVolume, subtract: { value: 256 } } },
      ],
      filters: { refuse_seconds: 30 },
    },
  },
  {
    type: 'DECLINE',
    framework_id: FRAMEWORK_ID,
    decline: { offer_ids: [OFFER_ID], filters: { refuse_seconds: 3600 } },
  },
  {
    type: 'ACCEPT_INVERSE_OFFERS',
    framework_id: FRAMEWORK_ID,
    accept_inverse_offers: { inverse_offer_ids: [OFFER_ID] },
  },
  {
    type: 'DECLINE_INVERSE_OFFERS',
    framework_id: FRAMEWORK_ID,
    decline_inverse_offers: { inverse_offer_ids: [OFFER_ID], filters: {} },
  },
  { type: 'REVIVE', framework_id: FRAMEWORK_ID, revive: { roles: ['analytics'] } },
  {
    type: 'KILL',
    framework_id: FRAMEWORK_ID,
    kill: {
      task_id: { value: 'jenkins-agent-1' },
      agent_id: AGENT_ID,
      kill_policy: { grace_period: { nanoseconds: 0 } },
    },
  },
  {
    type: 'SHUTDOWN',
    framework_id: FRAMEWORK_ID,
    shutdown: { executor_id: { value: 'group-1-executor' }, agent_id: AGENT_ID },
  },
  {
    type: 'ACKNOWLEDGE',
    framework_id: FRAMEWORK_ID,
    acknowledge: { agent_id: AGENT_ID, task_id: { value: 'jenkins-agent-1' }, uuid: UUID },
  },
  {
    type: 'ACKNOWLEDGE_OPERATION_STATUS',
    framework_id: FRAMEWORK_ID,
    acknowledge_operation_status: {
      agent_id: AGENT_ID,
      resource_provider_id: { value: 'rp-1' },
      uuid: UUID,
      operation_id: { value: 'reserve-1' },
    },
  },
  {
    type: 'RECONCILE',
    framework_id: FRAMEWORK_ID,
    reconcile: { tasks: [{ task_id: { value: 'jenkins-agent-1' }, agent_id: AGENT_ID }, { task_id: { value: 'x' } }] },
  },
  { type: 'RECONCILE', framework_id: FRAMEWORK_ID, reconcile: {} },
  {
    type: 'RECONCILE_OPERATIONS',
    framework_id: FRAMEWORK_ID,
    reconcile_operations: {
      operations: [
        { operation_id: { value: 'reserve-1' }, agent_id: AGENT_ID, resource_provider_id: { value: 'rp-1' } },
      ],
    },
  },
  {
    type: 'MESSAGE',
    framework_id: FRAMEWORK_ID,
    message: { agent_id: AGENT_ID, executor_id: { value: 'group-1-executor' }, data: 'aGVsbG8=' },
  },
  {
    type: 'REQUEST',
    framework_id: FRAMEWORK_ID,
    request: { requests: [{ agent_id: AGENT_ID, resources: [cpus(2)] }] },
  },
  { type: 'SUPPRESS', framework_id: FRAMEWORK_ID, suppress: { roles: ['ci'] } },
  { type: 'SUPPRESS', framework_id: FRAMEWORK_ID },
  {
    type: 'UPDATE_FRAMEWORK',
    framework_id: FRAMEWORK_ID,
    update_framework: { framework_info: frameworkInfo, suppressed_roles: ['analytics'] },
  },
];

export const schedulerEvents: readonly SchedulerEvent[] = [
  {
    type: 'SUBSCRIBED',
    subscribed: {
      framework_id: FRAMEWORK_ID,
      heartbeat_interval_seconds: 15,
      master_info: {
        id: '7c1e4a6b',
        ip: 184549386,
        port: 5050,
        pid: 'master@10.0.0.11:5050',
        hostname: 'm1',
        version: '1.12.0',
        address: { hostname: 'm1', ip: '10.0.0.11', port: 5050 },
        domain: { fault_domain: { region: { name: 'eu' }, zone: { name: 'eu-1a' } } },
        capabilities: [{ type: 'AGENT_UPDATE' }, { type: 'AGENT_DRAINING' }, { type: 'QUOTA_V2' }],
      },
    },
  },
  { type: 'OFFERS', offers: { offers: [offer, { ...offer, id: { value: 'O982' }, resources: [cpus(1, '*')] }] } },
  {
    type: 'INVERSE_OFFERS',
    inverse_offers: {
      inverse_offers: [
        {
          id: OFFER_ID,
          url: offer.url,
          framework_id: FRAMEWORK_ID,
          agent_id: AGENT_ID,
          unavailability: { start: { nanoseconds: NANOS } },
          resources: [cpus(1)],
        },
      ],
    },
  },
  { type: 'RESCIND', rescind: { offer_id: OFFER_ID } },
  { type: 'RESCIND_INVERSE_OFFER', rescind_inverse_offer: { inverse_offer_id: OFFER_ID } },
  { type: 'UPDATE', update: { status: taskStatus } },
  { type: 'UPDATE_OPERATION_STATUS', update_operation_status: { status: operationStatus } },
  { type: 'MESSAGE', message: { agent_id: AGENT_ID, executor_id: { value: 'group-1-executor' }, data: '/w==' } },
  { type: 'FAILURE', failure: { agent_id: AGENT_ID, executor_id: { value: 'group-1-executor' }, status: 768 } },
  { type: 'FAILURE', failure: { agent_id: AGENT_ID } },
  { type: 'ERROR', error: { message: 'Framework has been removed' } },
  { type: 'HEARTBEAT' },
];

export const task: Task = {
  name: 'jenkins-agent-1',
  task_id: { value: 'jenkins-agent-1' },
  framework_id: FRAMEWORK_ID,
  executor_id: { value: 'jenkins-agent-1' },
  agent_id: AGENT_ID,
  state: 'TASK_RUNNING',
  resources: [cpus(0.5)],
  statuses: [{ ...taskStatus, state: 'TASK_STARTING' }, taskStatus],
  status_update_state: 'TASK_RUNNING',
  status_update_uuid: UUID,
  labels: commandTask.labels,
  discovery: commandTask.discovery,
  container: commandTask.container,
  health_check: commandTask.health_check,
  kill_policy: commandTask.kill_policy,
  user: 'jenkins',
  limits: { cpus: { value: 2 } },
};

const agent: MasterResponseGetAgentsAgent = {
  agent_info: {
    hostname: 'a4.example',
    port: 5051,
    resources: [cpus(4), ports(31000, 32000)],
    attributes: offer.attributes,
    id: AGENT_ID,
    domain: offer.domain,
  },
  active: true,
  deactivated: false,
  version: '1.12.0',
  pid: 'slave(1)@10.0.0.24:5051',
  registered_time: { nanoseconds: NANOS },
  reregistered_time: { nanoseconds: '1795566157810769922' },
  total_resources: [cpus(4)],
  allocated_resources: [cpus(1)],
  offered_resources: [cpus(2)],
  capabilities: [{ type: 'MULTI_ROLE' }, { type: 'TASK_RESOURCE_LIMITS' }],
  drain_info: { state: 'DRAINING', config: { max_grace_period: { nanoseconds: 60_000_000_000 }, mark_gone: true } },
  estimated_drain_start_time: { nanoseconds: NANOS },
};

const framework: MasterResponseGetFrameworksFramework = {
  framework_info: frameworkInfo,
  active: true,
  connected: true,
  recovered: false,
  registered_time: { nanoseconds: NANOS },
  reregistered_time: { nanoseconds: NANOS },
  unregistered_time: { nanoseconds: -1 },
  offers: [offer],
  allocated_resources: [cpus(1)],
  offered_resources: [cpus(4)],
  offer_constraints: {
    role_constraints: {
      ci: {
        groups: [
          {
            attribute_constraints: [
              { selector: { attribute_name: 'os' }, predicate: { text_equals: { value: 'linux' } } },
            ],
          },
        ],
      },
    },
  },
};

const state: MasterResponseGetState = {
  get_tasks: {
    tasks: [task],
    completed_tasks: [{ ...task, state: 'TASK_FINISHED' }],
    unreachable_tasks: [{ ...task, state: 'TASK_UNREACHABLE' }],
  },
  get_executors: { executors: [{ executor_info: defaultExecutor, agent_id: AGENT_ID }] },
  get_frameworks: {
    frameworks: [framework],
    completed_frameworks: [{ ...framework, active: false, connected: false }],
  },
  get_agents: { agents: [agent], recovered_agents: [agent.agent_info] },
};

export const masterCalls: readonly MasterCall[] = [
  { type: 'GET_HEALTH' },
  { type: 'GET_FLAGS' },
  { type: 'GET_VERSION' },
  { type: 'GET_METRICS', get_metrics: { timeout: { nanoseconds: 5_000_000_000 } } },
  { type: 'GET_STATE' },
  { type: 'GET_AGENTS' },
  { type: 'GET_FRAMEWORKS' },
  { type: 'GET_EXECUTORS' },
  { type: 'GET_TASKS' },
  { type: 'GET_MASTER' },
  { type: 'SUBSCRIBE' },
  { type: 'LIST_FILES', list_files: { path: '/frameworks/f/executors/e/runs/latest' } },
  { type: 'READ_FILE', read_file: { path: '/frameworks/f/executors/e/runs/latest/stdout', offset: 0, length: 65536 } },
  { type: 'TEARDOWN', teardown: { framework_id: FRAMEWORK_ID } },
  { type: 'MARK_AGENT_GONE', mark_agent_gone: { agent_id: AGENT_ID } },
  { type: 'DEACTIVATE_AGENT', deactivate_agent: { agent_id: AGENT_ID } },
  { type: 'REACTIVATE_AGENT', reactivate_agent: { agent_id: AGENT_ID } },
  { type: 'RESERVE_RESOURCES', reserve_resources: { agent_id: AGENT_ID, resources: [cpus(1)] } },
  { type: 'UNRESERVE_RESOURCES', unreserve_resources: { agent_id: AGENT_ID, resources: [cpus(1)] } },
  { type: 'CREATE_VOLUMES', create_volumes: { agent_id: AGENT_ID, volumes: [persistentVolume] } },
  { type: 'DESTROY_VOLUMES', destroy_volumes: { agent_id: AGENT_ID, volumes: [persistentVolume] } },
];

export const masterResponses: readonly MasterResponse[] = [
  { type: 'GET_HEALTH', get_health: { healthy: true } },
  { type: 'GET_FLAGS', get_flags: { flags: [{ name: 'work_dir', value: '/var/lib/mesos' }, { name: 'quiet' }] } },
  {
    type: 'GET_VERSION',
    get_version: {
      version_info: {
        version: '1.12.0',
        build_date: '2026-11-24',
        build_time: 1795563905,
        build_user: '',
        git_sha: 'c1b42f79',
        git_branch: 'master',
      },
    },
  },
  {
    type: 'GET_METRICS',
    get_metrics: {
      metrics: [{ name: 'master/elected', value: 1 }, { name: 'master/uptime_secs', value: 12.5 }, { name: 'none' }],
    },
  },
  { type: 'GET_STATE', get_state: state },
  { type: 'GET_AGENTS', get_agents: state.get_agents },
  { type: 'GET_FRAMEWORKS', get_frameworks: state.get_frameworks },
  { type: 'GET_EXECUTORS', get_executors: state.get_executors },
  { type: 'GET_TASKS', get_tasks: state.get_tasks },
  {
    type: 'GET_MASTER',
    get_master: {
      master_info: schedulerEvents[0]?.subscribed?.master_info,
      start_time: 1795565788.611898,
      elected_time: 1795565788.618221,
    },
  },
  {
    type: 'LIST_FILES',
    list_files: {
      file_infos: [
        {
          path: '/sandbox/stdout',
          nlink: 1,
          size: 36,
          mtime: { nanoseconds: NANOS },
          mode: 0o100644,
          uid: 'root',
          gid: 'root',
        },
      ],
    },
  },
  // A size beyond 2^53 can only be a string; `data` is Base64 of raw file bytes, not UTF-8 text.
  { type: 'READ_FILE', read_file: { size: '9007199254740993', data: 'aGVsbG8K/w==' } },
];

export const masterEvents: readonly MasterEvent[] = [
  { type: 'SUBSCRIBED', subscribed: { get_state: state, heartbeat_interval_seconds: 15 } },
  { type: 'TASK_ADDED', task_added: { task } },
  { type: 'TASK_UPDATED', task_updated: { framework_id: FRAMEWORK_ID, status: taskStatus, state: 'TASK_KILLED' } },
  { type: 'AGENT_ADDED', agent_added: { agent } },
  { type: 'AGENT_REMOVED', agent_removed: { agent_id: AGENT_ID } },
  {
    type: 'FRAMEWORK_ADDED',
    framework_added: { framework: { framework_info: frameworkInfo, active: true, connected: true, recovered: false } },
  },
  { type: 'FRAMEWORK_UPDATED', framework_updated: { framework: { ...framework, offers: undefined } } },
  { type: 'FRAMEWORK_REMOVED', framework_removed: { framework_info: frameworkInfo } },
  { type: 'HEARTBEAT' },
];

export const agentCalls: readonly AgentCall[] = [
  { type: 'GET_HEALTH' },
  { type: 'GET_FLAGS' },
  { type: 'GET_VERSION' },
  { type: 'GET_METRICS', get_metrics: {} },
  { type: 'GET_STATE' },
  { type: 'GET_FRAMEWORKS' },
  { type: 'GET_EXECUTORS' },
  { type: 'GET_TASKS' },
  { type: 'GET_AGENT' },
  { type: 'LIST_FILES', list_files: { path: '/slave/log' } },
  { type: 'READ_FILE', read_file: { path: '/slave/log', offset: '18446744073709551615' } },
];

export const agentResponses: readonly AgentResponse[] = [
  { type: 'GET_HEALTH', get_health: { healthy: false } },
  { type: 'GET_FLAGS', get_flags: { flags: [{ name: 'work_dir', value: '/var/lib/mesos' }] } },
  { type: 'GET_VERSION', get_version: { version_info: { version: '1.12.0' } } },
  { type: 'GET_METRICS', get_metrics: { metrics: [{ name: 'slave/registered', value: 1 }] } },
  {
    type: 'GET_STATE',
    get_state: {
      get_tasks: {
        pending_tasks: [task],
        queued_tasks: [task],
        launched_tasks: [task],
        terminated_tasks: [task],
        completed_tasks: [task],
      },
      get_executors: {
        executors: [{ executor_info: defaultExecutor }],
        completed_executors: [{ executor_info: defaultExecutor }],
      },
      get_frameworks: {
        frameworks: [{ framework_info: frameworkInfo }],
        completed_frameworks: [{ framework_info: frameworkInfo }],
      },
    },
  },
  { type: 'GET_FRAMEWORKS', get_frameworks: { frameworks: [{ framework_info: frameworkInfo }] } },
  { type: 'GET_EXECUTORS', get_executors: { executors: [{ executor_info: defaultExecutor }] } },
  { type: 'GET_TASKS', get_tasks: { launched_tasks: [task] } },
  {
    type: 'GET_AGENT',
    get_agent: {
      agent_info: agent.agent_info,
      drain_config: { mark_gone: false },
      estimated_drain_start_time: { nanoseconds: NANOS },
    },
  },
  { type: 'LIST_FILES', list_files: { file_infos: [{ path: '/slave/log' }] } },
  { type: 'READ_FILE', read_file: { size: 0, data: '' } },
];
