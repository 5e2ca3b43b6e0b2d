import { runInboundAgentCli } from './inboundAgentCli';

// Script entry (`node dist/sandbox-agent.js …`, or `node --import tsx src/sandbox/jenkins/inboundAgentMain.ts …`).
// SIGTERM and SIGKILL just end the process: the controller sees the connection close and marks the node offline.
runInboundAgentCli(process.argv.slice(2), process).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`sandbox-agent: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
