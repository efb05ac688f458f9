/** `--title-model`: after a chat's first reply the openai agent asks the model for a short title, sent as a `title` event. */

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { textStream } from './fake-openai.ts';
import { ask, startRig, type OpenAIRig } from './openai-helpers.ts';

const titleAnswer = (content: string) => ({
  kind: 'http' as const,
  status: 200,
  body: JSON.stringify({ object: 'chat.completion', choices: [{ index: 0, message: { role: 'assistant', content } }] }),
});

describe('the openai agent names a chat', () => {
  let rig: OpenAIRig;
  beforeAll(async () => {
    rig = await startRig({ model: 'gpt-4o', titleModel: 'gpt-4o-mini' });
  });
  afterAll(() => rig.close());

  it('asks the title model after the first reply, and never again in that chat', async () => {
    rig.fake.replies.push({ kind: 'stream', events: textStream(['Lisbon in May is mild.']) });
    rig.fake.replies.push(titleAnswer('"Lisbon in May."'));
    const first = await ask(rig.client, 'oa-title', { text: 'What is Lisbon like in May?' });
    expect(first.end.status).toBe('done');
    expect(first.events.filter((e) => e.type === 'title')).toMatchObject([{ title: 'Lisbon in May' }]);
    const sent = rig.fake.completions().at(-1)?.body;
    expect(sent).toMatchObject({ model: 'gpt-4o-mini', stream: false });
    expect(JSON.stringify(sent)).toContain('Lisbon in May is mild.');

    const before = rig.fake.completions().length;
    rig.fake.replies.push({ kind: 'stream', events: textStream(['Warm, too.']) });
    const second = await ask(rig.client, 'oa-title', { text: 'And Porto?' });
    expect(second.events.filter((e) => e.type === 'title')).toEqual([]);
    expect(rig.fake.completions().length).toBe(before + 1);
  });

  it('keeps the reply when the title request fails', async () => {
    rig.fake.replies.push({ kind: 'stream', events: textStream(['Fine.']) });
    rig.fake.replies.push({ kind: 'http', status: 500, body: '{"error":{"message":"down"}}' });
    const { end, events } = await ask(rig.client, 'oa-title-fails', { text: 'Hi' });
    expect(end.status).toBe('done');
    expect(events.filter((e) => e.type === 'title')).toEqual([]);
  });
});

describe('--title-model off', () => {
  it('sends no title request', async () => {
    const rig = await startRig({ model: 'gpt-4o', titleModel: 'off' });
    try {
      rig.fake.replies.push({ kind: 'stream', events: textStream(['Hello.']) });
      const { events } = await ask(rig.client, 'oa-no-title', { text: 'Hi' });
      expect(events.filter((e) => e.type === 'title')).toEqual([]);
      expect(rig.fake.completions()).toHaveLength(1);
    } finally {
      await rig.close();
    }
  });
});
