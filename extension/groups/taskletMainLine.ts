/**
 * Where a tasklet defines `main`, for the code lens above it: the 0-based
 * line of `export function main`, `export const main =`, `exports.main =`,
 * `def main(`… in the file's text, or null when none is found (the agent
 * then reports the missing `main` as a diagnostic). A text scan, not a parse:
 * a lens is a hint, and the file may not even compile while it is typed.
 * Pure; unit-tested.
 */

/** The languages of tasklet files, by file name ending. */
export type TaskletLanguage = 'javascript' | 'python';

const JAVASCRIPT_MAIN: readonly RegExp[] = [
  /^\s*export\s+(?:default\s+)?(?:async\s+)?function\s*\*?\s*main\s*\(/,
  /^\s*export\s+(?:const|let|var)\s+main\s*[=:]/,
  /^\s*(?:module\.)?exports\.main\s*=/,
];

/** A local `main` that an `export { main }` elsewhere in the file exports. */
const JAVASCRIPT_LOCAL_MAIN: readonly RegExp[] = [/^\s*(?:async\s+)?function\s*\*?\s*main\s*\(/, /^\s*(?:const|let|var)\s+main\s*[=:]/];
const JAVASCRIPT_EXPORT_LIST = /\bexport\s*\{[^}]*\bmain\b[^}]*\}/;

const PYTHON_MAIN = /^(?:async\s+)?def\s+main\s*\(/;

/** The tasklet language of a file name, or null when it is not a tasklet file. */
export function taskletLanguageOf(fileName: string): TaskletLanguage | null {
  if (/\.(?:js|mjs|ts)$/.test(fileName) && !fileName.endsWith('.d.ts')) return 'javascript';
  if (fileName.endsWith('.py')) return 'python';
  return null;
}

/** The 0-based line where `main` is defined, or null. */
export function findMainLine(text: string, language: TaskletLanguage): number | null {
  const lines = text.split(/\r?\n/);
  if (language === 'python') {
    const index = lines.findIndex((line) => PYTHON_MAIN.test(line));
    return index === -1 ? null : index;
  }
  const exported = lines.findIndex((line) => JAVASCRIPT_MAIN.some((pattern) => pattern.test(line)));
  if (exported !== -1) return exported;
  if (!JAVASCRIPT_EXPORT_LIST.test(text)) return null;
  const local = lines.findIndex((line) => JAVASCRIPT_LOCAL_MAIN.some((pattern) => pattern.test(line)));
  return local === -1 ? null : local;
}
