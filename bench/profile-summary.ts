import { readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Summarises a V8 .cpuprofile (node --cpu-prof): the top functions by self time and by inclusive
 * time, and self time by package (node_modules/<pkg>, Switchboard's own src/<folder>, Node's
 * internals, GC). With a window (µs on the monotonic clock that process.hrtime also reads), only
 * the samples taken inside it count, so start-up does not drown the scenario.
 *
 *   node dist/bench/profile-summary.js <file.cpuprofile> [--top 25] [--from <us>] [--to <us>]
 */
interface CallFrame {
  readonly functionName: string;
  readonly url: string;
  readonly lineNumber: number;
}
interface ProfileNode {
  readonly id: number;
  readonly callFrame: CallFrame;
  readonly children?: readonly number[];
}
interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly startTime: number;
  readonly endTime: number;
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

export interface Row {
  readonly name: string;
  readonly ms: number;
  readonly percent: number;
}

export interface ProfileSummary {
  readonly totalMs: number;
  readonly samples: number;
  readonly self: readonly Row[];
  readonly inclusive: readonly Row[];
  readonly byPackage: readonly Row[];
}

function shortUrl(url: string): string {
  if (!url) return '';
  const nm = url.lastIndexOf('node_modules/');
  if (nm >= 0) return url.slice(nm + 'node_modules/'.length);
  const dist = url.indexOf('/dist/');
  if (dist >= 0) return url.slice(dist + '/dist/'.length);
  return url.replace(/^file:\/\//, '');
}

function packageOf(frame: CallFrame): string {
  const { url, functionName } = frame;
  if (!url) return functionName.startsWith('(') ? functionName : '(native / V8 builtins)';
  if (url.startsWith('node:')) return 'node internals';
  const nm = url.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const rest = url.slice(nm + 'node_modules/'.length).split('/');
    return rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]!;
  }
  const src = /\/dist\/(src|bench)\/([^/]+)/.exec(url);
  if (src) return `switchboard ${src[1]}/${src[2]!.replace(/\.js$/, '')}`;
  return path.basename(url);
}

const keyOf = (frame: CallFrame) => `${frame.functionName || '(anonymous)'} ${shortUrl(frame.url)}${frame.url ? `:${frame.lineNumber + 1}` : ''}`;

export function summarise(profile: CpuProfile, options: { top?: number; fromUs?: number; toUs?: number } = {}): ProfileSummary {
  const top = options.top ?? 25;
  const byId = new Map<number, ProfileNode>();
  const parent = new Map<number, number>();
  for (const node of profile.nodes) {
    byId.set(node.id, node);
    for (const child of node.children ?? []) parent.set(child, node.id);
  }
  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  const packages = new Map<string, number>();
  let total = 0;
  let counted = 0;
  let t = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    t += profile.timeDeltas[i] ?? 0;
    // A sample stands for the time until the next one.
    const weight = profile.timeDeltas[i + 1] ?? 0;
    if (options.fromUs !== undefined && t < options.fromUs) continue;
    if (options.toUs !== undefined && t > options.toUs) continue;
    const node = byId.get(profile.samples[i]!)!;
    if (node.callFrame.functionName === '(idle)') continue;
    total += weight;
    counted++;
    const key = keyOf(node.callFrame);
    self.set(key, (self.get(key) ?? 0) + weight);
    const pkg = packageOf(node.callFrame);
    packages.set(pkg, (packages.get(pkg) ?? 0) + weight);
    const onStack = new Set<string>();
    for (let id: number | undefined = node.id; id !== undefined; id = parent.get(id)) {
      const k = keyOf(byId.get(id)!.callFrame);
      if (!onStack.has(k)) {
        onStack.add(k);
        inclusive.set(k, (inclusive.get(k) ?? 0) + weight);
      }
    }
  }
  const rows = (map: Map<string, number>, n: number): Row[] =>
    [...map.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([name, us]) => ({ name, ms: us / 1000, percent: total ? (100 * us) / total : 0 }));
  const skipRoots = (r: Row) => !/^\((root|program)\)/.test(r.name);
  return {
    totalMs: total / 1000,
    samples: counted,
    self: rows(self, top),
    inclusive: rows(inclusive, top + 10).filter(skipRoots).slice(0, top),
    byPackage: rows(packages, 20),
  };
}

export function formatSummary(summary: ProfileSummary, title: string): string {
  const table = (rows: readonly Row[]) => rows.map((r) => `  ${r.percent.toFixed(1).padStart(5)}%  ${r.ms.toFixed(0).padStart(7)} ms  ${r.name}`).join('\n');
  return [
    `${title}: ${summary.totalMs.toFixed(0)} ms of CPU in ${summary.samples} samples (idle excluded)`,
    'Self time by package:',
    table(summary.byPackage),
    'Top functions by self time:',
    table(summary.self),
    'Top functions by inclusive time:',
    table(summary.inclusive),
  ].join('\n');
}

if (require.main === module) {
  const args = process.argv.slice(2);
  const file = args.find((a) => !a.startsWith('--') && !/^\d+$/.test(a));
  if (!file) {
    console.error('usage: node dist/bench/profile-summary.js <file.cpuprofile> [--top N] [--from us] [--to us]');
    process.exit(2);
  }
  const opt = (name: string) => {
    const i = args.indexOf(name);
    return i >= 0 ? Number(args[i + 1]) : undefined;
  };
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  console.log(formatSummary(summarise(profile, { top: opt('--top') ?? 25, fromUs: opt('--from'), toUs: opt('--to') }), path.basename(file)));
}
