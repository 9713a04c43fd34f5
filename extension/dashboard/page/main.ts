/// <reference lib="dom" />
/**
 * The dashboard page (bundled to dist/dashboard/dashboard.js): takes the
 * snapshot and the batches the extension posts (dashboardMessages.ts) and
 * redraws at most once per animation frame. It asks nothing of anyone.
 */
import { statsValueText } from '../../../agent/protocol/statsPresentation';
import type { DashboardMessage } from '../dashboardMessages';
import { LineChart, type LineInput } from './lineChart';
import { SeriesStore, type PageSeries } from './seriesStore';
import { themeColor } from './theme';
import { throughput } from './throughput';
import { checkTimeline, restartTimeline, taskProgress, type TimeSpan } from './timelines';

const store = new SeriesStore();
const root = document.getElementById('dashboard')!;
const status = document.getElementById('status')!;
const charts = new Map<string, LineChart>();
const cards = new Map<string, HTMLElement>();
let frame = 0;

window.addEventListener('message', (event: MessageEvent<DashboardMessage>) => {
  const message = event.data;
  if (message.kind === 'disconnected') {
    status.textContent = `not connected: ${message.message}`;
    return;
  }
  store.apply(message.kind, message.batch);
  status.textContent = `live, ${new Date(message.batch.at).toLocaleTimeString()}`;
  frame ||= requestAnimationFrame(() => {
    frame = 0;
    render();
  });
});
window.addEventListener('resize', () => render());

const percentText = (value: number): string => `${Math.round(value)} %`;
const megabytes = (value: number): string => `${Math.round(value / 1024 / 1024)} MB`;
const plain = (value: number): string => String(Math.round(value * 100) / 100);
const milliseconds = (value: number): string =>
  value < 10 ? `${value.toFixed(1)} ms` : value < 1000 ? `${Math.round(value)} ms` : `${(value / 1000).toFixed(1)} s`;

function render(): void {
  const span = timeSpan();
  const lines = (series: readonly PageSeries[]): LineInput[] => series.map((one) => ({ label: one.info.title, t: one.t, v: one.v }));
  chart('cpu', 'CPU', percentText, lines(store.of('cpu')), span);
  chart('memory', 'Memory', megabytes, lines(store.of('memory')), span);
  rows('restarts', 'Restarts and crash loops', restartTimeline(store.of('restart'), store.of('crashLoop'), span));
  rows('checks', 'Job checks', checkTimeline(store.of('checkState'), span), legend());
  for (const perf of store.of('perf')) {
    const levels: LineInput[] = [];
    if (perf.info.warn !== null)
      levels.push({ label: 'warn', t: [], v: [], level: { value: perf.info.warn, color: themeColor('--vscode-charts-yellow') } });
    if (perf.info.crit !== null)
      levels.push({ label: 'crit', t: [], v: [], level: { value: perf.info.crit, color: themeColor('--vscode-charts-red') } });
    const format = (value: number): string => statsValueText(perf.info, value);
    chart(
      `perf:${perf.info.id}`,
      `Perf data: ${perf.info.title}`,
      format,
      [{ label: perf.info.label ?? perf.info.title, t: perf.t, v: perf.v }, ...levels],
      span,
    );
  }
  const depths = lines(store.of('queueDepth')).map((line) => ({ ...line, stepped: true }));
  chart('queueDepth', 'Queue depth', plain, depths, span);
  chart(
    'queueThroughput',
    'Queue throughput (items/min)',
    plain,
    store.of('queueDone').map((done) => throughput(done, span)),
    span,
  );
  rows('tasks', 'Running tasks', taskProgress(store.of('taskProgress')));
  chart('roundDuration', 'Process group rounds', milliseconds, lines(store.of('roundDuration')), span);
}

/** From the oldest point kept (at least the last minute, at most the agent's window) to the agent's clock at the last message. */
function timeSpan(): TimeSpan {
  const to = store.now;
  const earliest = store.earliest() ?? to;
  return { from: Math.max(to - store.windowMs, Math.min(earliest, to - 60_000)), to };
}

function chart(key: string, title: string, format: (value: number) => string, input: LineInput[], span: TimeSpan): void {
  let existing = charts.get(key);
  if (!existing) {
    existing = new LineChart(key, title, format);
    charts.set(key, existing);
    root.append(existing.element);
  }
  existing.element.classList.toggle('empty', input.length === 0);
  existing.update(input, span.from, span.to);
}

function rows(key: string, title: string, content: HTMLElement[], extra?: HTMLElement): void {
  let card = cards.get(key);
  if (!card) {
    card = document.createElement('section');
    card.className = 'card';
    card.dataset['chart'] = key;
    const heading = document.createElement('h2');
    heading.textContent = title;
    card.append(heading, document.createElement('div'));
    cards.set(key, card);
    root.append(card);
  }
  const body = card.lastElementChild!;
  body.replaceChildren(...content, ...(extra && content.length > 0 ? [extra] : []));
  card.classList.toggle('empty', content.length === 0);
  card.dataset['rows'] = String(content.length);
}

function legend(): HTMLElement {
  const element = document.createElement('div');
  element.className = 'legend';
  for (const [name, css] of [
    ['OK', 'state-ok'],
    ['WARNING', 'state-warning'],
    ['CRITICAL', 'state-critical'],
    ['UNKNOWN', 'state-unknown'],
  ] as const) {
    const item = document.createElement('span');
    item.className = `swatch ${css}`;
    item.textContent = name;
    element.append(item);
  }
  return element;
}
