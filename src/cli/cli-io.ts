import { userInfo } from 'node:os';

/** Where a CLI invocation reads and writes: the real process, or a test's capture. */
export interface CliIo {
  /** One line (or a block of lines) to standard output. */
  out(text: string): void;
  err(text: string): void;
  env: NodeJS.ProcessEnv;
  /** An interactive terminal: `status --watch` redraws in place instead of appending frames. */
  tty: boolean;
  /** Aborted on Ctrl-C; ends `status --watch`. */
  signal?: AbortSignal;
  /** Clears an interactive terminal (`status --watch`); the one control sequence the CLI sends itself. */
  clearScreen?(): void;
}

const CLEAR_SCREEN = '\x1b[H\x1b[2J';

export function processIo(signal?: AbortSignal): CliIo {
  return {
    out: (text) => process.stdout.write(`${text}\n`),
    err: (text) => process.stderr.write(`${text}\n`),
    env: process.env,
    tty: Boolean(process.stdout.isTTY),
    signal,
    clearScreen: () => process.stdout.write(CLEAR_SCREEN),
  };
}

/** Who an operator action is recorded as: `--by`, else $USER, else the OS account. */
export function defaultActor(env: NodeJS.ProcessEnv): string {
  if (env.USER) return env.USER;
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}
