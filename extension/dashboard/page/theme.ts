/// <reference lib="dom" />
/**
 * Colors from the VS Code theme (the CSS variables VS Code sets on the
 * webview's body), so the plots follow a theme change.
 */
const CHART_COLORS = [
  '--vscode-charts-blue',
  '--vscode-charts-orange',
  '--vscode-charts-green',
  '--vscode-charts-purple',
  '--vscode-charts-yellow',
  '--vscode-charts-red',
];

export function themeColor(variable: string, fallback = '#888'): string {
  return getComputedStyle(document.body).getPropertyValue(variable).trim() || fallback;
}

export function seriesColor(index: number): string {
  return themeColor(CHART_COLORS[index % CHART_COLORS.length]!);
}

/** OK, WARNING, CRITICAL, UNKNOWN: the CSS classes the timeline's segments take (colors in dashboard.css). */
export const CHECK_STATE_CLASSES = ['state-ok', 'state-warning', 'state-critical', 'state-unknown'] as const;
