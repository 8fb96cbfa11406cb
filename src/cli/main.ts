import { UsageError } from './args';
import { RUNS_USAGE, runsCommand } from './runsCommand';

const USAGE = `scaling-lens: find training runs and fit scaling laws

usage:
  ${RUNS_USAGE}
`;

type Command = (argv: string[], out: (s: string) => void) => Promise<number>;
const COMMANDS: Record<string, Command> = { runs: runsCommand };

async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  if (!cmd || cmd === '--help' || cmd === '-h' || cmd === 'help') {
    process.stdout.write(USAGE);
    return cmd ? 0 : 2;
  }
  const run = COMMANDS[cmd];
  if (!run) {
    process.stderr.write(`scaling-lens: unknown command "${cmd}"\n\n${USAGE}`);
    return 2;
  }
  try {
    return await run(rest, (s) => process.stdout.write(s + '\n'));
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`scaling-lens ${cmd}: ${e.message}\n`);
      return 2;
    }
    process.stderr.write(`scaling-lens ${cmd}: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  }
}

// `scaling-lens runs … | head` closes the pipe early: that is not an error.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(0);
  throw e;
});

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
