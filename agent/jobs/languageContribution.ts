/**
 * Code lenses and hovers for taskwarden.yaml: above each job under `jobs:`,
 * its next run and last verdict as `job list` words them
 * (agent/jobs/protocol/presentation.ts) and Run Now (the extension's
 * `taskwarden.runJob`, called with the job's name); on a job's `schedule`, its
 * next five occurrences in words; on a param key, its description; handler,
 * param and queue names complete (jobCompletion.ts).
 */
import { isMap, isPair, isScalar, LineCounter, parseDocument, type Pair } from 'yaml';
import type { CodeLens, Hover } from 'vscode-languageserver';
import type { LanguageContributions } from '../core/languageContributions';
import { rangeOfOffsets, type TextRange } from '../config/yamlPositions';
import { formatFireTime, jobSummaryText } from './protocol';
import type { JobSummary } from './protocol';
import { jobCompletion, paramHover } from './jobCompletion';
import { nextOccurrences, type Schedule } from './schedule/schedule';

export const JOB_LENS_COMMANDS = { run: 'taskwarden.runJob' } as const;

interface JobPlace {
  readonly key: TextRange;
  /** The lines (1-based, inclusive) of its `schedule:` entry, if any. */
  readonly schedule: { readonly from: number; readonly to: number } | null;
}

/** Job name → where its key and schedule are, in file order. */
export function jobPlaces(text: string): Map<string, JobPlace> {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: false });
  const places = new Map<string, JobPlace>();
  if (!isMap(document.contents)) return places;
  const jobs = document.contents.items.find((pair) => isScalar(pair.key) && pair.key.value === 'jobs');
  if (!jobs || !isMap(jobs.value)) return places;
  for (const item of jobs.value.items) {
    if (!isPair(item) || !isScalar(item.key) || !item.key.range) continue;
    let schedule: JobPlace['schedule'] = null;
    if (isMap(item.value)) {
      const entry = item.value.items.find((pair: Pair) => isScalar(pair.key) && pair.key.value === 'schedule');
      const keyRange = entry && isScalar(entry.key) ? entry.key.range : null;
      const valueRange =
        entry?.value && typeof entry.value === 'object' && 'range' in entry.value ? (entry.value.range as [number, number, number]) : null;
      if (keyRange)
        schedule = {
          from: lineCounter.linePos(keyRange[0]).line,
          to: lineCounter.linePos(Math.max(keyRange[0], (valueRange?.[1] ?? keyRange[1]) - 1)).line,
        };
    }
    places.set(String(item.key.value), { key: rangeOfOffsets(lineCounter, item.key.range[0], item.key.range[1]), schedule });
  }
  return places;
}

export function jobLanguageContribution(
  job: (name: string) => { summary: JobSummary; schedule: Schedule } | null,
  now: () => number,
  handlersRoot: () => string,
): LanguageContributions {
  return {
    codeLenses(text: string): CodeLens[] {
      const lenses: CodeLens[] = [];
      for (const [name, place] of jobPlaces(text)) {
        const at = {
          start: { line: place.key.line - 1, character: place.key.column - 1 },
          end: { line: place.key.line - 1, character: place.key.column - 1 },
        };
        const found = job(name);
        if (!found) {
          lenses.push({ range: at, command: { title: '$(circle-slash) not applied', command: '' } });
          continue;
        }
        lenses.push({ range: at, command: { title: `$(watch) ${jobSummaryText(found.summary, now())}`, command: '' } });
        lenses.push({ range: at, command: { title: 'Run Now', command: JOB_LENS_COMMANDS.run, arguments: [name] } });
      }
      return lenses;
    },
    completion: (text, line, character) => jobCompletion(text, line, character, handlersRoot()),
    hover(text: string, line: number, character: number): Hover | null {
      const param = paramHover(text, line, character, handlersRoot());
      if (param) return param;
      for (const [name, place] of jobPlaces(text)) {
        if (place.schedule === null || line + 1 < place.schedule.from || line + 1 > place.schedule.to) continue;
        const found = job(name);
        if (!found) return null;
        const at = now();
        const times = nextOccurrences(found.schedule, at, 5);
        const lines = times.map((time) => `- ${new Date(time).toString().replace(/ \(.*\)$/, '')} (${formatFireTime(time, at)})`);
        const value = [
          `**${name}**: ${found.schedule.text}`,
          '',
          times.length === 0 ? 'No further occurrence.' : 'Next occurrences:',
          ...lines,
        ].join('\n');
        return { contents: { kind: 'markdown', value } };
      }
      return null;
    },
  };
}
