/**
 * The one parse of a config text: the loader, the parts' config-line lookups
 * and the language features all read the same text right after each other (a
 * reload, a keystroke), so the parsed document of the last text is kept for a
 * moment and shared. It is dropped shortly after its last use: a large config's
 * document is many times the size of its text, and an idle agent holds none.
 * Readers must not change the document.
 */
import { LineCounter, parseDocument, type Document } from 'yaml';

export interface ParsedYaml {
  readonly document: Document.Parsed;
  readonly lineCounter: LineCounter;
}

/** How long the last parse is kept after its last use. */
const KEPT_MS = 2_000;

let last: { readonly text: string; readonly parsed: ParsedYaml } | null = null;
let dropTimer: NodeJS.Timeout | null = null;

/** The parsed document of `text` (duplicate keys are read, not refused: the loader reports them itself). */
export function parsedYaml(text: string): ParsedYaml {
  if (last === null || last.text !== text) {
    const lineCounter = new LineCounter();
    last = { text, parsed: { document: parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: false }), lineCounter } };
  }
  if (dropTimer !== null) clearTimeout(dropTimer);
  dropTimer = setTimeout(() => {
    last = null;
    dropTimer = null;
  }, KEPT_MS);
  dropTimer.unref();
  return last.parsed;
}
