/**
 * The whole path for hostile text: a library agent on a real relay (serving the built app with its CSP)
 * mirrors every vector of the XSS corpus back into every place an agent controls — name, models, reasoning,
 * streamed markdown, tool calls, file names, buttons, an edit — while the user sent them as messages (and so
 * as chat titles). Chromium must run none of it, keep nothing active in the DOM, and the CSP must never have
 * had to step in. The component suite (client/ui/rendering.xss.test.ts) covers each place in isolation.
 */

import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { AgentEvent, AgentInfo, Attachment, TurnRequest } from '../../shared/index.ts';
import { LIMITS } from '../../shared/index.ts';
import { nodeFiles } from '../../relay/adapters/node/files.ts';
import { serveNode, type RunningServer } from '../../relay/adapters/node/serve.ts';
import type { Agent } from '../../relay/core/agent.ts';
import { DEFAULTS } from '../../relay/config.ts';
import { assembleRelay } from '../../relay/assemble.ts';
import { findXssProblems } from '../../client/test-support/xss-audit.ts';
import { launchChromium } from './harness.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const FIXTURES = join(ROOT, 'test/fixtures/xss');
const SEPARATOR = '\n\n⁂⁂⁂\n\n';

const corpora = (JSON.parse(readFileSync(join(FIXTURES, 'index.json'), 'utf8')) as { files: string[] }).files.map(
  (file) => ({
    file,
    vectors: (JSON.parse(readFileSync(join(FIXTURES, file), 'utf8')) as { vectors: string[] }).vectors,
  }),
);
const all = corpora.flatMap((c) => c.vectors);
/** Vectors that fit where the protocol allows only short strings (names, labels, models). */
const short = all.filter((v) => v.trim() !== '' && v.length <= LIMITS.maxLabelChars);

const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgYGD4DwABBAEAwS2OUAAAAABJRU5ErkJggg==',
  'base64',
);

/** Splits a corpus into messages the relay accepts (text limit), each a list of vectors. */
function parts(vectors: string[], limit = 30_000): string[][] {
  const out: string[][] = [[]];
  let size = 0;
  for (const v of vectors) {
    if (size + v.length > limit && (out.at(-1)?.length ?? 0) > 0) {
      out.push([]);
      size = 0;
    }
    out.at(-1)?.push(v);
    size += v.length + SEPARATOR.length;
  }
  return out;
}

/** Mirrors what the user sent into every place an agent writes to, streamed in pieces. */
function hostileAgent(): Agent {
  let turns = 0;
  const lastReply = new Map<string, string>();
  return {
    info: (): AgentInfo => ({
      name: short[0] ?? 'x',
      capabilities: ['markdown', 'reasoning', 'tools', 'buttons', 'files'],
      models: short.slice(1, 6),
      model: short[1],
      online: true,
    }),
    async *run(turn: TurnRequest): AsyncIterable<AgentEvent> {
      const text =
        turn.input.kind === 'message' ? turn.input.message.text : turn.input.kind === 'action' ? turn.input.label : '';
      const vectors = text.split(SEPARATOR);
      const few = vectors.filter((v) => v.trim() !== '' && v.length <= LIMITS.maxLabelChars);
      const offset = (turns++ * 7) % Math.max(1, short.length);
      for (let i = 0; i < text.length; i += 4000) yield { type: 'reasoning_delta', text: text.slice(i, i + 4000) };
      for (const [i, v] of few.slice(0, 30).entries()) {
        yield { type: 'tool_call', call_id: `t${i}`, name: v, arguments: JSON.stringify({ q: v }) };
        yield { type: 'tool_output', call_id: `t${i}`, text: v };
        yield { type: 'tool_result', call_id: `t${i}`, status: i % 2 ? 'error' : 'done', result: v };
      }
      // Streamed in uneven pieces, so unfinished tails (half a tag, an open fence) are rendered too.
      for (let i = 0, n = 1; i < text.length; i += n, n = (n * 7 + 13) % 900) {
        yield { type: 'delta', text: text.slice(i, i + n) };
      }
      const names = [...few, ...short].slice(offset % 5, (offset % 5) + 8);
      for (const [i, name] of names.entries()) {
        const attachment: Attachment =
          i % 2
            ? { id: `f${turns}-${i}`, name, mime: 'text/plain', size: 5, data: Buffer.from('notes').toString('base64') }
            : { id: `f${turns}-${i}`, name, mime: 'image/png', size: PNG.length, data: PNG.toString('base64') };
        yield { type: 'file', attachment };
      }
      const labels = [...few, ...short].slice(0, LIMITS.maxButtons);
      yield {
        type: 'buttons',
        buttons: [labels.slice(0, 12), labels.slice(12)].map((row, r) =>
          row.map((label, i) => ({ id: `b${r}-${i}`, label })),
        ),
      };
      const previous = lastReply.get(turn.chat_id);
      if (previous) yield { type: 'message_edit', message_id: previous, text: [...vectors].reverse().join(SEPARATOR) };
      lastReply.set(turn.chat_id, turn.message_id);
    },
  };
}

