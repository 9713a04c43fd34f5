/**
 * Finds the line where a module source defines one of its exports (`main`,
 * `handle`), for a code lens above it and for diagnostics that point at it.
 * A text search, not a parse: it looks for the usual spellings (`export
 * function main`, `export const main =`, `exports.main =`, `def main(`) and
 * returns null when none is there.
 */

/** The 1-based line of the definition of `name` in `source`, or null. */
export function exportLine(source: string, name: string): number | null {
  const spellings = [
    new RegExp(`^\\s*export\\s+(?:default\\s+)?(?:async\\s+)?function\\s*\\*?\\s*${name}\\b`),
    new RegExp(`^\\s*export\\s+(?:const|let|var)\\s+${name}\\b`),
    new RegExp(`^\\s*(?:module\\.)?exports\\.${name}\\s*=`),
    new RegExp(`^\\s*(?:async\\s+)?def\\s+${name}\\s*\\(`),
    new RegExp(`^\\s*(?:async\\s+)?function\\s+${name}\\b`),
    new RegExp(`^\\s*${name}\\s*=`),
  ];
  const lines = source.split('\n');
  for (const spelling of spellings) {
    const index = lines.findIndex((line) => spelling.test(line));
    if (index >= 0) return index + 1;
  }
  return null;
}
