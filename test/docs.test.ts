/** The documents stay true to the code: every option in the README. */

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULTS, OPTIONS } from '../relay/config.ts';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

describe('README', () => {
  it.each(OPTIONS.map((o) => [o.flag, o] as const))('documents --%s with its variable and default', (_flag, o) => {
    // Prettier pads table cells, so compare trimmed cells rather than raw text.
    const row = readme.split('\n').find((line) => line.split('|')[1]?.trim() === `\`--${o.flag}\``);
    expect(row, `README row for --${o.flag}`).toBeDefined();
    expect(row).toContain(`\`${o.env}\``);
    const def = DEFAULTS[o.key];
    if (o.kind !== 'secret' && (typeof def === 'number' || typeof def === 'string'))
      expect(row).toContain(`\`${def}\``);
  });

  it('gives the two commands a new user runs', () => {
    expect(readme).toContain('npm ci && npm start');
    expect(readme).toContain('npm test');
  });
});
