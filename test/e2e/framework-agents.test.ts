/**
 * Framework agents in the browser: the built relay with `--agent ag-ui` and `--agent ai-sdk` against servers written
 * with the frameworks' own packages; tool arguments appear while they stream, steps, agent state and citations show,
 * and an approval request ends the reply with what the agent asked.
 */

import { mkdirSync } from 'node:fs';
import { EventType, type BaseEvent } from '@ag-ui/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { AgUiServer } from '../agents/ag-ui-server.ts';
import { AiSdkServer, finish } from '../agents/ai-sdk-server.ts';
import { nodeRelayCommand, ROOT, startRelayProcess, type RelayProcess } from '../helpers/spawn.ts';
import { launchChromium } from './harness.ts';

const SHOTS = process.env['PARLEY_SHOTS'];
let browser: Browser;
let agUi: AgUiServer;
let aiSdk: AiSdkServer;
const relays: RelayProcess[] = [];

beforeAll(async () => {
  [browser, agUi, aiSdk] = await Promise.all([launchChromium(), AgUiServer.start(), AiSdkServer.start()]);
});
afterAll(async () => {
  await Promise.all(relays.map((r) => r.stop()));
  await Promise.all([browser.close(), agUi.close(), aiSdk.close()]);
});

async function open(agent: 'ag-ui' | 'ai-sdk', url: string, viewport = { width: 1280, height: 800 }): Promise<Page> {
  const relay = await startRelayProcess(
    nodeRelayCommand(['--port', '0', '--agent', agent, '--agent-url', url, '--static', `${ROOT}dist`]),
  );
  relays.push(relay);
  const page = await browser.newPage({ viewport });
  await page.goto(`${relay.url}/`);
  return page;
}

async function say(page: Page, text: string): Promise<void> {
  const box = page.locator('chat-composer textarea');
  await box.fill(text);
  await box.press('Enter');
}

async function shot(page: Page, name: string): Promise<void> {
  if (!SHOTS) return;
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });
}

const reply = (page: Page) => page.locator('chat-message article.assistant').last();

