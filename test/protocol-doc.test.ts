/** docs/PROTOCOL.md stays true to the parsers: each direction documents exactly its frame types, with examples it accepts. */

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  AGENT_FRAME_TYPES,
  CLIENT_FRAME_TYPES,
  ERROR_CODES,
  LIMITS,
  parseAgentFrame,
  parseClientFrame,
  parseRelayFrame,
  parseRelayToAgentFrame,
  AGENT_PROTOCOL_VERSION,
  PROTOCOL_VERSION,
  RELAY_FRAME_TYPES,
  RELAY_TO_AGENT_FRAME_TYPES,
  type Result,
} from '../shared/index.ts';

interface Direction {
  /** The section of docs/PROTOCOL.md, e.g. `3.1`. */
  section: string;
  name: string;
  types: readonly string[];
  parse: (raw: string) => Result<{ type: string }>;
}

const DIRECTIONS: Direction[] = [
  { section: '3.1', name: 'client → relay', types: CLIENT_FRAME_TYPES, parse: (raw) => parseClientFrame(raw) },
  { section: '3.2', name: 'relay → client', types: RELAY_FRAME_TYPES, parse: parseRelayFrame },
  { section: '3.3', name: 'agent → relay', types: AGENT_FRAME_TYPES, parse: parseAgentFrame },
  { section: '3.4', name: 'relay → agent', types: RELAY_TO_AGENT_FRAME_TYPES, parse: parseRelayToAgentFrame },
];

/** A fenced ```json block; `invalid` when the line before it is `<!-- invalid example … -->`. */
interface Example {
  json: string;
  line: number;
  invalid: boolean;
  /** The frame types named in backticks by the nearest heading above it. */
  headingTypes: string[];
}

interface DocSection {
  /** Frame types named in backticks by the section's #### and ##### headings. */
  documented: string[];
  examples: Example[];
}

const doc = readFileSync(new URL('../docs/PROTOCOL.md', import.meta.url), 'utf8');

function namesIn(heading: string): string[] {
  return [...heading.matchAll(/`([a-z_]+)`/g)].map((m) => m[1] ?? '');
}

/** Reads one `### 3.N` section: from its heading to the next heading of level 3 or above. */
function readSection(id: string): DocSection {
  const lines = doc.split('\n');
  const start = lines.findIndex((l) => l.startsWith(`### ${id} `));
  if (start < 0) throw new Error(`docs/PROTOCOL.md has no "### ${id}" heading`);
  const documented: string[] = [];
  const examples: Example[] = [];
  let headingTypes: string[] = [];
  for (let i = start + 1; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (/^#{1,3} /.test(line)) break;
    if (/^#{4,5} /.test(line)) {
      headingTypes = namesIn(line);
      documented.push(...headingTypes);
    } else if (line === '```json') {
      const end = lines.indexOf('```', i + 1);
      const before =
        lines
          .slice(start, i)
          .filter((l) => l.trim() !== '')
          .pop() ?? '';
      examples.push({
        json: lines.slice(i + 1, end).join('\n'),
        line: i + 1,
        invalid: /^<!--\s*invalid example\b/.test(before),
        headingTypes,
      });
      i = end;
    }
  }
  return { documented, examples };
}

describe.each(DIRECTIONS.map((d) => [`§${d.section} ${d.name}`, d] as const))(
  'docs/PROTOCOL.md %s',
  (_title, direction) => {
    const section = readSection(direction.section);

    it('has a section for exactly the frame types the parser knows', () => {
      expect([...section.documented].sort()).toEqual([...direction.types].sort());
    });

    it('has examples the parser accepts, each under the heading of its type', () => {
      expect(section.examples.length).toBeGreaterThan(0);
      for (const example of section.examples) {
        const where = `the example at docs/PROTOCOL.md:${example.line}`;
        const parsed = direction.parse(example.json);
        if (example.invalid) {
          expect(parsed.ok, `${where} is marked invalid but parses`).toBe(false);
          continue;
        }
        expect(parsed.ok ? 'ok' : parsed.error.message, where).toBe('ok');
        if (parsed.ok)
          expect(example.headingTypes, `${where} (type ${parsed.value.type})`).toContain(parsed.value.type);
      }
    });

    it.each(direction.types.map((type) => [type]))('shows %s in at least one example that parses', (type) => {
      const shown = section.examples.some((example) => {
        if (example.invalid) return false;
        const parsed = direction.parse(example.json);
        return parsed.ok && parsed.value.type === type;
      });
      expect(shown, `no valid ${direction.name} example of "${type}" in §${direction.section}`).toBe(true);
    });
  },
);

/** The first backticked cell of each row of the table that follows the line `intro`. */
function tableKeys(intro: string): string[] {
  const lines = doc.split('\n');
  const start = lines.indexOf(intro);
  if (start < 0) throw new Error(`docs/PROTOCOL.md has no line "${intro}"`);
  const keys: string[] = [];
  for (const line of lines.slice(start + 1)) {
    if (keys.length && !line.startsWith('|')) break;
    const key = /^\| `([^`]+)`/.exec(line)?.[1];
    if (key) keys.push(key);
  }
  return keys;
}

describe('docs/PROTOCOL.md facts', () => {
  it('names the protocol version the code speaks, in the text and in every example', () => {
    expect(doc).toContain(`protocol version **${PROTOCOL_VERSION}**`);
    expect(doc).toContain(`\`AGENT_PROTOCOL_VERSION\`, still **${AGENT_PROTOCOL_VERSION}**`);
    for (const { section } of DIRECTIONS) {
      // The agent endpoint (§3.3, §3.4) is versioned on its own.
      const version = section === '3.3' || section === '3.4' ? AGENT_PROTOCOL_VERSION : PROTOCOL_VERSION;
      for (const example of readSection(section).examples) {
        const protocol = /"protocol": (\d+)/.exec(example.json)?.[1];
        if (protocol) expect(Number(protocol), `docs/PROTOCOL.md:${example.line}`).toBe(version);
      }
    }
  });

  it('lists every error code in §7.2, and no other', () => {
    expect(tableKeys('Every `code` in `ERROR_CODES` (`shared/errors.ts`):').sort()).toEqual([...ERROR_CODES].sort());
  });

  it('gives every limit its default in §7.1', () => {
    const intro = '`LIMITS` (`shared/limits.ts`), announced in `ready.limits` as the relay applies them:';
    expect(tableKeys(intro).sort()).toEqual(Object.keys(LIMITS).sort());
    for (const [key, value] of Object.entries(LIMITS)) {
      const row = doc.split('\n').find((line) => line.startsWith(`| \`${key}\``)) ?? '';
      expect(row.split('|')[2]?.trim().split(' ')[0], key).toBe(String(value));
    }
  });
});
