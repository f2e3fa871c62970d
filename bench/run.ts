import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { combine, runLoad, sendAll, type Measured } from './load';
import { cpuMsOf, memoryOf, planPinning, startNode, stop, type Started } from './processes';
import { formatSummary, summarise } from './profile-summary';
import { discoverPageTokens, SCENARIOS, type Body, type Scenario } from './scenarios';
import { FULL_SIZE, generateDirectory, writeSynthetic, type BenchPlan } from './synthetic';

/**
 * npm run bench [-- --quick] [-- --only page,find] [-- --profile page] [-- --no-cosmos]
 *               [-- --baseline <checkout>] [-- --switchboard <checkout>] [-- --log-level warn]
 *
 * Switchboard on the embedded directory with a synthetic 100,000-account estate, and an echo bot
 * on the same restify + CloudAdapter stack (the floor), each in a child process pinned to a core
 * of its own (taskset), loaded over loopback by autocannon in this process. Each scenario's
 * duration is cut into slices in which the floor and Switchboard take turns with the same request
 * bodies, connections and pipelining, so that every ratio pairs runs a second apart on this noisy
 * machine. See bench/README.md.
 */
const HERE = __dirname; // dist/bench
const RESULTS = path.resolve(HERE, '..', '..', 'bench', 'results');

const TARGET_RATIO = 0.5;
const TARGET_P99_FACTOR = 2;
const TARGET_STARTUP_MS = 3000;
const TARGET_RSS_MB = 400;
/** Node flag the servers run with, as npm start runs Switchboard. */
const SERVER_FLAG = '--expose-gc';

interface Settings {
  readonly quick: boolean;
  readonly duration: number;
  readonly warmup: number;
  readonly connections: number;
  readonly accounts: number;
  readonly only: readonly string[] | undefined;
  readonly cosmos: boolean;
  readonly profile: string | undefined;
  readonly nodeFlags: readonly string[];
  readonly logLevel: string;
  readonly pin: boolean;
  /** Slices each scenario's duration is cut into, floor and Switchboard alternating. */
  readonly slices: number;
  /** Another build of Switchboard (a folder holding its package.json, cards/ and dist/src/) measured alongside. */
  readonly baseline: string | undefined;
  /** Measure this build (same layout) as "switchboard" instead of this checkout's own. */
  readonly candidate: string | undefined;
  /** Keep the temp folder (directory file, servers' logs) after a successful run. */
  readonly keepTemp: boolean;
}

function settingsFrom(argv: string[]): Settings {
  const { values } = parseArgs({
    args: argv,
    options: {
      quick: { type: 'boolean', default: false },
      duration: { type: 'string' },
      warmup: { type: 'string' },
      connections: { type: 'string', default: '10' },
      accounts: { type: 'string', default: String(FULL_SIZE.accounts) },
      only: { type: 'string' },
      'no-cosmos': { type: 'boolean', default: false },
      profile: { type: 'string' },
      'node-flag': { type: 'string', multiple: true, default: [] },
      'log-level': { type: 'string', default: 'info' },
      'no-pin': { type: 'boolean', default: false },
      slices: { type: 'string' },
      baseline: { type: 'string' },
      switchboard: { type: 'string' },
      'keep-temp': { type: 'boolean', default: false },
    },
    strict: true,
  });
  const quick = values.quick!;
  const only = values.only ? values.only.split(',').map((s) => s.trim()) : values.profile ? [values.profile] : undefined;
  for (const key of only ?? []) if (!SCENARIOS.some((s) => s.key === key)) throw new Error(`unknown scenario "${key}"; scenarios: ${SCENARIOS.map((s) => s.key).join(', ')}`);
  return {
    quick,
    duration: Number(values.duration ?? (quick ? 1.2 : 10)),
    warmup: Number(values.warmup ?? (quick ? 0.3 : 2)),
    connections: Number(values.connections),
    accounts: Number(values.accounts),
    only,
    cosmos: !values['no-cosmos'],
    profile: values.profile,
    nodeFlags: values['node-flag']!,
    logLevel: values['log-level']!,
    pin: !values['no-pin'],
    slices: Number(values.slices ?? (quick ? 3 : 10)),
    baseline: values.baseline ? path.resolve(values.baseline) : undefined,
    candidate: values.switchboard ? path.resolve(values.switchboard) : undefined,
    keepTemp: values['keep-temp']!,
  };
}

