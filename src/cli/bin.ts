import { main } from './main';

// The executable entry: wires process signals to an AbortSignal so streaming commands stop cleanly.
const controller = new AbortController();
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => controller.abort(new Error(`received ${signal}`)));
}
main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, signal: controller.signal }).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`mesos-ops: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
