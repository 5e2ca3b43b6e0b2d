import { readFileSync } from 'node:fs';
import type { Logger } from '../core/log/logSink';
import type { WireEncoding } from '../core/mesos/codec';
import { MasterConnection } from '../core/mesos/connection/masterConnection';
import { CliUsageError } from './cliCommand';

/** The options every command that talks to a cluster takes (parseArgs definitions). */
export const MASTER_OPTIONS = {
  master: { type: 'string' },
  principal: { type: 'string' },
  secret: { type: 'string' },
  format: { type: 'string' },
  ca: { type: 'string' },
  insecure: { type: 'boolean' },
  proxy: { type: 'string' },
} as const;

export const MASTER_USAGE = `Cluster options (every command):
  --master URL        the masters: http(s)://host:5050[,http://host2:5050] or zk://host:2181/mesos
                      (default: $MESOS_MASTER, else http://127.0.0.1:5050)
  --principal NAME    HTTP Basic principal (default: $MESOS_PRINCIPAL)
  --secret SECRET     its secret (default: $MESOS_SECRET; prefer the variable: arguments show in ps)
  --format F          wire encoding: protobuf (default) or json
  --ca FILE           trust this CA (PEM) for https masters and agents
  --insecure          do not verify TLS certificates (only for test clusters)
  --proxy URL         send requests through this HTTP proxy`;

export interface MasterOptionValues {
  master?: string;
  principal?: string;
  secret?: string;
  format?: string;
  ca?: string;
  insecure?: boolean;
  proxy?: string;
}

/** Endpoint options (credentials, TLS, proxy) shared by masters and agents. */
export function endpointOptions(values: MasterOptionValues, log: Logger) {
  const principal = values.principal ?? process.env.MESOS_PRINCIPAL;
  const secret = values.secret ?? process.env.MESOS_SECRET;
  if ((principal === undefined) !== (secret === undefined) && principal !== undefined) {
    throw new CliUsageError('--principal needs a secret: pass --secret or set MESOS_SECRET');
  }
  let ca: string | undefined;
  if (values.ca) {
    try {
      ca = readFileSync(values.ca, 'utf8');
    } catch (err) {
      throw new CliUsageError(`cannot read the CA file ${values.ca}: ${(err as Error).message}`);
    }
  }
  return {
    ...(principal !== undefined && secret !== undefined ? { auth: { principal, secret } } : {}),
    ...(ca ? { ca } : {}),
    ...(values.insecure ? { insecure: true } : {}),
    ...(values.proxy ? { proxy: values.proxy } : {}),
    log,
  };
}

export function wireEncoding(values: MasterOptionValues): WireEncoding {
  const format = values.format ?? 'protobuf';
  if (format !== 'json' && format !== 'protobuf') throw new CliUsageError(`--format takes json or protobuf, got '${format}'`);
  return format;
}

/** A leader-aware connection to the cluster named by --master (or $MESOS_MASTER). */
export function connectToMasters(values: MasterOptionValues, log: Logger): MasterConnection {
  const masters = values.master ?? process.env.MESOS_MASTER ?? 'http://127.0.0.1:5050';
  try {
    return new MasterConnection({ masters, encoding: wireEncoding(values), endpoint: endpointOptions(values, log), leaderTimeoutMs: 5_000 });
  } catch (err) {
    if (err instanceof CliUsageError) throw err;
    throw new CliUsageError(`--master: ${(err as Error).message}`);
  }
}
