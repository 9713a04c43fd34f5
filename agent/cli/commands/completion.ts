/**
 * `taskwarden completion bash|zsh|fish`: prints the shell's completion script
 * (agent/cli/completion/). The script calls the hidden `taskwarden __complete
 * WORD…`, which main() runs before commander parses anything, so its words
 * (`-w`, `-f`…) are read as words, not as this command line's options.
 */
import { Argument, type Command } from 'commander';
import { completeWords } from '../completion/complete';
import { completionScript, SHELLS, type Shell } from '../completion/completionScripts';
import { ExitCode } from '../output';

/** The hidden command the scripts call. */
export const COMPLETE_COMMAND = '__complete';

export function registerCompletionCommand(program: Command): void {
  program
    .command('completion')
    .description('print a shell completion script: eval "$(taskwarden completion bash)" (also zsh, fish)')
    .addArgument(new Argument('<shell>', 'the shell').choices(SHELLS))
    .action((shell: Shell) => {
      process.stdout.write(completionScript(shell));
    });
  program.command(COMPLETE_COMMAND, { hidden: true }).description('the candidates for the last word (used by the completion scripts)');
}

/** Runs `__complete WORD…`: one candidate per line on stdout. */
export async function runComplete(program: Command, words: readonly string[]): Promise<number> {
  const candidates = await completeWords(program, words);
  if (candidates.length > 0) process.stdout.write(`${candidates.join('\n')}\n`);
  return ExitCode.Ok;
}
