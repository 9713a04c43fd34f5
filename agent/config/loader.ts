/**
 * The one config loader: text in, config or diagnostics out. Pure — the CLI's
 * `check`, the agent's reload and the editor's diagnostics all call it, and
 * whoever calls it reads the files.
 *
 * A YAML syntax error stops the load there: what a broken document parses to
 * is a guess, and checks of it would report problems that are not in the file.
 * Past that, every stage (the schema, each part's check) runs, so a file's
 * problems all show at once.
 */
import { isMap, isScalar, visit, type Document } from 'yaml';
import { ok } from '../result';
import { parsedYaml } from './parsedYaml';
import type { CheckContext, ConfigSection } from './checks';
import { rolesFileInUse } from './configFiles';
import { hasErrors, type Diagnostic, type PathDiagnostic } from './diagnostic';
import { withoutFollowOns } from './followOns';
import { rejected, type LoadedConfig, type LoadedSection, type LoadResult } from './loadResult';
import { ReadOnce } from './readOnce';
import { validateAgainstSchema } from './schemaValidation';
import { rangeOfOffsets, rangeOfPath } from './yamlPositions';

export type { LoadedConfig, LoadedSection } from './loadResult';

export interface LoadInput {
  readonly file: string;
  readonly text: string;
  readonly context: CheckContext;
  /** The parts' sections (agent/workspaceConfig.ts passes every part's). */
  readonly sections: readonly ConfigSection<unknown>[];
}

function byPosition(a: Diagnostic, b: Diagnostic): number {
  return a.line - b.line || a.column - b.column;
}

/**
 * Emptied by accident (an editor's truncating save, a bad checkout, a script's
 * `>`) far more often than on purpose, and applied it would stop every daemon:
 * an empty config is an error, so the running one stays. Running nothing on
 * purpose is written `tasks: {}`.
 */
export const EMPTY_CONFIG_MESSAGE =
  "the config is empty (only blank lines or comments): it is not applied and the running config stays; write 'tasks: {}' to run no daemons";

/** No content at all: nothing, blank lines, comments, or a bare `---`. */
function isEmpty(document: Document): boolean {
  const contents = document.contents;
  return contents === null || (isScalar(contents) && contents.value === null && !contents.source);
}

/**
 * YAML's "Map keys must be unique", found with a set per map: the yaml
 * library's own check compares each key with every other (10,000 jobs took
 * over a second), so the parse runs with `uniqueKeys: false` and this replaces it.
 */
function duplicateKeys(document: Document): { pos: [number, number]; message: string; name: 'YAMLParseError' }[] {
  const found: { pos: [number, number]; message: string; name: 'YAMLParseError' }[] = [];
  visit(document, {
    Map(_, map) {
      if (!isMap(map)) return;
      const seen = new Set<unknown>();
      for (const pair of map.items) {
        const key = isScalar(pair.key) ? pair.key.value : pair.key;
        if (seen.has(key) && isScalar(pair.key) && pair.key.range)
          found.push({ pos: [pair.key.range[0], pair.key.range[0] + 1], message: 'Map keys must be unique', name: 'YAMLParseError' });
        seen.add(key);
      }
    },
  });
  return found;
}

export function loadConfig({ file, text, context, sections }: LoadInput): LoadResult {
  const { document, lineCounter } = parsedYaml(text);

  const syntax: Diagnostic[] = [...document.errors, ...duplicateKeys(document), ...document.warnings].map((problem) => {
    const range = rangeOfOffsets(lineCounter, problem.pos[0], problem.pos[1]);
    return {
      file,
      ...range,
      severity: problem.name === 'YAMLWarning' ? 'warning' : 'error',
      message: problem.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, ''),
    };
  });
  if (hasErrors(syntax)) return rejected('syntax', syntax.sort(byPosition));

  if (isEmpty(document)) {
    return rejected('empty', [
      ...syntax,
      { file, line: 1, column: 1, endLine: 1, endColumn: 1, severity: 'error', message: EMPTY_CONFIG_MESSAGE },
    ]);
  }
  const data: unknown = document.toJS({ maxAliasCount: 1000 });
  const locate = (problem: PathDiagnostic): Diagnostic => ({
    file,
    ...rangeOfPath(document, lineCounter, problem.path, problem.atKey),
    severity: problem.severity,
    message: problem.message,
    ...(problem.didYouMean ? { didYouMean: problem.didYouMean } : {}),
  });

  if (typeof data !== 'object' || Array.isArray(data) || data === null) {
    return rejected('not-a-mapping', [
      locate({ path: [], severity: 'error', message: 'the config must be a mapping of sections (tasks, queues, jobs…)' }),
    ]);
  }
  const record = data as Record<string, unknown>;
  const read = readSections(record, context, sections);
  const problems = withoutFollowOns([validateAgainstSchema(record), ...read.diagnostics]);
  const diagnostics = [...syntax, ...problems.map(locate)].sort(byPosition);
  if (hasErrors(diagnostics)) return rejected('invalid', diagnostics);
  return ok({ config: { file, text, data: record, sections: read.sections, rolesFile: read.rolesFile }, diagnostics });
}

/**
 * What `section` read from a loaded config. The value under its name was made
 * by its own `read`, so it is its `T` (the one place that says so).
 */
export function sectionOf<T>(config: LoadedConfig, section: ConfigSection<T>): { readonly value: T; readonly inputs: readonly string[] } {
  const loaded = config.sections.get(section.name);
  if (loaded === undefined) throw new Error(`the config was loaded without the '${section.name}' section`);
  return { value: loaded.value as T, inputs: loaded.inputs };
}

/** The config an agent runs with while there is no config file: every section read from nothing. */
export function emptyConfig(file: string, context: CheckContext, sections: readonly ConfigSection<unknown>[]): LoadedConfig {
  const read = readSections({}, context, sections);
  return { file, text: '', data: {}, sections: read.sections, rolesFile: read.rolesFile };
}

/** Reads every section once, each file they ask for once; each section's problems are one stage of the load. */
function readSections(
  data: Record<string, unknown>,
  context: CheckContext,
  sections: readonly ConfigSection<unknown>[],
): { diagnostics: PathDiagnostic[][]; sections: Map<string, LoadedSection>; rolesFile: string | null } {
  const files = new ReadOnce(context.readFile);
  const diagnostics: PathDiagnostic[][] = [];
  const loaded = new Map<string, LoadedSection>();
  for (const section of sections) {
    const inputs = new Set<string>();
    const reading = section.read(data, files.contextFor(context, inputs));
    diagnostics.push(reading.diagnostics);
    loaded.set(section.name, { value: reading.value, inputs: [...inputs] });
  }
  return { diagnostics, sections: loaded, rolesFile: rolesFileInUse(context.workspace, context.rolesFile, data) };
}
