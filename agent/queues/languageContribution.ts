/**
 * Code lenses for taskwarden.yaml: above each queue under `queues:`, its
 * counts as the Queues view reads them (agent/queues/protocol/presentation.ts)
 * and Pause or Resume, then Push Command…. The lenses name the extension's
 * commands `taskwarden.pauseQueue`, `taskwarden.resumeQueue` and
 * `taskwarden.pushQueueCommand`, each called with the queue name.
 */
import { isMap, isPair, isScalar, LineCounter, parseDocument } from 'yaml';
import type { CodeLens } from 'vscode-languageserver';
import type { LanguageContributions } from '../core/languageContributions';
import { rangeOfOffsets, type TextRange } from '../config/yamlPositions';
import { queueSummaryDescription } from './protocol';
import type { QueueSummary } from './protocol';

/** The extension commands the lenses invoke. */
export const QUEUE_LENS_COMMANDS = {
  pause: 'taskwarden.pauseQueue',
  resume: 'taskwarden.resumeQueue',
  push: 'taskwarden.pushQueueCommand',
} as const;

/** Queue name → the range of its key under `queues:` (1-based), in file order. */
export function queueKeyRanges(text: string): Map<string, TextRange> {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false });
  const ranges = new Map<string, TextRange>();
  if (!isMap(document.contents)) return ranges;
  const queues = document.contents.items.find((pair) => isScalar(pair.key) && pair.key.value === 'queues');
  if (!queues || !isMap(queues.value)) return ranges;
  for (const item of queues.value.items) {
    if (!isPair(item) || !isScalar(item.key) || !item.key.range) continue;
    ranges.set(String(item.key.value), rangeOfOffsets(lineCounter, item.key.range[0], item.key.range[1]));
  }
  return ranges;
}

export function queueLanguageContribution(summary: (name: string) => QueueSummary | null): LanguageContributions {
  return {
    codeLenses(text: string): CodeLens[] {
      const lenses: CodeLens[] = [];
      for (const [name, range] of queueKeyRanges(text)) {
        const at = {
          start: { line: range.line - 1, character: range.column - 1 },
          end: { line: range.line - 1, character: range.column - 1 },
        };
        const queue = summary(name);
        if (!queue) {
          lenses.push({ range: at, command: { title: '$(circle-slash) not applied', command: '' } });
          continue;
        }
        const icon = queue.paused ? 'debug-pause' : 'list-ordered';
        lenses.push({ range: at, command: { title: `$(${icon}) ${queueSummaryDescription(queue)}`, command: '' } });
        lenses.push(
          queue.paused
            ? { range: at, command: { title: 'Resume', command: QUEUE_LENS_COMMANDS.resume, arguments: [name] } }
            : { range: at, command: { title: 'Pause', command: QUEUE_LENS_COMMANDS.pause, arguments: [name] } },
        );
        lenses.push({ range: at, command: { title: 'Push Command…', command: QUEUE_LENS_COMMANDS.push, arguments: [name] } });
      }
      return lenses;
    },
    hover: () => null,
  };
}