let server: RunningServer;
let browser: Browser;
let page: Page;

/** Every script-capable place the browser offers a payload, recorded instead of run. */
function trapScript(): void {
  const ran: string[] = [];
  Reflect.set(window, '__ran', ran);
  for (const name of ['alert', 'confirm', 'prompt', 'print', 'open']) {
    Reflect.set(window, name, (...args: unknown[]) => void ran.push(`${name}(${args.map(String).join(', ')})`));
  }
  document.addEventListener('securitypolicyviolation', (e) =>
    ran.push(`CSP ${e.effectiveDirective} blocked ${e.blockedURI || '(inline)'} in ${e.sourceFile}:${e.lineNumber}`),
  );
}

const ran = (): Promise<string[]> => page.evaluate(() => [...(Reflect.get(window, '__ran') as string[])]);
const audit = (): Promise<string[]> =>
  page.evaluate(`(${findXssProblems.toString()})(document.body)`) as Promise<string[]>;

async function replyFinished(count: number): Promise<void> {
  await page.waitForFunction(
    (n) => {
      const view = document.querySelector('parley-app')?.shadowRoot?.querySelector('chat-view');
      const list = view?.shadowRoot?.querySelectorAll('chat-message') ?? [];
      const last = list[list.length - 1];
      return list.length >= n && last?.shadowRoot?.querySelector('article.assistant[aria-busy="false"]') != null;
    },
    count,
    { timeout: 30_000 },
  );
}

beforeAll(async () => {
  const config = { ...DEFAULTS, port: 0, logLevel: 'error' as const };
  const relay = assembleRelay(config, hostileAgent(), { files: nodeFiles(join(ROOT, 'dist')) });
  server = await serveNode(relay, config);
  browser = await launchChromium();
  const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
  await context.addInitScript(trapScript);
  page = await context.newPage();
  page.on('dialog', (d) => void d.dismiss());
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('hostile text through a real relay into the app', () => {
  for (const { file, vectors } of corpora) {
    it(`keeps ${file} inert from user message to agent reply (${vectors.length} vectors)`, async () => {
      await page.goto(`${server.url}/#/c/xss-${file.replace(/\W/g, '-')}`);
      await page.locator('chat-composer textarea').waitFor();
      let messages = 0;
      for (const part of parts(vectors)) {
        await page.locator('chat-composer textarea').fill(part.join(SEPARATOR));
        await page.locator('chat-composer textarea').press('Enter');
        messages += 2;
        await replyFinished(messages);
      }
      // Everything arrived where it is shown: tools, files, buttons, the edit, the agent's name, the title.
      const reply = page.locator('chat-view chat-message').last();
      expect(await reply.locator('tool-call-block').count()).toBeGreaterThan(0);
      expect(await reply.locator('message-attachments img').count()).toBeGreaterThan(0);
      expect(await reply.locator('message-buttons button').count()).toBeGreaterThan(0);
      if (messages > 2) expect(await page.locator('chat-view .badge', { hasText: 'Edited' }).count()).toBe(1);
      expect(await page.locator('connection-status .agent').textContent()).toContain(short[0]?.slice(0, 20));
      expect(await page.locator('session-list .title').count()).toBeGreaterThan(0);
      expect(await ran()).toEqual([]);
      expect(await audit()).toEqual([]);
    });
  }

  it('would notice: a live javascript: link is reported, and alert is the trap', async () => {
    await page.evaluate(() => {
      const view = document.querySelector('parley-app')?.shadowRoot?.querySelector('chat-view');
      const a = document.createElement('a');
      a.setAttribute('href', 'javascript:alert(1)');
      view?.shadowRoot?.querySelector('chat-message')?.shadowRoot?.append(a);
      window.alert('probe');
    });
    expect(await audit()).toEqual(expect.arrayContaining([expect.stringContaining('javascript: URL in href')]));
    expect(await ran()).toEqual(['alert(probe)']);
  });

  it('stays inert when the history is rendered again from storage', async () => {
    await page.reload();
    await replyFinished(2);
    await page.waitForTimeout(300);
    expect(await ran()).toEqual([]);
    expect(await audit()).toEqual([]);
  });
});