interface ScenarioResult {
  readonly key: string;
  readonly name: string;
  readonly kind: Scenario['kind'];
  readonly description: string;
  readonly switchboard: Measured;
  readonly floor: Measured;
  /** The same scenario against --baseline (another build of Switchboard), measured in the same slices. */
  readonly baseline?: Measured;
  /** CPU time each server used in its slices, per request served (ms): steadier than req/s on a shared machine. */
  readonly cpuMsPerTurn: Partial<Record<Target, number>>;
}

/** Each connection gets the admins i, i + connections, ...; their loops interleaved turn by turn. */
function perConnection(loops: readonly (readonly Body[])[], connections: number): Body[][] {
  const lists: Body[][] = [];
  for (let c = 0; c < connections; c++) {
    const mine = loops.filter((_, i) => i % connections === c);
    const list: Body[] = [];
    const longest = Math.max(0, ...mine.map((l) => l.length));
    for (let k = 0; k < longest; k++) for (const loop of mine) if (k < loop.length) list.push(loop[k]!);
    lists.push(list);
  }
  return lists;
}

const fmt = (n: number, digits = 0) => (Number.isFinite(n) ? n.toFixed(digits) : '-');
const median = (xs: readonly number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? (s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2) : NaN;
};

type Target = 'floor' | 'switchboard' | 'baseline';

async function measureScenario(
  scenario: Scenario,
  plan: BenchPlan,
  servers: { switchboard: Started; floor: Started; baseline?: Started },
  settings: Settings,
  log: (line: string) => void,
  expectedRate: number,
  onMeasure?: (phase: 'floor-start' | 'floor-end' | 'start' | 'end') => void,
): Promise<ScenarioResult> {
  const { connections, duration, warmup } = settings;
  const slices = onMeasure ? 1 : settings.slices;
  const admins = plan.admins;
  // "up" moves the admin one way: enough pre-positioned conversations for the whole run.
  const rounds = scenario.roundsPerConversation ?? 0;
  const conversations = rounds ? Math.max(1, Math.ceil((expectedRate * duration * 1.3) / (rounds * admins.length))) : 1;
  const warmConversations = rounds ? Math.max(1, Math.ceil((expectedRate * warmup * 1.3) / (rounds * admins.length))) : 1;
  const measured = admins.map((a, i) => scenario.script(a, i, plan, conversations));
  const warm = admins.map((a, i) => scenario.script(a, i + 1000, plan, warmConversations));
  const bots = (['switchboard', 'baseline'] as const).filter((t) => servers[t]);

  const started = performance.now();
  for (const bot of bots) await sendAll(servers[bot]!.info.url, [...measured, ...warm].map((s) => s.setup));
  const setupMs = performance.now() - started;

  const lists = perConnection(measured.map((s) => s.loop), connections);
  const warmLists = perConnection(warm.map((s) => s.loop), connections);
  const check = scenario.check;
  // Turns that move the admin one way are cut into consecutive chunks, one a slice; others loop for a duration.
  const chunk = (list: readonly Body[], i: number) => list.slice(Math.floor((i * list.length) / slices), Math.floor(((i + 1) * list.length) / slices));
  const sliceLists = (i: number) => (rounds ? lists.map((l) => chunk(l, i)) : lists);
  const amountOf = (ls: readonly (readonly Body[])[]) => connections * Math.min(...ls.map((l) => l.length));
  const sliceSeconds = duration / slices;

  // Warm-up of each, then the slices: floor, Switchboard (and baseline) in turn, the order rotating
  // every slice, with the same bodies, connections and duration, so that each ratio pairs runs
  // seconds apart on this noisy machine.
  await runLoad({ url: servers.floor.info.url, perConnection: lists, connections, duration: warmup });
  for (const bot of bots) {
    await runLoad({ url: servers[bot]!.info.url, perConnection: warmLists, connections, ...(rounds ? { amount: amountOf(warmLists) } : { duration: warmup }), check });
  }
  const parts: Record<Target, Measured[]> = { floor: [], switchboard: [], baseline: [] };
  const cpu: Record<Target, number> = { floor: 0, switchboard: 0, baseline: 0 };
  const order: Target[] = ['floor', ...bots];
  for (let i = 0; i < slices; i++) {
    const turn = order.map((_, k) => order[(k + i) % order.length]!);
    for (const target of turn) {
      const perConnection = sliceLists(i);
      const shape = rounds && target !== 'floor' ? { amount: amountOf(perConnection) } : { duration: sliceSeconds };
      onMeasure?.(target === 'floor' ? 'floor-start' : 'start');
      const cpuBefore = cpuMsOf(servers[target]!.pid) ?? NaN;
      parts[target].push(await runLoad({ url: servers[target]!.info.url, perConnection, connections, ...shape, ...(target === 'floor' ? {} : { check }) }));
      cpu[target] += (cpuMsOf(servers[target]!.pid) ?? NaN) - cpuBefore;
      onMeasure?.(target === 'floor' ? 'floor-end' : 'end');
    }
  }
  const floor = combine(parts.floor);
  const switchboard = combine(parts.switchboard);
  const baseline = parts.baseline.length ? combine(parts.baseline) : undefined;
  const problems = switchboard.errors + switchboard.non2xx + switchboard.mismatches;
  const cpuMsPerTurn: Partial<Record<Target, number>> = { floor: cpu.floor / floor.requests, switchboard: cpu.switchboard / switchboard.requests, ...(baseline ? { baseline: cpu.baseline / baseline.requests } : {}) };
  log(
    `  ${scenario.name.padEnd(20)} switchboard ${fmt(switchboard.reqPerSec).padStart(5)}/s p50 ${fmt(switchboard.p50Ms, 2)} p99 ${fmt(switchboard.p99Ms, 2)} ms | ` +
      `floor ${fmt(floor.reqPerSec).padStart(5)}/s p99 ${fmt(floor.p99Ms, 2)} ms | ratio ${fmt(switchboard.reqPerSec / floor.reqPerSec, 2)}` +
      ` | ${fmt(switchboard.bodyBytes)} B` +
      ` | CPU/turn ${fmt(cpuMsPerTurn.switchboard! * 1000)} vs ${fmt(cpuMsPerTurn.floor! * 1000)} µs (${fmt(cpuMsPerTurn.floor! / cpuMsPerTurn.switchboard!, 2)})` +
      (baseline ? ` | baseline ${fmt(baseline.reqPerSec).padStart(5)}/s p99 ${fmt(baseline.p99Ms, 2)} ms ratio ${fmt(baseline.reqPerSec / floor.reqPerSec, 2)} ${fmt(baseline.bodyBytes)} B` : '') +
      `${setupMs > 500 ? ` | setup ${fmt(setupMs)} ms` : ''}${problems ? ` | ${problems} BAD REPLIES: ${switchboard.firstProblem}` : ''}`,
  );
  return { key: scenario.key, name: scenario.name, kind: scenario.kind, description: scenario.description, switchboard, floor, cpuMsPerTurn, ...(baseline ? { baseline } : {}) };
}

