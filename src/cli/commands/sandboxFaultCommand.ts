import { request } from 'undici';
import { CliUsageError, type CliCommand } from '../cliCommand';
import { parseCommandArgs } from '../parseCommandArgs';

const ACTIONS: Record<string, { path: string; body?: (arg: string | undefined) => string; help: string }> = {
  state: { path: '/__sandbox/state', help: 'print the sandbox URLs and current faults' },
  unavailable: { path: '/__sandbox/faults', body: (a) => JSON.stringify({ unavailable: a !== 'off' }), help: 'answer 503 to every request [on|off]' },
  'redirect-loop': { path: '/__sandbox/faults', body: (a) => JSON.stringify({ redirectLoop: a !== 'off' }), help: 'answer leader-only requests with a 307 to itself [on|off]' },
  'stall-heartbeats': { path: '/__sandbox/faults', body: (a) => JSON.stringify({ stallHeartbeats: a !== 'off' }), help: 'stop sending heartbeats on streams [on|off]' },
  slow: { path: '/__sandbox/faults', body: (a) => JSON.stringify({ delayMs: Number(a ?? 0) }), help: 'delay every response by MS milliseconds (0 = off)' },
  'cut-streams': { path: '/__sandbox/streams/cut', help: 'cut scheduler and operator streams in the middle of a record [scheduler|operator|all]' },
  'malformed-record': { path: '/__sandbox/streams/malformed', help: 'send a record that does not decode [scheduler|operator|all]' },
  'switch-leader': { path: '/__sandbox/leader', help: 'move leadership to the next master' },
  'add-agent': { path: '/__sandbox/agents', help: 'start one more agent' },
  'remove-agent': { path: '/__sandbox/agents/{arg}/remove', help: 'remove agent ID as if its machine vanished' },
  'rescind-offers': { path: '/__sandbox/offers/rescind', help: 'rescind every outstanding offer' },
};

const USAGE = `Usage: mesos-ops sandbox-fault [--master URL] ACTION [ARG]

Makes the running local sandbox misbehave the way real clusters do (through its admin endpoint), to try
clients against failures. --master is any sandbox master (default http://127.0.0.1:5050). The sandbox
Jenkins has its own admin endpoint: POST <jenkins>/__sandbox/faults {"failAllRequests":true} and
POST <jenkins>/__sandbox/crumbs/expire.

Actions:
${Object.entries(ACTIONS)
  .map(([name, a]) => `  ${name.padEnd(18)}${a.help}`)
  .join('\n')}`;

export const sandboxFaultCommand: CliCommand = {
  name: 'sandbox-fault',
  summary: 'inject a fault into the running local sandbox (503s, cut streams, leader switch, …)',
  usage: USAGE,
  async run(ctx) {
    const { values, positionals } = parseCommandArgs(ctx.argv, { master: { type: 'string' } }, USAGE, true);
    const [name, arg] = positionals;
    const action = name ? ACTIONS[name] : undefined;
    if (!action) throw new CliUsageError(`${name ? `unknown action '${name}'` : 'name an action'}\n\n${USAGE}`);
    if (name === 'remove-agent' && !arg) throw new CliUsageError('remove-agent needs the agent id (see `mesos-ops state` or the admin state)');
    const base = (values.master ?? process.env.MESOS_MASTER ?? 'http://127.0.0.1:5050').replace(/\/+$/, '');
    const kind = arg && ['scheduler', 'operator', 'all'].includes(arg) ? `?kind=${arg}` : '';
    const url = `${base}${action.path.replace('{arg}', encodeURIComponent(arg ?? ''))}${name?.endsWith('streams') || name === 'malformed-record' ? kind : ''}`;
    const response = await request(url, {
      method: name === 'state' ? 'GET' : 'POST',
      ...(action.body ? { body: action.body(arg), headers: { 'content-type': 'application/json' } } : {}),
      signal: ctx.signal,
    });
    const text = await response.body.text();
    if (response.statusCode >= 400) {
      ctx.stderr.write(`mesos-ops sandbox-fault: ${response.statusCode} ${text}\n`);
      return 1;
    }
    ctx.stdout.write(`${text}\n`);
    return 0;
  },
};
