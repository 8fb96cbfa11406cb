/**
 * Command dispatch for `scaling-lens`, separate from the process glue in main.ts so tests run the exact CLI
 * in-process. Exit codes: 0 ok, 1 failure (bad data, unreadable file, fit failed), 2 usage error.
 */
import { UsageError } from './args';
import { FIT_HELP, FIT_USAGE, fitCommand } from './fitCommand';
import { FRONTIER_HELP, FRONTIER_USAGE, frontierCommand } from './frontierCommand';
import { PLAN_HELP, PLAN_USAGE, planCommand } from './planCommand';
import { PREDICT_HELP, PREDICT_USAGE, predictCommand } from './predictCommand';
import { RUNS_USAGE, runsCommand } from './runsCommand';

export const USAGE = `scaling-lens: find training runs and fit scaling laws

usage:
  ${RUNS_USAGE}
  ${FIT_USAGE}
  ${PREDICT_USAGE}
  ${FRONTIER_USAGE}
  ${PLAN_USAGE}

\`scaling-lens <command> --help\` describes a command's options.
exit codes: 0 ok, 1 failure (bad data, unreadable file, fit failed), 2 usage error.
`;

/** Synchronous commands (predict: a saved fit, no I/O to wait on) return their exit code directly. */
type Command = (argv: string[], out: (s: string) => void) => number | Promise<number>;
// Partial: the key is whatever the user typed, so a lookup may miss.
const COMMANDS: Partial<Record<string, { run: Command; help: string }>> = {
  runs: { run: runsCommand, help: RUNS_USAGE },
  fit: { run: fitCommand, help: FIT_HELP },
  predict: { run: predictCommand, help: PREDICT_HELP },
  frontier: { run: frontierCommand, help: FRONTIER_HELP },
  plan: { run: planCommand, help: PLAN_HELP },
};

export interface CliIo {
  /** One line of the command's output (stdout). */
  out: (line: string) => void;
  /** Raw text for errors and usage (stderr). */
  err: (text: string) => void;
}

export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [cmd, ...rest] = argv;
  if (!cmd || cmd === '--help' || cmd === '-h' || cmd === 'help') {
    if (cmd) io.out(USAGE.trimEnd());
    else io.err(USAGE);
    return cmd ? 0 : 2;
  }
  const command = COMMANDS[cmd];
  if (!command) {
    io.err(`scaling-lens: unknown command "${cmd}"\n\n${USAGE}`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.out(`usage: ${command.help}`);
    return 0;
  }
  try {
    return await command.run(rest, io.out);
  } catch (e) {
    io.err(`scaling-lens ${cmd}: ${e instanceof Error ? e.message : String(e)}\n`);
    return e instanceof UsageError ? 2 : 1;
  }
}
