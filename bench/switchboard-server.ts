import path from 'node:path';

/** Where the compiled src/ comes from: this build, or another (BENCH_SOURCE_ROOT, a dist folder) to compare with. */
const root = path.resolve(process.env.BENCH_SOURCE_ROOT ?? path.join(__dirname, '..'));
const { loadConfig } = require(path.join(root, 'src/config')) as typeof import('../src/config');
const { EmbeddedDirectory } = require(path.join(root, 'src/directory/embedded/embedded-directory')) as typeof import('../src/directory/embedded/embedded-directory');
const { startServer } = require(path.join(root, 'src/server')) as typeof import('../src/server');

/**
 * Switchboard as the benchmark runs it: the real composition root (startServer) in a process of
 * its own, configured from the environment like `npm start` (PORT, DIRECTORY_FILE, DATA_DIR,
 * LOG_LEVEL). Prints `BENCH_LISTENING {...}` with the time since process start and the time the
 * embedded directory took to load (file read, schema and reference checks, indexes), measured by
 * wrapping EmbeddedDirectory.open. Exits cleanly on SIGTERM so that --cpu-prof writes its profile.
 */
async function main(): Promise<void> {
  let directoryLoadMs: number | undefined;
  const open = EmbeddedDirectory.open.bind(EmbeddedDirectory);
  EmbeddedDirectory.open = async (options) => {
    const started = performance.now();
    const directory = await open(options);
    directoryLoadMs = performance.now() - started;
    return directory;
  };
  const running = await startServer(loadConfig());
  const { rss, heapUsed } = process.memoryUsage();
  console.error(
    `BENCH_LISTENING ${JSON.stringify({ url: running.url, bootMs: performance.now(), directoryLoadMs, rssMb: rss / 2 ** 20, heapUsedMb: heapUsed / 2 ** 20 })}`,
  );
  const stop = () => {
    void running.close().finally(() => process.exit(0));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((error: unknown) => {
  console.error(`switchboard bench server failed: ${(error as Error).stack ?? String(error)}`);
  process.exit(1);
});
