import type { Command } from '../command';
import { checkCommand } from './check';
import { approveCommand, rejectCommand } from './decide';
import { pauseCommand } from './pause';
import { planCommand } from './plan';
import { reportCommand } from './report';
import { rerunCommand } from './rerun';
import { resumeCommand } from './resume';
import { runCommand } from './run';
import { runsCommand } from './runs';
import { schedulesCommand } from './schedules';
import { statusCommand } from './status';
import { whyCommand } from './why';

/** Every `campaign-sync` command, in the order the help lists them. */
export const COMMANDS: Command[] = [
  schedulesCommand,
  checkCommand,
  planCommand,
  runCommand,
  statusCommand,
  pauseCommand,
  resumeCommand,
  rerunCommand,
  approveCommand,
  rejectCommand,
  runsCommand,
  reportCommand,
  whyCommand,
];
