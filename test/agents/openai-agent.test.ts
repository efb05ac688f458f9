/** The openai agent through a real relay against a server speaking the OpenAI wire format: what users see. */

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chunk, textStream, usageChunk } from './fake-openai.ts';
import { API_KEY, ask, startRig, type OpenAIRig } from './openai-helpers.ts';

let rig: OpenAIRig;
beforeAll(async () => {
  rig = await startRig({ systemPrompt: 'You are terse.', contextChars: 40 });
});
afterAll(() => rig.close());

const b64 = (text: string) => Buffer.from(text).toString('base64');

describe('the openai agent', () => {
  it('lists the server models in agent_state, with the first as default', async () => {
    const state = await rig.client.waitFor(
      (fs) =>
        fs.flatMap((f) => (f.type === 'ready' || f.type === 'agent_state' ? [f.agent] : [])).find((a) => a.models),
      'agent info with models',
    );
    expect(state).toMatchObject({ models: ['gpt-4o-mini', 'gpt-4o', 'o3-mini'], model: 'gpt-4o-mini', online: true });
    expect(state.capabilities).toEqual(expect.arrayContaining(['reasoning', 'tools', 'attachments', 'stop']));
  });

  it('streams content deltas into the reply and sends model, system prompt and key upstream', async () => {
    rig.fake.replies.push({ kind: 'stream', events: [...textStream(['Hel', 'lo', ' there.']), usageChunk(12, 3)] });
    const { end, reply, events } = await ask(rig.client, 'oa-text', { text: 'Say hello' });
    expect(end.status).toBe('done');
    expect(events.filter((e) => e.type === 'delta').map((e) => (e.type === 'delta' ? e.text : ''))).toEqual([
      'Hel',
      'lo',
      ' there.',
    ]);
    expect(reply?.text).toBe('Hello there.');
    const sent = rig.fake.completions().at(-1);
    expect(sent?.authorization).toBe(`Bearer ${API_KEY}`);
    expect(sent?.body).toEqual({
      model: 'gpt-4o-mini',
      stream: true,
      messages: [
        { role: 'system', content: 'You are terse.' },
        { role: 'user', content: 'Say hello' },
      ],
    });
  });

  it('maps reasoning_content and reasoning to reasoning deltas, shown before the answer', async () => {
    rig.fake.replies.push({
      kind: 'stream',
      events: [
        chunk({ role: 'assistant', content: null, reasoning_content: '' }),
        chunk({ content: null, reasoning_content: 'The user wants ' }),
        chunk({ content: null, reasoning: 'a number.' }),
        chunk({ content: '42' }),
        chunk({}, 'stop'),
      ],
    });
    const { reply } = await ask(rig.client, 'oa-reason', { text: 'Pick a number' });
    expect(reply).toMatchObject({ reasoning: 'The user wants a number.', text: '42', status: 'done' });
  });

  it('streams tool-call arguments as tool_args_delta events, piece by piece', async () => {
    rig.fake.replies.push({
      kind: 'stream',
      events: [
        chunk({
          role: 'assistant',
          content: null,
          tool_calls: [
            { index: 0, id: 'call_Dzo3T5', type: 'function', function: { name: 'get_weather', arguments: '' } },
          ],
          refusal: null,
        }),
        chunk({ tool_calls: [{ index: 0, function: { arguments: '{"lo' } }] }),
        chunk({ tool_calls: [{ index: 0, function: { arguments: 'cation":"Paris"}' } }] }),
        chunk({
          tool_calls: [{ index: 1, id: 'call_q81Kd', type: 'function', function: { name: 'get_time', arguments: '' } }],
        }),
        chunk({ tool_calls: [{ index: 1, function: { arguments: '{"tz":"CET"}' } }] }),
        chunk({}, 'tool_calls'),
      ],
    });
    const { end, reply, events } = await ask(rig.client, 'oa-tools', { text: 'Weather and time in Paris?' });
    expect(end.status).toBe('done');
    expect(events.filter((e) => e.type === 'tool_call')).toHaveLength(2);
    const streamed = events.flatMap((e) =>
      e.type === 'tool_call' ? [`call ${e.name}`] : e.type === 'tool_args_delta' ? [e.text] : [],
    );
    expect(streamed).toEqual(['call get_weather', '{"lo', 'cation":"Paris"}', 'call get_time', '{"tz":"CET"}']);
    expect(reply?.tools).toEqual([
      { call_id: 'call_Dzo3T5', name: 'get_weather', arguments: '{"location":"Paris"}', output: '', status: 'done' },
      { call_id: 'call_q81Kd', name: 'get_time', arguments: '{"tz":"CET"}', output: '', status: 'done' },
    ]);
  });

  it('sends image attachments as image_url data URLs and text files inline', async () => {
    const png = 'iVBORw0KGgo=';
    const { end } = await ask(rig.client, 'oa-image', {
      text: 'What is this?',
      attachments: [
        { id: 'a1', name: 'dot.png', mime: 'image/png', size: 8, data: png },
        { id: 'a2', name: 'notes.md', mime: 'text/markdown', size: 5, data: b64('# Hi\n') },
      ],
    });
    expect(end.status).toBe('done');
    expect(rig.fake.completions().at(-1)?.body).toMatchObject({
      messages: [
        { role: 'system' },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What is this?' },
            { type: 'image_url', image_url: { url: `data:image/png;base64,${png}` } },
            { type: 'text', text: 'Attached file notes.md:\n\n# Hi\n' },
          ],
        },
      ],
    });
  });

  it('sends the prior messages the client gave as context, dropping the oldest beyond the budget', async () => {
    const context = [
      { role: 'user' as const, text: 'first question, long enough to be dropped' },
      { role: 'assistant' as const, text: 'an old answer' },
      { role: 'user' as const, text: 'recent question' },
      { role: 'assistant' as const, text: 'recent answer' },
    ];
    await ask(rig.client, 'oa-context', { text: 'and now?', context, model: 'o3-mini' });
    expect(rig.fake.completions().at(-1)?.body).toEqual({
      model: 'o3-mini',
      stream: true,
      messages: [
        { role: 'system', content: 'You are terse.' },
        // 40 characters: the newest three fit, and the assistant one that would open the history goes too.
        { role: 'user', content: 'recent question' },
        { role: 'assistant', content: 'recent answer' },
        { role: 'user', content: 'and now?' },
      ],
    });
  });

  it('accepts a stream that closes after a finished choice without [DONE]', async () => {
    rig.fake.replies.push({ kind: 'stream', events: textStream(['fine']), done: false });
    const { end, reply } = await ask(rig.client, 'oa-nodone', { text: 'hi' });
    expect(end.status).toBe('done');
    expect(reply?.text).toBe('fine');
  });

  it('never writes the API key to a log', async () => {
    expect(rig.logs.concat(rig.relay.logs).join('\n')).not.toContain(API_KEY);
  });
});
