import type { Logger } from '../core/log/logSink';
import { Endpoint } from '../core/http/endpoint';
import { AgentFilesClient } from '../core/mesos/files/agentFilesClient';
import { OperatorClient } from '../core/mesos/operator/operatorClient';
import { connectToMasters, endpointOptions, type MasterOptionValues } from './masterOptions';

/**
 * The clients a CLI command needs for one cluster, opened from the common options and closed together,
 * so that a command leaves no socket behind when it returns.
 */
export class ClusterClients {
  readonly connection;
  readonly operator: OperatorClient;
  private readonly agentEndpoints: Endpoint[] = [];

  constructor(
    private readonly values: MasterOptionValues,
    private readonly log: Logger,
  ) {
    this.connection = connectToMasters(values, log);
    this.operator = new OperatorClient({ connection: this.connection });
  }

  /** A files client for an agent's base URL. */
  agentFiles(agentUrl: string): AgentFilesClient {
    const endpoint = new Endpoint({ ...endpointOptions(this.values, this.log), baseUrl: agentUrl, name: 'Mesos agent' });
    this.agentEndpoints.push(endpoint);
    return new AgentFilesClient(endpoint);
  }

  async close(): Promise<void> {
    await this.operator.close();
    await Promise.all(this.agentEndpoints.map((e) => e.close()));
    await this.connection.close();
  }
}

/** Runs fn with the clients, closing them however fn ends. */
export async function withClusterClients<T>(values: MasterOptionValues, log: Logger, fn: (clients: ClusterClients) => Promise<T>): Promise<T> {
  const clients = new ClusterClients(values, log);
  try {
    return await fn(clients);
  } finally {
    await clients.close();
  }
}
