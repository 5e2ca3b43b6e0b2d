import { join } from 'node:path';
import { build } from 'esbuild';

const AGENT_MAIN = join(__dirname, '..', '..', 'src', 'sandbox', 'jenkins', 'inboundAgentMain.ts');

/**
 * Bundles the sandbox's inbound agent (src/sandbox/jenkins/inboundAgentMain.ts) into the one file at
 * `outfile`: what the sandbox Jenkins serves as jnlpJars/agent.jar, run with `node agent.jar …` because
 * `java -jar` cannot run a Node program.
 */
export async function bundleSandboxAgent(outfile: string): Promise<void> {
  await build({
    entryPoints: [AGENT_MAIN],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    outfile,
    logLevel: 'silent',
    define: { __MESOS_OPS_VERSION__: JSON.stringify('0.0.0-test') },
  });
}
