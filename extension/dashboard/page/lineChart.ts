/// <reference lib="dom" />
/**
 * One uPlot line chart in a card: its series share the time axis (points
 * aligned on the union of their times, gaps bridged), warn/crit levels drawn
 * as dashed lines, colors from the theme. The card carries its point and
 * series counts in data-* attributes (the e2e test reads them).
 */
import uPlot from 'uplot';
import { themeColor, seriesColor } from './theme';

export interface LineInput {
  readonly label: string;
  readonly t: readonly number[];
  readonly v: readonly number[];
  /** Drawn dashed at a constant level (thresholds). */
  readonly level?: { readonly value: number; readonly color: string };
  /** A value that holds until the next one (a queue's depth): drawn in steps, its last value carried to now. */
  readonly stepped?: boolean;
  /** The points of the agent's series the line was computed from (a rate's bins are not points); default its own. */
  readonly sourcePoints?: number;
}

export class LineChart {
  private plot: uPlot | null = null;
  private shape = '';
  /** The time axis every chart shares, so their points line up. */
  private span = { from: 0, to: 1 };
  readonly element: HTMLElement;
  private readonly body: HTMLElement;

  constructor(
    readonly key: string,
    title: string,
    private readonly format: (value: number) => string,
  ) {
    this.element = document.createElement('section');
    this.element.className = 'card';
    this.element.dataset['chart'] = key;
    const heading = document.createElement('h2');
    heading.textContent = title;
    this.body = document.createElement('div');
    this.body.className = 'plot';
    this.element.append(heading, this.body);
  }

  update(lines: readonly LineInput[], from: number, to: number): void {
    this.span = { from, to };
    const drawn = lines.filter((line) => line.level === undefined);
    this.element.dataset['points'] = String(drawn.reduce((sum, line) => sum + (line.sourcePoints ?? line.t.length), 0));
    this.element.dataset['series'] = String(drawn.length);
    const data = align(lines, from, to);
    const shape = lines.map((line) => line.label).join('\n');
    const width = Math.max(200, this.body.clientWidth);
    if (!this.plot || shape !== this.shape) {
      this.plot?.destroy();
      this.shape = shape;
      this.plot = new uPlot(this.options(lines, width), data, this.body);
    } else {
      this.plot.setData(data);
    }
    if (this.plot.width !== width) this.plot.setSize({ width, height: 160 });
  }

  private options(lines: readonly LineInput[], width: number): uPlot.Options {
    const axis = {
      stroke: themeColor('--vscode-descriptionForeground'),
      grid: { stroke: themeColor('--vscode-editorWidget-border', '#8884'), width: 1 },
    };
    let index = 0;
    return {
      width,
      height: 160,
      ms: 1,
      legend: { show: true, live: false },
      cursor: { drag: { x: false, y: false } },
      scales: { x: { time: true, range: () => [this.span.from, this.span.to] } },
      axes: [axis, { ...axis, size: 60, values: (_plot, ticks) => ticks.map((tick) => this.format(tick)) }],
      series: [
        {},
        ...lines.map((line): uPlot.Series => {
          if (line.level) return { label: line.label, stroke: line.level.color, dash: [6, 4], width: 1, points: { show: false } };
          return {
            label: line.label,
            stroke: seriesColor(index++),
            width: 1.5,
            spanGaps: true,
            ...(line.stepped ? { paths: STEPPED } : {}),
          };
        }),
      ],
    };
  }
}

const STEPPED = uPlot.paths.stepped!({ align: 1 });

/**
 * The lines on one time axis: the union of their times (plus the window's ends
 * for levels and stepped lines), null where a line has no point.
 */
function align(lines: readonly LineInput[], from: number, to: number): uPlot.AlignedData {
  const times = new Set<number>();
  for (const line of lines) for (const time of line.t) times.add(time);
  if (lines.some((line) => line.level || line.stepped)) {
    times.add(from);
    times.add(to);
  }
  const xs = [...times].sort((a, b) => a - b);
  const columns = lines.map((line) => {
    if (line.level) return xs.map(() => line.level!.value);
    const byTime = new Map<number, number>();
    line.t.forEach((time, index) => byTime.set(time, line.v[index]!));
    const last = line.v.at(-1);
    if (line.stepped && last !== undefined) byTime.set(to, last);
    return xs.map((time) => byTime.get(time) ?? null);
  });
  return [xs, ...columns];
}
