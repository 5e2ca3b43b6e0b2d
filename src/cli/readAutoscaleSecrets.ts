import { readFile } from 'node:fs/promises';
import type { AutoscaleConfig } from './autoscaleConfig';
import { CliUsageError } from './cliCommand';

/** The secrets of one daemon run; held in memory only, never printed. */
export interface AutoscaleSecrets {
  /** HTTP Basic for the masters and agents, and the framework's principal. */
  readonly mesos?: { readonly principal: string; readonly secret: string };
  readonly jenkinsToken?: string;
}

/**
 * Finds the secrets the config asks for: the principal's secret in $MESOS_SECRET (as every other command
 * reads it), the Jenkins API token in jenkins.tokenFile or the variable jenkins.tokenEnv. A secret that is
 * asked for and missing is a usage error naming where it was looked for; messages never hold a secret.
 */
export async function readAutoscaleSecrets(
  config: AutoscaleConfig,
  env: NodeJS.ProcessEnv = process.env,
): Promise<AutoscaleSecrets> {
  const principal = config.cluster.principal;
  let mesos: AutoscaleSecrets['mesos'];
  if (principal !== undefined) {
    const secret = env.MESOS_SECRET;
    if (secret === undefined || secret === '') {
      throw new CliUsageError(
        `cluster.principal is "${principal}" but MESOS_SECRET is not set: export the principal's secret as MESOS_SECRET (it is never read from the config file)`,
      );
    }
    mesos = { principal, secret };
  }
  const { user, tokenFile, tokenEnv, tokenEnvGiven } = config.jenkins;
  let token: string | undefined;
  let where: string;
  if (tokenFile !== undefined) {
    where = `the file ${tokenFile} (jenkins.tokenFile)`;
    try {
      token = (await readFile(tokenFile, 'utf8')).trim();
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw new CliUsageError(
        `cannot read the Jenkins API token from ${where} (${code ?? (error as Error).message}): check the path and that this user may read it`,
      );
    }
    if (token === '') throw new CliUsageError(`${where} is empty: put the Jenkins API token in it`);
  } else {
    where = `the variable ${tokenEnv}${tokenEnvGiven ? ' (jenkins.tokenEnv)' : ''}`;
    const value = env[tokenEnv];
    token = value === undefined || value === '' ? undefined : value;
  }
  if (user !== undefined && token === undefined) {
    throw new CliUsageError(
      `jenkins.user is "${user}" but there is no API token: set ${where}, or name another variable in jenkins.tokenEnv or a file in jenkins.tokenFile`,
    );
  }
  if (user === undefined && token !== undefined) {
    throw new CliUsageError(
      `there is a Jenkins API token in ${where} but no jenkins.user: set jenkins.user to the user the token belongs to${tokenFile === undefined && !tokenEnvGiven ? `, or unset ${tokenEnv} to call Jenkins anonymously` : ''}`,
    );
  }
  return { ...(mesos && { mesos }), ...(token !== undefined && { jenkinsToken: token }) };
}