describe('framework agents in the browser', () => {
  it('AG-UI: arguments show while they stream, then steps, state and the result; an interrupt is approved in the page', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    agUi.scripts.push(async ({ input, send }) => {
      const e = (event: Record<string, unknown>) => send(event as BaseEvent);
      e({ type: EventType.RUN_STARTED, threadId: input.threadId, runId: input.runId });
      e({ type: EventType.STEP_STARTED, stepName: 'plan' });
      e({ type: EventType.STATE_SNAPSHOT, snapshot: { city: 'Oslo', todo: ['look up weather'] } });
      e({ type: EventType.TOOL_CALL_START, toolCallId: 'tc1', toolCallName: 'get_weather' });
      e({ type: EventType.TOOL_CALL_ARGS, toolCallId: 'tc1', delta: '{"city":"Os' });
      await gate;
      e({ type: EventType.TOOL_CALL_ARGS, toolCallId: 'tc1', delta: 'lo"}' });
      e({ type: EventType.TOOL_CALL_END, toolCallId: 'tc1' });
      e({ type: EventType.TOOL_CALL_RESULT, messageId: 'r1', toolCallId: 'tc1', content: '3 °C, light snow' });
      e({ type: EventType.STATE_DELTA, delta: [{ op: 'replace', path: '/todo', value: [] }] });
      e({ type: EventType.STEP_FINISHED, stepName: 'plan' });
      e({ type: EventType.TEXT_MESSAGE_CHUNK, messageId: 'm1', delta: 'It is **3 °C** in Oslo, with light snow.' });
      e({ type: EventType.RUN_FINISHED, threadId: input.threadId, runId: input.runId });
    });
    const page = await open('ag-ui', agUi.url);
    await say(page, 'Weather in Oslo?');
    const args = reply(page).locator('tool-call-block pre.live');
    await expect.poll(() => args.textContent()).toBe('{"city":"Os');
    await shot(page, 'ag-ui-streaming-args');
    release();
    await reply(page).locator('markdown-view strong').waitFor();
    const tool = reply(page).locator('tool-call-block');
    await tool.locator('summary').click();
    await expect.poll(() => tool.locator('pre').first().textContent()).toBe('{\n  "city": "Oslo"\n}');
    expect(await reply(page).locator('message-steps li').textContent()).toContain('plan');
    await reply(page).locator('data-block summary').click();
    expect(JSON.parse((await reply(page).locator('data-block pre').textContent()) ?? '')).toEqual({
      city: 'Oslo',
      todo: [],
    });
    await shot(page, 'ag-ui-done');
    // The compacted reply keeps its blocks: after a reload they come back from this device's store and the relay.
    await page.reload();
    await reply(page).locator('markdown-view strong').waitFor();
    expect(await reply(page).locator('message-steps li').textContent()).toContain('plan');
    expect(await reply(page).locator('data-block summary').textContent()).toContain('Agent state');
    expect(await reply(page).locator('tool-call-block .status').textContent()).toBe('done');

    agUi.scripts.push(({ input, send }) => {
      const e = (event: Record<string, unknown>) => send(event as BaseEvent);
      e({ type: EventType.RUN_STARTED, threadId: input.threadId, runId: input.runId });
      e({ type: EventType.TOOL_CALL_START, toolCallId: 'tc2', toolCallName: 'book_flight' });
      e({ type: EventType.TOOL_CALL_ARGS, toolCallId: 'tc2', delta: '{"to":"OSL"}' });
      e({ type: EventType.TOOL_CALL_END, toolCallId: 'tc2' });
      e({
        type: EventType.RUN_FINISHED,
        threadId: input.threadId,
        runId: input.runId,
        outcome: { type: 'interrupt', interrupts: [{ id: 'i1', reason: 'approval', toolCallId: 'tc2' }] },
      });
    });
    await say(page, 'Book it');
    // The interrupt is an approval card on the reply; allowing it resumes the AG-UI run.
    const card = reply(page).locator('approval-card');
    await card.getByText('book_flight').first().waitFor();
    await shot(page, 'ag-ui-interrupt');
    agUi.scripts.push(({ input, send }) => {
      const e = (event: Record<string, unknown>) => send(event as BaseEvent);
      e({ type: EventType.RUN_STARTED, threadId: input.threadId, runId: input.runId });
      for (const ev of [
        { type: EventType.TEXT_MESSAGE_START, messageId: 'm-booked', role: 'assistant' },
        { type: EventType.TEXT_MESSAGE_CONTENT, messageId: 'm-booked', delta: 'Booked: OSL.' },
        { type: EventType.TEXT_MESSAGE_END, messageId: 'm-booked' },
      ])
        e(ev);
      e({ type: EventType.RUN_FINISHED, threadId: input.threadId, runId: input.runId });
    });
    await card.locator('button.primary').click();
    await reply(page).getByText('Booked: OSL.').waitFor();
    expect(agUi.inputs.at(-1)?.resume).toEqual([
      { interruptId: 'i1', status: 'resolved', payload: { approved: true } },
    ]);
    await shot(page, 'ag-ui-approved');
  });

  it('AI SDK: sources show as citations and a transient data part goes when the reply ends (phone size)', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    aiSdk.routes.push({
      before: (writer) => writer.write({ type: 'data-status', data: { stage: 'searching' }, transient: true }),
      steps: [
        [
          { type: 'source', sourceType: 'url', id: 's1', url: 'https://example.com/parley', title: 'Parley docs' },
          { type: 'text-start', id: 't' },
          { type: 'text-delta', id: 't', delta: 'Parley keeps chats offline.' },
          { type: 'text-end', id: 't' },
          finish(),
        ],
      ],
      gate,
    });
    const page = await open('ai-sdk', aiSdk.url, { width: 390, height: 844 });
    await say(page, 'What is Parley?');
    await expect.poll(() => reply(page).locator('data-block summary').textContent()).toContain('status');
    release();
    const link = reply(page).locator('message-sources a');
    await expect.poll(() => link.textContent()).toBe('Parley docs');
    expect(await link.getAttribute('href')).toBe('https://example.com/parley');
    await expect.poll(() => reply(page).locator('data-block').count()).toBe(0);
    await shot(page, 'ai-sdk-phone');
  });
});
