/** The fault suite's one assertion: prints a scenario's expected and actual outcome, and fails when they differ. */

import { expect } from 'vitest';

/**
 * `what` says what was observed (e.g. "status of the second handshake"); the values are compared deeply.
 * The printed line is what a regression report shows, so it names the scenario, not the code.
 */
export function verdict<T>(scenario: string, what: string, expected: T, happened: T): void {
  const show = (v: T) => (typeof v === 'string' ? v : JSON.stringify(v));
  const held = JSON.stringify(expected) === JSON.stringify(happened);
  console.log(
    `  ${held ? 'held  ' : 'BROKEN'} ${scenario}\n         ${what}: expected ${show(expected)}, happened ${show(happened)}`,
  );
  expect(happened, `${scenario}: ${what}\n  expected: ${show(expected)}\n  happened: ${show(happened)}`).toEqual(
    expected,
  );
}
