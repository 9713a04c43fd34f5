/**
 * The one wording of resource figures, for `taskwarden ps`, the views, their
 * tooltips and the reason a limit gives for a restart: "12.5%", "530 MB".
 */

/** CPU in % of one core: one decimal below 10 %, whole numbers above; "-" when unknown. */
export function formatCpu(percent: number | null | undefined): string {
  if (percent === null || percent === undefined) return '-';
  return percent < 10 ? `${percent.toFixed(1)}%` : `${Math.round(percent)}%`;
}

const UNITS = ['B', 'kB', 'MB', 'GB', 'TB'] as const;

/** Bytes in units of 1024, as `limits`, PM2 and systemd count them (512MB = 512 × 1024² bytes); "-" when unknown. */
export function formatBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined) return '-';
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const shown = unit === 0 || value >= 100 ? Math.round(value).toString() : value.toFixed(1);
  return `${shown} ${UNITS[unit]}`;
}

/** "CPU 12.5%, MEM 530 MB" for a tooltip; null when there is no figure. */
export function resourcesLine(figures: { readonly cpuPercent?: number | null; readonly memoryBytes?: number | null }): string | null {
  if (figures.memoryBytes === null || figures.memoryBytes === undefined) return null;
  return `CPU ${formatCpu(figures.cpuPercent)}, MEM ${formatBytes(figures.memoryBytes)}`;
}
