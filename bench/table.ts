/**
 * Turns rows of samples into the printed table: one column per supervisor (median and min–max,
 * or a single percentile), then Taskwarden / best peer and Taskwarden / each floor. Reasons for
 * "n/a" cells are listed as numbered notes under the table.
 */
import type { SubjectId } from './config';
import { summarize, type Summary } from './stats';

export type Statistic = 'median' | 'p50' | 'p90' | 'p99';

export type Cell = { readonly samples: readonly number[] } | { readonly na: string };

export interface Row {
  readonly figure: string;
  readonly better: 'lower' | 'higher';
  /** 'median' prints "median (min–max)"; a percentile prints that value alone. */
  readonly statistic: Statistic;
  readonly cells: Partial<Record<SubjectId, Cell>>;
}

export interface Column {
  readonly id: SubjectId;
  readonly label: string;
  readonly role: 'subject' | 'peer' | 'floor';
}

export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return '?';
  if (Number.isInteger(value)) return String(value);
  const size = Math.abs(value);
  if (size >= 100) return value.toFixed(0);
  if (size >= 10) return value.toFixed(1);
  if (size >= 1) return value.toFixed(2);
  return value.toFixed(3);
}

function pick(summary: Summary, statistic: Statistic): number {
  return statistic === 'p50' ? summary.median : summary[statistic];
}

/** The number a row compares, per column; undefined where there is none. */
function valueOf(row: Row, id: SubjectId): number | undefined {
  const cell = row.cells[id];
  if (cell === undefined || 'na' in cell) return undefined;
  const summary = summarize(cell.samples);
  return summary === null ? undefined : pick(summary, row.statistic);
}

function ratio(numerator: number | undefined, denominator: number | undefined): string {
  if (numerator === undefined || denominator === undefined || denominator === 0) return '–';
  return `${(numerator / denominator).toFixed(2)}×`;
}

/** Renders the rows as a Markdown table followed by the n/a notes. */
export function renderTable(rows: readonly Row[], columns: readonly Column[]): string {
  const notes: string[] = [];
  const noteFor = (reason: string): number => {
    const existing = notes.indexOf(reason);
    if (existing >= 0) return existing + 1;
    notes.push(reason);
    return notes.length;
  };
  const subject = columns.find((column) => column.role === 'subject');
  const peers = columns.filter((column) => column.role === 'peer');
  const floors = columns.filter((column) => column.role === 'floor');
  const header = [
    'figure',
    ...columns.map((column) => column.label),
    ...(subject ? ['TW / best peer', ...floors.map((floor) => `TW / ${floor.label}`)] : []),
  ];
  const lines = [`| ${header.join(' | ')} |`, `| ${header.map(() => '---').join(' | ')} |`];
  for (const row of rows) {
    const cells = columns.map((column) => {
      const cell = row.cells[column.id];
      if (cell === undefined) return '–';
      if ('na' in cell) return `n/a [${noteFor(cell.na)}]`;
      const summary = summarize(cell.samples);
      if (summary === null) return '–';
      if (row.statistic !== 'median') return formatNumber(pick(summary, row.statistic));
      return summary.n === 1
        ? formatNumber(summary.median)
        : `${formatNumber(summary.median)} (${formatNumber(summary.min)}–${formatNumber(summary.max)})`;
    });
    const ratios: string[] = [];
    if (subject) {
      const mine = valueOf(row, subject.id);
      const peerValues = peers.map((peer) => valueOf(row, peer.id)).filter((value) => value !== undefined);
      const best = peerValues.length === 0 ? undefined : row.better === 'lower' ? Math.min(...peerValues) : Math.max(...peerValues);
      ratios.push(ratio(mine, best), ...floors.map((floor) => ratio(mine, valueOf(row, floor.id))));
    }
    lines.push(`| ${[row.figure, ...cells, ...ratios].join(' | ')} |`);
  }
  if (notes.length > 0) lines.push('', ...notes.map((reason, index) => `[${index + 1}] ${reason}`));
  return lines.join('\n');
}
