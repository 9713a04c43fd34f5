/**
 * The units of /proc/<pid>/stat: CPU times in clock ticks (USER_HZ, which the
 * kernel keeps at 100 for user space on every architecture Linux supports
 * today) and the resident set in pages (4 KiB on x86, 4, 16 or 64 KiB on
 * arm64). Node exposes neither; the page size is found once by comparing this
 * process's resident set in pages (stat) with the same in kB (status).
 */
import * as fs from 'node:fs';
import { parseStatLine } from './procTable';

export const CLOCK_TICKS_PER_SECOND = 100;

const FALLBACK_PAGE_SIZE = 4096;

let pageSize: number | null = null;

/** Bytes per page, read once (4096 when /proc cannot tell). */
export function systemPageSize(): number {
  pageSize ??= measurePageSize();
  return pageSize;
}

function measurePageSize(): number {
  try {
    const status = fs.readFileSync('/proc/self/status', 'latin1');
    const stat = parseStatLine(fs.readFileSync('/proc/self/stat', 'latin1'));
    const kilobytes = Number(/^VmRSS:\s*(\d+)\s*kB/m.exec(status)?.[1]);
    if (!stat || !(stat.rssPages > 0) || !(kilobytes > 0)) return FALLBACK_PAGE_SIZE;
    // The two reads are not at the same instant: round to the nearest power of two.
    return 2 ** Math.round(Math.log2((kilobytes * 1024) / stat.rssPages));
  } catch {
    return FALLBACK_PAGE_SIZE;
  }
}
