import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBody } from './http/negotiation';
import { sendJson, sendText } from './master/sendText';
import type { SandboxCluster } from './sandboxCluster';

/**
 * The sandbox's fault-injection and control endpoint, served under `/__sandbox/` by every master (the CLI's
 * `mesos-ops sandbox-admin` talks to it). Each verb makes the sandbox fail the way real clusters do:
 *
 *   GET  /__sandbox/state                      the cluster's URLs and current faults
 *   POST /__sandbox/faults                     JSON {unavailable?, redirectLoop?, delayMs?, stallHeartbeats?}
 *   POST /__sandbox/streams/cut?kind=scheduler|operator|all   cut live streams in the middle of a record
 *   POST /__sandbox/streams/malformed?kind=…   send a record that does not decode
 *   POST /__sandbox/leader                     switch the leading master
 *   POST /__sandbox/agents                     start one more agent
 *   POST /__sandbox/agents/<id>/remove?mode=unreachable|gone   remove an agent
 *   POST /__sandbox/offers/rescind             rescind every outstanding offer
 */
export async function handleAdminRequest(cluster: SandboxCluster, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  const path = url.pathname.replace(/^\/__sandbox/, '');
  const kind = url.searchParams.get('kind') ?? 'all';
  if (req.method === 'GET' && path === '/state') {
    return sendJson(res, { ...cluster.describe(), faults: cluster.faults, frameworks: [...cluster.master.frameworks.keys()] });
  }
  if (req.method !== 'POST') return sendText(res, 405, 'Use POST for admin actions');
  switch (true) {
    case path === '/faults': {
      let patch: Record<string, unknown>;
      try {
        patch = JSON.parse(Buffer.from(await readBody(req)).toString('utf8') || '{}') as Record<string, unknown>;
      } catch {
        return sendText(res, 400, 'The body must be a JSON object such as {"unavailable":true}');
      }
      for (const key of ['unavailable', 'redirectLoop', 'stallHeartbeats'] as const) {
        if (key in patch) cluster.faults[key] = patch[key] === true;
      }
      if ('delayMs' in patch) cluster.faults.delayMs = Math.max(0, Number(patch.delayMs) || 0);
      return sendJson(res, cluster.faults);
    }
    case path === '/streams/cut' || path === '/streams/malformed': {
      let count = 0;
      if (kind === 'scheduler' || kind === 'all') {
        for (const fwId of cluster.master.subscribedFrameworkIds()) {
          const stream = cluster.master.subscriberOf(fwId);
          if (path === '/streams/cut') stream?.cutMidRecord?.({ type: 'HEARTBEAT' });
          else stream?.sendMalformed?.();
          count++;
        }
      }
      if (kind === 'operator' || kind === 'all') {
        for (const stream of [...cluster.operatorStreams]) {
          if (path === '/streams/cut') stream.cutMidRecord({ type: 'HEARTBEAT' });
          else stream.sendMalformed();
          count++;
        }
      }
      return sendJson(res, { streams: count });
    }
    case path === '/leader':
      try {
        const leader = await cluster.switchLeader();
        return sendJson(res, { leader: `http://${leader.hostname}:${leader.port}` });
      } catch (err) {
        return sendText(res, 409, (err as Error).message);
      }
    case path === '/agents': {
      const node = await cluster.addAgent();
      return sendJson(res, { id: node.agent.id, url: node.url });
    }
    case /^\/agents\/[^/]+\/remove$/.test(path): {
      const id = decodeURIComponent(path.split('/')[2]!);
      const mode = url.searchParams.get('mode') === 'gone' ? 'gone' : 'unreachable';
      const removed = await cluster.removeAgent(id, mode);
      return removed ? sendJson(res, { removed: id, mode }) : sendText(res, 404, `No agent ${id}`);
    }
    case path === '/offers/rescind': {
      const offers = [...cluster.master.offers.values()];
      for (const offer of offers) cluster.master.rescind(offer);
      return sendJson(res, { rescinded: offers.length });
    }
    default:
      return sendText(res, 404, `No admin action ${path}`);
  }
}
