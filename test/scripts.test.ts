/** The npm scripts that run the suites build first: end-to-end, runtime and bundle tests read build/ and dist/. */

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isObject } from '../shared/reader.ts';

function readScripts(): Map<string, string> {
  const pkg: unknown = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  const scripts = isObject(pkg) && isObject(pkg['scripts']) ? pkg['scripts'] : {};
  const out = new Map<string, string>();
  for (const [name, command] of Object.entries(scripts)) if (typeof command === 'string') out.set(name, command);
  return out;
}

const scripts = readScripts();

/** The commands a script runs, in order, with `npm run x` and `npm test` replaced by what they run. */
function steps(name: string): string[] {
  const script = scripts.get(name);
  if (script === undefined) throw new Error(`package.json has no script "${name}"`);
  return script.split('&&').flatMap((part) => {
    const step = part.trim();
    const called = /^npm (?:run (\S+)|(test))$/.exec(step);
    return called ? steps(called[1] ?? called[2] ?? '') : [step];
  });
}

const BUILD_STEPS = ['vite build', 'tsc -p relay/tsconfig.build.json'];

describe('npm scripts', () => {
  it.each([['test'], ['check'], ['test:chaos']])('%s builds the client and the relay before any suite runs', (name) => {
    const run = steps(name);
    const firstSuite = run.findIndex((step) => /^(vitest run|wtr)\b/.test(step));
    expect(firstSuite, `${name} runs a suite`).toBeGreaterThanOrEqual(0);
    for (const build of BUILD_STEPS) {
      const at = run.indexOf(build);
      expect(at, `${name} runs "${build}": ${run.join(' && ')}`).toBeGreaterThanOrEqual(0);
      expect(at, `${name} runs "${build}" before "${run[firstSuite]}"`).toBeLessThan(firstSuite);
    }
  });

  it('check runs typecheck, lint and the format check as well as every suite', () => {
    const run = steps('check');
    expect(run).toContain('eslint .');
    expect(run).toContain('prettier --check .');
    expect(run.filter((step) => step.startsWith('tsc -p ') && !step.includes('tsconfig.build'))).not.toHaveLength(0);
    expect(run).toContain('vitest run');
    expect(run).toContain('wtr');
  });
});
