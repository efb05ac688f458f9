/** The documents stay true to the code: every option in the README, every limit in the limits tables. */

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULTS, OPTIONS, type RelayConfig } from '../relay/config.ts';
import { relayLimits } from '../relay/core/hub.ts';
import { LIMITS, MESSAGE_LIMITS } from '../shared/index.ts';

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

/** Every limit, with the value the code has, in the limits tables of PROTOCOL.md and SECURITY.md. */
describe('limits tables', () => {
  const docs = {
    'docs/PROTOCOL.md': readFileSync(new URL('../docs/PROTOCOL.md', import.meta.url), 'utf8'),
    'SECURITY.md': readFileSync(new URL('../SECURITY.md', import.meta.url), 'utf8'),
  };
  /** The options that bound what a peer can make the relay do or hold. */
  const bounds: (keyof RelayConfig)[] = [
    'rateLimit',
    'rateBurst',
    'credentialRateLimit',
    'maxSubscriptions',
    'maxConnectionsPerIp',
    'maxBufferedBytes',
    'replayMaxEvents',
    'replayMaxBytes',
    'replayMaxAgeSec',
    'idempotencyWindow',
    'maxQueuedTurns',
    'maxQueuedBytes',
    'agentIdleTimeoutSec',
    'demoHistoryMaxChars',
  ];
  const expected: [string, number][] = [
    ...Object.entries(LIMITS),
    ...Object.entries(MESSAGE_LIMITS),
    ...bounds.map((key): [string, number] => {
      const option = OPTIONS.find((o) => o.key === key);
      const value = DEFAULTS[key];
      if (!option || typeof value !== 'number') throw new Error(`${key} is not a numeric option`);
      return [`--${option.flag}`, value];
    }),
  ];

  /** The table row whose first cell names `name` (as `name` or `--flag` / `ENV`), split into cells. */
  function row(doc: string, name: string): string[] | undefined {
    for (const line of doc.split('\n')) {
      if (!line.startsWith('|')) continue;
      const cells = line.split('|').map((c) => c.trim());
      if (cells[1]?.split(' / ')[0] === `\`${name}\``) return cells.slice(1);
    }
    return undefined;
  }

  for (const [file, doc] of Object.entries(docs)) {
    it.each(expected)(`${file} states %s as %d`, (name, value) => {
      const cells = row(doc, name);
      expect(cells, `${file} has no limits row for ${name}`).toBeDefined();
      expect(cells?.[1]?.split(' ')[0], `${file}: ${name}`).toBe(String(value));
    });
  }

  it('lists the protocol limits as ready.limits announces them', () => {
    expect(Object.keys(relayLimits(DEFAULTS)).sort()).toEqual(Object.keys(LIMITS).sort());
  });
});
