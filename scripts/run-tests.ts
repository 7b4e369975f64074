// `npm test`: jest in two passes. The unit and replay layers share nothing between files (folders from
// mkdtemp, servers on port 0, no dev server), so they run two files at a time; the integration layer
// runs one file at a time as before: its files share one dev server, and several measure windows
// (heartbeat timeouts after a kill, concurrency peaks, retry bounds) that a second file beside them
// would stretch on two cores. Arguments go to both passes; `--outputFile` gets one report merged from
// both. Asking for projects or workers yourself runs jest once, exactly as asked.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';

const JEST = require.resolve('jest/bin/jest');
const PASSES = [
  { projects: ['unit', 'replay'], extra: ['--maxWorkers=2'] },
  { projects: ['integration'], extra: [] },
];
const SUMMED = [
  'numFailedTestSuites',
  'numFailedTests',
  'numPassedTestSuites',
  'numPassedTests',
  'numPendingTestSuites',
  'numPendingTests',
  'numRuntimeErrorTestSuites',
  'numTodoTests',
  'numTotalTestSuites',
  'numTotalTests',
] as const;

type Report = Record<string, unknown> & { success: boolean; startTime: number; testResults: unknown[] };

function jest(args: string[]): number {
  return spawnSync(process.execPath, [JEST, ...args], { stdio: 'inherit' }).status ?? 1;
}

/** The `--outputFile` value and the arguments without it. */
export function splitOutputFile(args: string[]): { outputFile: string | undefined; rest: string[] } {
  const rest: string[] = [];
  let outputFile: string | undefined;
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i] as string;
    if (arg.startsWith('--outputFile=')) outputFile = arg.slice('--outputFile='.length);
    else if (arg === '--outputFile') outputFile = args[(i += 1)];
    else rest.push(arg);
  }
  return { outputFile, rest };
}

/** One report as jest would write it for a single run over both passes' files. */
export function mergeReports(reports: Report[]): Report {
  const merged: Report = { ...reports[0]!, success: reports.every((r) => r.success) };
  for (const key of SUMMED) merged[key] = reports.reduce((sum, r) => sum + Number(r[key] ?? 0), 0);
  merged.startTime = Math.min(...reports.map((r) => r.startTime));
  merged.testResults = reports.flatMap((r) => r.testResults);
  return merged;
}

function main(args: string[]): number {
  if (args.some((a) => /^(--selectProjects|--maxWorkers|-w|--runInBand|-i)(=|$)/.test(a))) return jest(args);
  const { outputFile, rest } = splitOutputFile(args);
  const reports: Report[] = [];
  let status = 0;
  for (const [n, pass] of PASSES.entries()) {
    const report = outputFile === undefined ? undefined : `${outputFile}.pass${n}`;
    if (report !== undefined) rmSync(report, { force: true });
    const passArgs = [...rest, ...pass.extra, '--passWithNoTests', ...(report ? [`--outputFile=${report}`] : [])];
    // Last: --selectProjects takes every argument after it as a project name.
    status = Math.max(status, jest([...passArgs, '--selectProjects', ...pass.projects]));
    if (report !== undefined && existsSync(report)) {
      reports.push(JSON.parse(readFileSync(report, 'utf8')) as Report);
      rmSync(report);
    }
  }
  // A pass that wrote no report leaves none at all, so nobody counts a partial run as the whole.
  if (outputFile !== undefined && reports.length === PASSES.length) writeFileSync(outputFile, JSON.stringify(mergeReports(reports)));
  return status;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
