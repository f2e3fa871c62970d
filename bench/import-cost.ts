/**
 * npm run bench:import [-- --accounts 100000] [-- --request-timeout-ms 30000]
 *
 * What a directory import costs at scale: the synthetic directory of the benchmark (100,000
 * accounts by default) imported through the directory CLI into an empty database on the Cosmos DB
 * stand-in, then imported again unchanged. Prints, for each run, the CLI's own lines with the
 * seconds since it started, and a summary: wall time, requests sent (retries included) and
 * documents written. The stand-in runs in a child process of its own (a second core), and its
 * memory is reported, since it keeps everything in memory and scans a whole container per query.
 * Kept out of npm test: at full size it takes minutes.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { createCosmosClient } from '../src/directory/cosmos/cosmos-client';
import { runDirectoryCli } from '../src/directory/cosmos/directory-cli';
import { PROJECTED_PAGE_ITEMS } from '../src/directory/cosmos/partition-scan';
import { PROJECT_ROOT } from '../src/project-path';
import { FULL_SIZE, generateDirectory, writeSynthetic, type SyntheticOptions } from './synthetic';

const KEY = Buffer.from('switchboard import bench stand-in key').toString('base64');

/** The benchmark's shape, scaled down for a smaller run. */
function shape(accounts: number): SyntheticOptions {
  if (accounts >= FULL_SIZE.accounts) return { ...FULL_SIZE, accounts };
  const f = accounts / FULL_SIZE.accounts;
  return { ...FULL_SIZE, accounts, wideChildren: Math.max(50, Math.round(FULL_SIZE.wideChildren * f)), admins: Math.max(20, Math.round(FULL_SIZE.admins * f)), partners: Math.max(4, Math.round(FULL_SIZE.partners * f)), benchAdmins: 10 };
}

async function startStandIn(): Promise<{ child: ChildProcess; endpoint: string }> {
  const script = "const s=require('@vercel/cosmosdb-server').default({keepAlive:true});s.listen(0,'127.0.0.1',()=>console.log('PORT '+s.address().port));";
  const child = spawn(process.execPath, ['--max-old-space-size=8192', '-e', script], { cwd: PROJECT_ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      const match = /PORT (\d+)/.exec(chunk.toString());
      if (match) resolve(match[1]!);
    });
    child.once('exit', (code) => reject(new Error(`the stand-in exited with ${String(code)}`)));
  });
  return { child, endpoint: `https://127.0.0.1:${port}/` };
}

const rssMb = (pid: number | undefined): number => {
  const status = pid === undefined ? '' : readFileSync(`/proc/${pid}/status`, 'utf8');
  return Math.round(Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024);
};

interface RunReport {
  readonly code: number;
  readonly seconds: number;
  readonly requests: number;
  readonly written: number;
  readonly lastLine: string;
}

async function importOnce(label: string, args: readonly string[], env: Record<string, string>): Promise<RunReport> {
  const started = performance.now();
  const lines: string[] = [];
  const stamp = (line: string): string => `${((performance.now() - started) / 1000).toFixed(1).padStart(7)} s  ${line}`;
  console.log(`\n${label}`);
  const code = await runDirectoryCli(args, { env }, {
    out: (line) => {
      lines.push(line);
      console.log(stamp(line));
    },
    err: (line) => {
      lines.push(line);
      console.error(stamp(line));
    },
  });
  const text = lines.join('\n');
  const number = (pattern: RegExp): number => Number(pattern.exec(text)?.[1]?.replace(/,/g, '') ?? 0);
  return { code, seconds: (performance.now() - started) / 1000, requests: number(/([\d,]+) requests to Cosmos DB/), written: number(/([\d,]+) documents written/), lastLine: lines.find((l) => l.startsWith('Import complete') || l.includes('failed')) ?? '' };
}

/** How long the stand-in takes for one page of the import's projected scan, alone and without a deadline. */
async function timeOnePage(env: Record<string, string>, rootId: string): Promise<{ seconds: number; rows: number }> {
  const settings = { kind: 'cosmos' as const, endpoint: env.COSMOS_ENDPOINT!, database: env.COSMOS_DATABASE!, key: env.COSMOS_KEY, managedIdentityClientId: undefined, trustLocalCertificate: true };
  const client = createCosmosClient(settings, { requestTimeoutMs: 3_600_000 });
  try {
    const started = performance.now();
    const query = {
      query: 'SELECT c.id, c.type, c.importHash, c.ordinal FROM c WHERE c.rootId = @pk AND ARRAY_CONTAINS(@types, c.type)',
      parameters: [{ name: '@pk', value: rootId }, { name: '@types', value: ['account', 'audit'] }],
    };
    const { resources } = await client.database(settings.database).container('accounts').items.query(query, { partitionKey: rootId, maxItemCount: PROJECTED_PAGE_ITEMS }).fetchNext();
    return { seconds: (performance.now() - started) / 1000, rows: resources.length };
  } finally {
    client.dispose();
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { accounts: { type: 'string', default: String(FULL_SIZE.accounts) }, 'request-timeout-ms': { type: 'string', default: '30000' } } });
  const accounts = Number(values.accounts);
  const synthetic = generateDirectory(shape(accounts));
  const file = writeSynthetic(synthetic);
  console.log(`Directory: ${synthetic.stats.accounts.toLocaleString('en-GB')} accounts, ${synthetic.doc.admins.length.toLocaleString('en-GB')} admins, in ${file}`);
  const standIn = await startStandIn();
  try {
    const env = { COSMOS_ENDPOINT: standIn.endpoint, COSMOS_KEY: KEY, COSMOS_DATABASE: 'bench', COSMOS_TRUST_LOCAL_CERTIFICATE: 'true' };
    const options = ['--request-timeout-ms', values['request-timeout-ms']!];
    if ((await runDirectoryCli(['init'], { env }, { out: () => undefined, err: (l) => console.error(l) })) !== 0) throw new Error('init failed');
    const first = await importOnce('First import (empty database):', ['import', file, ...options], env);
    const firstRss = rssMb(standIn.child.pid);
    // Measured while the stand-in is idle: requests a timed-out scan abandoned would still be queued in it.
    const page = await timeOnePage(env, synthetic.doc.accounts.find((a) => a.parentId === null)!.id);
    console.log(`\nOne page of the re-import's scan, alone: ${page.rows} rows in ${page.seconds.toFixed(1)} s`);
    const second = first.code === 0 ? await importOnce('Re-import of the same file:', ['import', file, ...options], env) : undefined;
    console.log('\nSummary (Cosmos DB stand-in in its own process):');
    console.log(`  one page of the re-import's scan (${page.rows} rows of id, type, hash, ordinal; alone, no timeout, right after the first import) took the stand-in ${page.seconds.toFixed(1)} s`);
    for (const [name, run, rss] of [['first import', first, firstRss], ['re-import', second, rssMb(standIn.child.pid)]] as const) {
      if (!run) continue;
      console.log(`  ${name}: exit ${run.code}, ${run.seconds.toFixed(1)} s, ${run.requests.toLocaleString('en-GB')} requests, ${run.written.toLocaleString('en-GB')} documents written; stand-in RSS ${rss} MB`);
      console.log(`    ${run.lastLine}`);
    }
  } finally {
    standIn.child.kill('SIGKILL');
  }
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
