/** Sizes for people: the one place bytes become "980 B", "1.5 MB" or "10 GB" (storage, files, limits). */

const UNITS = ['B', 'KB', 'MB', 'GB', 'TB'] as const;

/** Binary steps (1 KB = 1024 B) with the unit that keeps the number under 1024; one decimal below 10. */
export function formatBytes(n: number): string {
  let value = Math.max(0, n);
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  const digits = unit === 0 || value >= 10 ? 0 : 1;
  return `${value.toFixed(digits)} ${UNITS[unit]}`;
}
