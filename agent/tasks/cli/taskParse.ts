/**
 * `taskwarden task parse FILE`: prints a feedback file's values as one JSON
 * object (taskwatcher's parse.py). Needs no agent.
 */
import * as fs from 'node:fs';
import type { Command } from 'commander';
import { parseFeedback } from '../feedbackParser';
import { fail } from '../../cli/output';

export function registerTaskParseCommand(task: Command): void {
  task
    .command('parse')
    .description('print the JSON object a feedback file describes (no agent needed)')
    .argument('<file>', 'the feedback file')
    // The output is JSON already; the flag is accepted like on every command that prints data.
    .option('--json', 'print the object as JSON (the default)')
    .action((file: string) => {
      let bytes: Buffer;
      try {
        bytes = fs.readFileSync(file);
      } catch (error: unknown) {
        const code = (error as NodeJS.ErrnoException).code;
        const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a folder' : (error as Error).message;
        process.exitCode = fail(`cannot read ${file}: ${why}`);
        return;
      }
      process.stdout.write(`${JSON.stringify(parseFeedback(bytes))}\n`);
    });
}
