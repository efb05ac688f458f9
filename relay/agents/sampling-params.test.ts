import { describe, expect, it } from 'vitest';
import type { TurnRequest } from '../../shared/index.ts';
import { buildRunInput } from './ag-ui/run-input.ts';
import { buildRequestBody } from './openai/request.ts';
import { forwardedSettings } from './sampling-params.ts';

const turn = (settings?: TurnRequest['settings']): TurnRequest => ({
  chat_id: 'c',
  turn_id: 't',
  message_id: 'm',
  input: { kind: 'message', message: { id: 'u', role: 'user', text: 'hi', created_at: 1 } },
  context: [],
  ...(settings ? { settings } : {}),
});

describe('settings into each bridge', () => {
  it('openai: the chat system prompt replaces the relay default, and sampling params go into the body', () => {
    const body = buildRequestBody(turn({ system: 'Be a pirate.', params: { temperature: 0.3, max_tokens: 50 } }), {
      model: 'x',
      systemPrompt: 'relay default',
      contextChars: 10_000,
    });
    expect(body.messages[0]).toEqual({ role: 'system', content: 'Be a pirate.' });
    expect(body).toMatchObject({ model: 'x', temperature: 0.3, max_tokens: 50, stream: true });
  });
  it('openai: without settings the relay default stays and no sampling field is sent', () => {
    const body = buildRequestBody(turn(), { model: 'x', systemPrompt: 'relay default', contextChars: 10_000 });
    expect(body.messages[0]).toEqual({ role: 'system', content: 'relay default' });
    expect(Object.keys(body).sort()).toEqual(['messages', 'model', 'stream']);
  });
  it('ai-sdk body and ag-ui forwardedProps carry model, system and params as top-level fields', () => {
    const t = turn({ model: 'big', system: 'Short answers.', params: { temperature: 0.1 } });
    expect(forwardedSettings(t)).toEqual({ model: 'big', system: 'Short answers.', temperature: 0.1 });
    expect(buildRunInput(t, { state: undefined, messages: undefined, resume: [] }).forwardedProps).toEqual({
      model: 'big',
      system: 'Short answers.',
      temperature: 0.1,
    });
  });
});
