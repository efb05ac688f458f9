/** Timing helpers shared by the bench pages and the probe injected into the app. */

/** Resolves (with performance.now()) in the first task after the next frame has been produced. */
export function afterPaint(): Promise<number> {
  return new Promise((resolve) => requestAnimationFrame(() => setTimeout(() => resolve(performance.now()), 0)));
}

/** Marks a point in the Chromium trace (a `TimeStamp` event) and returns performance.now(). */
export function mark(label: string): number {
  console.timeStamp(label);
  return performance.now();
}