async function main(): Promise<void> {
  const wallStart = performance.now();
  const settings = settingsFrom(process.argv.slice(2));
  const log = (line: string) => console.log(line);
  const pinning = planPinning(!settings.pin);
  log(`Switchboard benchmark${settings.quick ? ' (--quick)' : ''}: ${settings.connections} connections, ${settings.duration} s per run after ${settings.warmup} s warm-up; ${pinning.note}`);

  const genStart = performance.now();
  const synthetic = generateDirectory({ ...FULL_SIZE, accounts: settings.accounts });
  const file = writeSynthetic(synthetic);
  const tmp = path.dirname(file);
  const { stats } = synthetic;
  log(
    `Synthetic directory: ${stats.accounts.toLocaleString('en-GB')} accounts (${stats.resellers} resellers, ${stats.customers} customers), depth ${stats.maxDepth}, ` +
      `widest ${stats.widest.toLocaleString('en-GB')} children, ${synthetic.doc.admins.length} admins; ${(statSync(file).size / 2 ** 20).toFixed(1)} MB at ${file} (${fmt(performance.now() - genStart)} ms)`,
  );

  const profileDir = path.join(RESULTS, 'profiles');
  const cpuProf = (dir: string) => (settings.profile ? ['--cpu-prof', `--cpu-prof-dir=${path.join(profileDir, dir)}`] : []);
  // --expose-gc as npm start runs the server: it collects once after loading the directory (src/startup-collection.ts).
  const nodeFlags = [SERVER_FLAG, ...settings.nodeFlags, ...cpuProf('switchboard')];
  if (settings.profile) mkdirSync(profileDir, { recursive: true });

  const floor = await startNode(path.join(HERE, 'echo-bot.js'), { env: { PORT: '0' }, pinning, nodeFlags: cpuProf('floor'), label: 'echo floor' });
  const switchboardEnv = {
    NODE_ENV: 'development',
    PORT: '0',
    HOST: '127.0.0.1',
    DIRECTORY: 'embedded',
    DIRECTORY_FILE: file,
    DATA_DIR: 'none',
    LOG_LEVEL: settings.logLevel,
    MicrosoftAppId: '',
    // Loopback without credentials, as npm start runs it (newer config.ts asks for this explicitly).
    INSECURE_UNAUTHENTICATED_LOOPBACK: 'true',
    ALLOWED_TENANTS: '',
  };
  const switchboard = await startNode(path.join(HERE, 'switchboard-server.js'), {
    env: { ...switchboardEnv, ...(settings.candidate ? { BENCH_SOURCE_ROOT: path.join(settings.candidate, 'dist') } : {}) },
    pinning,
    nodeFlags,
    stdoutFile: path.join(tmp, 'switchboard.log'),
    label: 'switchboard',
  }).catch(async (error: unknown) => {
    await stop(floor.child); // never leave the floor running when Switchboard cannot start
    throw error;
  });
  const afterStart = memoryOf(switchboard.pid);
  const baseline = settings.baseline
    ? await startNode(path.join(HERE, 'switchboard-server.js'), {
        env: { ...switchboardEnv, BENCH_SOURCE_ROOT: path.join(settings.baseline, 'dist') },
        pinning,
        nodeFlags: [SERVER_FLAG],
        stdoutFile: path.join(tmp, 'baseline.log'),
        label: 'baseline',
      }).catch(async (error: unknown) => {
        await Promise.all([stop(floor.child), stop(switchboard.child)]);
        throw error;
      })
    : undefined;
  const baselineAfterStart = baseline ? memoryOf(baseline.pid) : undefined;
  if (baseline) log(`Baseline ${settings.baseline}: start-up ${fmt(baseline.startupMs)} ms (directory load ${fmt(Number(baseline.info.directoryLoadMs))} ms), RSS ${fmt(baselineAfterStart?.rssMb ?? NaN)} MB`);
  const directoryLoadMs = Number(switchboard.info.directoryLoadMs);
  log(
    `Start-up with ${stats.accounts.toLocaleString('en-GB')} accounts: ${fmt(switchboard.startupMs)} ms from spawn to listening ` +
      `(${fmt(Number(switchboard.info.bootMs))} ms in-process; directory load ${fmt(directoryLoadMs)} ms); RSS ${fmt(afterStart.rssMb ?? NaN)} MB, peak so far ${fmt(afterStart.peakRssMb ?? NaN)} MB`,
  );

  const servers = { switchboard, floor, ...(baseline ? { baseline } : {}) };
  synthetic.plan.pageTokens = await discoverPageTokens(switchboard.info.url, synthetic.plan.admins[0]!, synthetic.plan.wideAccountId);
  const results: ScenarioResult[] = [];
  const chosen = SCENARIOS.filter((s) => (settings.only ? settings.only.includes(s.key) : !s.diagnostic));
  const windows: Record<'floor' | 'switchboard', { fromUs: number; toUs: number } | undefined> = { floor: undefined, switchboard: undefined };
  const nowUs = () => Number(process.hrtime.bigint() / 1000n);
  let peak: ReturnType<typeof memoryOf> = {};
  let baselinePeak: ReturnType<typeof memoryOf> | undefined;
  try {
    log(`Measuring (each scenario: a warm-up of each server, then ${settings.slices} slices of ${fmt(settings.duration / settings.slices, 2)} s in which the floor and Switchboard take turns):`);
    for (const scenario of chosen) {
      const rate = Math.max(...results.map((r) => r.switchboard.reqPerSec), 500);
      const onMeasure =
        settings.profile === scenario.key
          ? (phase: 'floor-start' | 'floor-end' | 'start' | 'end') => {
              const which = phase.startsWith('floor') ? 'floor' : 'switchboard';
              if (phase.endsWith('start')) windows[which] = { fromUs: nowUs(), toUs: Infinity };
              else windows[which] = { fromUs: windows[which]!.fromUs, toUs: nowUs() };
            }
          : undefined;
      results.push(await measureScenario(scenario, synthetic.plan, servers, settings, log, rate, onMeasure));
      const memory = memoryOf(switchboard.pid);
      log(`    Switchboard RSS ${fmt(memory.rssMb ?? NaN)} MB, peak so far ${fmt(memory.peakRssMb ?? NaN)} MB`);
    }
  } finally {
    peak = memoryOf(switchboard.pid);
    baselinePeak = baseline ? memoryOf(baseline.pid) : undefined;
    await stop(switchboard.child);
    await stop(floor.child);
    if (baseline) await stop(baseline.child);
  }

  const floorOf = (kind: Scenario['kind']) => {
    const runs = results.filter((r) => r.kind === kind).map((r) => r.floor);
    return runs.length ? { reqPerSec: median(runs.map((r) => r.reqPerSec)), p50Ms: median(runs.map((r) => r.p50Ms)), p99Ms: median(runs.map((r) => r.p99Ms)), runs: runs.length } : undefined;
  };
  const scenarios = results.map((r) => {
    const ratioToFloor = r.switchboard.reqPerSec / r.floor.reqPerSec;
    const p99RatioToFloor = r.switchboard.p99Ms / r.floor.p99Ms;
    const bad = r.switchboard.errors + r.switchboard.non2xx + r.switchboard.mismatches;
    return {
      name: r.name,
      key: r.key,
      kind: r.kind,
      description: r.description,
      reqPerSec: round(r.switchboard.reqPerSec, 1),
      p50Ms: round(r.switchboard.p50Ms, 2),
      p99Ms: round(r.switchboard.p99Ms, 2),
      ratioToFloor: round(ratioToFloor, 3),
      p99RatioToFloor: round(p99RatioToFloor, 2),
      floorReqPerSec: round(r.floor.reqPerSec, 1),
      floorP50Ms: round(r.floor.p50Ms, 2),
      floorP99Ms: round(r.floor.p99Ms, 2),
      requests: r.switchboard.requests,
      /** Mean reply body (the card, as JSON) in bytes. */
      replyBytes: round(r.switchboard.bodyBytes, 0),
      cpuUsPerTurn: round(r.cpuMsPerTurn.switchboard! * 1000, 0),
      floorCpuUsPerTurn: round(r.cpuMsPerTurn.floor! * 1000, 0),
      /** Floor CPU per turn over Switchboard's: the throughput ratio both would reach on a core of their own. */
      cpuRatioToFloor: round(r.cpuMsPerTurn.floor! / r.cpuMsPerTurn.switchboard!, 3),
      badReplies: bad,
      meetsTargets: bad === 0 && ratioToFloor >= TARGET_RATIO && p99RatioToFloor <= TARGET_P99_FACTOR,
      ...(r.baseline
        ? { baseline: { reqPerSec: round(r.baseline.reqPerSec, 1), p50Ms: round(r.baseline.p50Ms, 2), p99Ms: round(r.baseline.p99Ms, 2), ratioToFloor: round(r.baseline.reqPerSec / r.floor.reqPerSec, 3), replyBytes: round(r.baseline.bodyBytes, 0) } }
        : {}),
    };
  });
  const rssMb = peak.peakRssMb;

  log('');
  log(`| scenario             | kind    |  req/s | p50 ms | p99 ms | floor req/s | floor p99 | ratio | p99 / floor p99 | CPU µs/turn (floor) | CPU ratio | reply B | targets |`);
  log(`|----------------------|---------|-------:|-------:|-------:|------------:|----------:|------:|----------------:|--------------------:|----------:|--------:|---------|`);
  for (const s of scenarios) {
    log(
      `| ${s.name.padEnd(20)} | ${s.kind.padEnd(7)} | ${fmt(s.reqPerSec).padStart(6)} | ${fmt(s.p50Ms, 2).padStart(6)} | ${fmt(s.p99Ms, 2).padStart(6)} | ` +
        `${fmt(s.floorReqPerSec).padStart(11)} | ${fmt(s.floorP99Ms, 2).padStart(9)} | ${fmt(s.ratioToFloor, 2).padStart(5)} | ${fmt(s.p99RatioToFloor, 2).padStart(15)} | ` +
        `${`${fmt(s.cpuUsPerTurn)} (${fmt(s.floorCpuUsPerTurn)})`.padStart(19)} | ${fmt(s.cpuRatioToFloor, 2).padStart(9)} | ${fmt(s.replyBytes).padStart(7)} | ${(s.meetsTargets ? 'yes' : 'NO').padEnd(7)} |`,
    );
  }
  if (baseline) {
    log('');
    log(`Baseline (${settings.baseline}) in the same slices:`);
    log(`| scenario             | baseline req/s | baseline p99 | baseline ratio | switchboard ratio | throughput change | baseline B | reply B |`);
    log(`|----------------------|---------------:|-------------:|---------------:|------------------:|------------------:|-----------:|--------:|`);
    for (const s of scenarios) {
      const b = (s as { baseline?: { reqPerSec: number; p99Ms: number; ratioToFloor: number; replyBytes: number } }).baseline;
      if (!b) continue;
      log(`| ${s.name.padEnd(20)} | ${fmt(b.reqPerSec).padStart(14)} | ${fmt(b.p99Ms, 2).padStart(12)} | ${fmt(b.ratioToFloor, 2).padStart(14)} | ${fmt(s.ratioToFloor, 2).padStart(17)} | ${`${s.reqPerSec >= b.reqPerSec ? '+' : ''}${fmt((100 * (s.reqPerSec - b.reqPerSec)) / b.reqPerSec)}%`.padStart(17)} | ${fmt(b.replyBytes).padStart(10)} | ${fmt(s.replyBytes).padStart(7)} |`);
    }
    log(`Baseline start-up ${fmt(baseline.startupMs)} ms (directory load ${fmt(Number(baseline.info.directoryLoadMs))} ms), peak RSS ${fmt(baselinePeak?.peakRssMb ?? NaN)} MB`);
  }
  const fm = floorOf('message');
  const fi = floorOf('invoke');
  if (fm) log(`Echo floor, messages: ${fmt(fm.reqPerSec)} req/s, p50 ${fmt(fm.p50Ms, 2)} ms, p99 ${fmt(fm.p99Ms, 2)} ms (median of ${fm.runs} runs)`);
  if (fi) log(`Echo floor, invokes:  ${fmt(fi.reqPerSec)} req/s, p50 ${fmt(fi.p50Ms, 2)} ms, p99 ${fmt(fi.p99Ms, 2)} ms (median of ${fi.runs} runs)`);
  log(
    `Start-up: ${fmt(switchboard.startupMs)} ms spawn to listening (target < ${TARGET_STARTUP_MS}: ${switchboard.startupMs < TARGET_STARTUP_MS ? 'yes' : 'NO'}), ` +
      `directory load ${fmt(directoryLoadMs)} ms. Peak RSS ${fmt(rssMb ?? NaN)} MB (VmHWM; target < ${TARGET_RSS_MB}: ${rssMb !== undefined && rssMb < TARGET_RSS_MB ? 'yes' : 'NO'}), RSS after start-up ${fmt(afterStart.rssMb ?? NaN)} MB.`,
  );
  log(
    `Targets: ratio >= ${TARGET_RATIO} of the echo floor's throughput and p99 <= ${TARGET_P99_FACTOR}x its p99, against the floor measured in the same slices with the same requests. ` +
      `CPU ratio: the floor's CPU time per turn over Switchboard's (steadier than req/s on this shared machine). Logging: LOG_LEVEL=${settings.logLevel} (the floor logs nothing).`,
  );

  let profile: Record<string, unknown> | undefined;
  if (settings.profile && windows.switchboard && windows.floor) {
    const result = results.find((r) => r.key === settings.profile)!;
    const summaries = (['floor', 'switchboard'] as const).map((which) => {
      const dir = path.join(profileDir, which);
      const newest = readdirSync(dir)
        .filter((f) => f.endsWith('.cpuprofile'))
        .map((f) => path.join(dir, f))
        .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)[0]!;
      const summary = summarise(JSON.parse(readFileSync(newest, 'utf8')), { top: 30, ...windows[which]! });
      const turns = which === 'floor' ? result.floor.requests : result.switchboard.requests;
      return { which, file: newest, summary, turns };
    });
    const [floorProfile, sbProfile] = summaries as [(typeof summaries)[0], (typeof summaries)[0]];
    log('');
    log(formatSummary(sbProfile.summary, `CPU profile of Switchboard during "${settings.profile}" (${sbProfile.file})`));
    log('');
    const perTurn = (rows: readonly { name: string; ms: number }[], turns: number) => new Map(rows.map((r) => [r.name, (1000 * r.ms) / turns]));
    const f = perTurn(floorProfile.summary.byPackage, floorProfile.turns);
    const b = perTurn(sbProfile.summary.byPackage, sbProfile.turns);
    const names = [...new Set([...b.keys(), ...f.keys()])].sort((x, y) => (b.get(y) ?? 0) - (f.get(y) ?? 0) - ((b.get(x) ?? 0) - (f.get(x) ?? 0)));
    log(`CPU per turn by package, µs (profiled, so inflated): echo floor ${fmt((1000 * floorProfile.summary.totalMs) / floorProfile.turns)} µs over ${floorProfile.turns} turns, Switchboard ${fmt((1000 * sbProfile.summary.totalMs) / sbProfile.turns)} µs over ${sbProfile.turns} turns`);
    log(`  ${'package'.padEnd(34)} ${'floor'.padStart(7)} ${'switchboard'.padStart(11)} ${'extra'.padStart(7)}`);
    for (const name of names) log(`  ${name.padEnd(34)} ${fmt(f.get(name) ?? 0).padStart(7)} ${fmt(b.get(name) ?? 0).padStart(11)} ${fmt((b.get(name) ?? 0) - (f.get(name) ?? 0)).padStart(7)}`);
    profile = { scenario: settings.profile, floor: floorProfile, switchboard: sbProfile };
  }

  const loadDone = performance.now();
  let cosmos: unknown;
  if (settings.cosmos && !settings.profile) {
    // The in-process server below pulls in restify, whose http_parser use Node flags as deprecated.
    process.noDeprecation = true;
    const { cosmosTurnCosts } = await import('./cosmos-turns');
    log('');
    log('Cosmos DB requests per turn (real server, DIRECTORY=cosmos, in-process stand-in, a few thousand accounts, one turn at a time):');
    cosmos = await cosmosTurnCosts({ quick: settings.quick, log });
  }

  const wallSeconds = (performance.now() - wallStart) / 1000;
  const phases = { loadSeconds: round((loadDone - wallStart) / 1000, 1), cosmosSeconds: round((performance.now() - loadDone) / 1000, 1) };
  const output = {
    generatedAt: new Date().toISOString(),
    floor: { ...(fm ?? {}), message: fm, invoke: fi },
    scenarios,
    startupMs: round(switchboard.startupMs, 0),
    directoryLoadMs: round(directoryLoadMs, 0),
    rssMb: rssMb !== undefined ? round(rssMb, 1) : null,
    rssAfterStartMb: afterStart.rssMb !== undefined ? round(afterStart.rssMb, 1) : null,
    targets: {
      ratioToFloor: TARGET_RATIO,
      p99FactorOfFloor: TARGET_P99_FACTOR,
      startupMs: TARGET_STARTUP_MS,
      rssMb: TARGET_RSS_MB,
      navigationHolds: scenarios.every((s) => s.meetsTargets),
      startupHolds: switchboard.startupMs < TARGET_STARTUP_MS,
      rssHolds: rssMb !== undefined && rssMb < TARGET_RSS_MB,
    },
    settings: { ...settings, nodeFlags: [...nodeFlags] },
    machine: { cpus: os.availableParallelism?.() ?? os.cpus().length, model: os.cpus()[0]?.model, node: process.version, pinning: pinning.note, loadAverage: os.loadavg() },
    directory: stats,
    ...(baseline ? { baseline: { dir: settings.baseline, startupMs: round(baseline.startupMs, 0), directoryLoadMs: round(Number(baseline.info.directoryLoadMs), 0), rssMb: baselinePeak?.peakRssMb ?? null } } : {}),
    ...(profile ? { profile } : {}),
    ...(cosmos !== undefined ? { cosmos } : {}),
    wallSeconds: round(wallSeconds, 1),
    phases,
  };
  if (!existsSync(RESULTS)) mkdirSync(RESULTS, { recursive: true });
  const out = path.join(RESULTS, settings.profile ? `profile-${settings.profile}.json` : settings.baseline ? 'baseline-comparison.json' : 'latest.json');
  writeFileSync(out, JSON.stringify(output, null, 2) + '\n');
  if (!settings.keepTemp) rmSync(tmp, { recursive: true, force: true });
  log(`Wrote ${path.relative(process.cwd(), out)} (wall time ${fmt(wallSeconds, 1)} s: load runs ${fmt(phases.loadSeconds, 1)} s, Cosmos DB part ${fmt(phases.cosmosSeconds, 1)} s)`);
}

function round(n: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

main().catch((error: unknown) => {
  console.error((error as Error).stack ?? String(error));
  process.exit(1);
});
