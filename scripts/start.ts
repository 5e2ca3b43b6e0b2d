// `npm start`: opens this extension (as built in dist/) in a real VS Code in the browser, served by
// code-server on 127.0.0.1, and prints the URL. Ctrl-C stops everything it started. User data and the
// workspace persist in .vscode-test/start/ so settings survive restarts. Uses the same launcher as the
// UI tests. The port is MESOS_OPS_PORT (default 8080; a free one if that is taken).
import { join } from 'node:path';
import { createServer } from 'node:net';
import { startCodeServer } from '../test/harness/codeServer';
import { REPO_ROOT } from '../test/harness/paths';

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

async function main(): Promise<void> {
  const wanted = Number(process.env.MESOS_OPS_PORT ?? 8080);
  const port = (await portIsFree(wanted)) ? wanted : undefined;
  const server = await startCodeServer({
    extensions: [REPO_ROOT],
    port,
    stateDir: join(REPO_ROOT, '.vscode-test', 'start'),
  });
  const url = server.workbenchUrl();
  process.stdout.write(
    [
      '',
      'Mesos Ops is running in VS Code (code-server) at:',
      '',
      `  ${url}`,
      '',
      'Open it in a browser on this machine. Press Ctrl-C to stop.',
      '',
    ].join('\n'),
  );
  let stopping = false;
  const stop = async (): Promise<void> => {
    if (stopping) return;
    stopping = true;
    process.stdout.write('\nstopping…\n');
    await server.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

main().catch((err: unknown) => {
  process.stderr.write(`npm start failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
