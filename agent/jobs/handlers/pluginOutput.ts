/**
 * A Nagios plugin's output (the Nagios Plugin Development Guidelines): the
 * first line's text before `|` is the output; performance data follows `|`
 * on the first line and on any later line that has one:
 *
 *     DISK OK - free space: / 3326 MB (56%); | /=2643MB;5948;5958;0;5968
 *     / 15272 MB (77%);
 *     /boot 68 MB (69%); | /boot=68MB;88;93;0;98
 *
 * Each datum is `'label'=value[UOM];[warn];[crit];[min];[max]`: the label is
 * quoted when it has spaces or `=` (a quote inside doubles: `'it''s'`), the
 * value is a number or `U` (undetermined), trailing fields may be left out.
 * A datum that does not parse is skipped: a plugin's verdict never fails on
 * its perfdata.
 */
import type { PerfDatum } from '../protocol';

export interface PluginOutput {
  /** The first line's text (before `|`), trimmed. */
  readonly output: string;
  readonly perfData: PerfDatum[];
}

const NUMBER = /^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?/;

function numberOrNull(text: string | undefined): number | null {
  if (text === undefined || text === '') return null;
  const match = NUMBER.exec(text);
  return match && match[0].length === text.length ? Number(text) : null;
}

/** Splits perfdata on spaces outside quoted labels. */
function tokens(text: string): string[] {
  const found: string[] = [];
  let current = '';
  let quoted = false;
  for (let index = 0; index < text.length; index++) {
    const char = text[index]!;
    if (char === "'") {
      if (quoted && text[index + 1] === "'") {
        current += "''";
        index++;
        continue;
      }
      quoted = !quoted;
      current += char;
    } else if (!quoted && /\s/.test(char)) {
      if (current !== '') found.push(current);
      current = '';
    } else current += char;
  }
  if (current !== '') found.push(current);
  return found;
}

/** One `label=value[UOM];warn;crit;min;max`, or null when it does not parse. */
export function parsePerfDatum(token: string): PerfDatum | null {
  let label: string;
  let rest: string;
  if (token.startsWith("'")) {
    let index = 1;
    label = '';
    for (;;) {
      const quote = token.indexOf("'", index);
      if (quote === -1) return null;
      label += token.slice(index, quote);
      if (token[quote + 1] === "'") {
        label += "'";
        index = quote + 2;
        continue;
      }
      if (token[quote + 1] !== '=') return null;
      rest = token.slice(quote + 2);
      break;
    }
  } else {
    const equals = token.indexOf('=');
    if (equals <= 0) return null;
    label = token.slice(0, equals);
    rest = token.slice(equals + 1);
  }
  const [valueField = '', warn, crit, min, max] = rest.split(';');
  let value: number | null;
  let uom: string;
  if (valueField === 'U') {
    value = null;
    uom = '';
  } else {
    const match = NUMBER.exec(valueField.replace(',', '.'));
    if (!match) return null;
    value = Number(match[0]);
    uom = valueField.slice(match[0].length);
  }
  const threshold = (text: string | undefined) => (text === undefined || text === '' ? null : text);
  return { label, value, uom, warn: threshold(warn), crit: threshold(crit), min: numberOrNull(min), max: numberOrNull(max) };
}

/** Every datum of a perfdata string. */
export function parsePerfData(text: string): PerfDatum[] {
  const data: PerfDatum[] = [];
  for (const token of tokens(text)) {
    const datum = parsePerfDatum(token);
    if (datum) data.push(datum);
  }
  return data;
}

/** The output and perfdata of a plugin's whole stdout. */
export function parsePluginOutput(stdout: string): PluginOutput {
  const lines = stdout.replace(/\r\n/g, '\n').split('\n');
  const first = lines[0] ?? '';
  const bar = first.indexOf('|');
  const output = (bar === -1 ? first : first.slice(0, bar)).trim();
  const perf: string[] = bar === -1 ? [] : [first.slice(bar + 1)];
  // Long text lines: the perfdata of the second part starts after the first `|` among them.
  let inPerf = false;
  for (const line of lines.slice(1)) {
    if (inPerf) perf.push(line);
    else {
      const at = line.indexOf('|');
      if (at !== -1) {
        inPerf = true;
        perf.push(line.slice(at + 1));
      }
    }
  }
  return { output, perfData: parsePerfData(perf.join(' ')) };
}
