import * as assert from 'node:assert/strict';
import { JenkinsClient, type JenkinsClientOptions } from '../../../src/core/jenkins/jenkinsClient';
import { JenkinsError } from '../../../src/core/jenkins/jenkinsError';

/** The JenkinsError a call fails with; the test fails when the call succeeds or fails with anything else. */
export async function rejection(promise: Promise<unknown>): Promise<JenkinsError> {
  try {
    await promise;
  } catch (err) {
    assert.ok(err instanceof JenkinsError, `expected a JenkinsError, got ${String(err)}`);
    return err;
  }
  assert.fail('the call succeeded');
}

/** The signal of one call: a call that hangs fails the test instead of hanging it. */
export const signal = () => AbortSignal.timeout(15_000);

/**
 * Makes clients of one Jenkins with `defaults` (read when a client is made, e.g. once `before` started the
 * Jenkins), each overridable; `closeAll` closes every client made, for `after`.
 */
export function jenkinsClients(defaults: () => JenkinsClientOptions) {
  const made: JenkinsClient[] = [];
  return {
    client(options: Partial<JenkinsClientOptions> = {}): JenkinsClient {
      const client = new JenkinsClient({ ...defaults(), ...options });
      made.push(client);
      return client;
    },
    async closeAll(): Promise<void> {
      await Promise.all(made.map((c) => c.close()));
    },
  };
}
