/**
 * `taskwarden check`: runs the config loader (no agent needed) and prints each
 * problem as FILE:LINE:COL: severity: message; exit 1 on any error. The loader
 * (YAML, the schema validator, the parts' checks) is imported only when the command runs: in
 * dist/ it is its own bundle (configLoader.js, see esbuild.mjs).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Command } from 'commander';
import { systemCheckContext } from '../../config/checkContext';
import { formatDiagnostic, hasErrors } from '../../config/diagnostic';
import { diagnosticsOf } from '../../config/loadResult';
import { globalOptions } from '../globalOptions';
import { ExitCode, fail, printJson } from '../output';

export function registerCheckCommand(program: Command): void {
  program
    .command('check')
    .description('check taskwarden.yaml and print its problems (exit 1 on errors)')
    .option('--json', 'print the diagnostics as JSON')
    .action(async (_options: unknown, command: Command) => {
      const global = globalOptions(command);
      const file = path.resolve(global.workspace, global.config ?? 'taskwarden.yaml');
      let text: string;
      try {
        text = fs.readFileSync(file, 'utf8');
      } catch (error: unknown) {
        process.exitCode = fail(
          `cannot read ${file}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`,
        );
        return;
      }
      const workspace = path.dirname(file);
      const shownName = path.relative(process.cwd(), file) || file;
      const { loadConfig } = await import('../../workspaceConfig');
      const result = loadConfig({ file: shownName, text, context: systemCheckContext(workspace, global.roles) });
      const diagnostics = diagnosticsOf(result);
      if (global.json) printJson({ file: shownName, ok: result.ok, diagnostics });
      else if (diagnostics.length === 0) process.stdout.write(`${shownName}: ok\n`);
      else for (const diagnostic of diagnostics) process.stdout.write(`${formatDiagnostic(diagnostic)}\n`);
      process.exitCode = hasErrors(diagnostics) ? ExitCode.Failure : ExitCode.Ok;
    });
}
