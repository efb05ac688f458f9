import { describe, expect, it } from 'vitest';
import type { TurnRequest } from '../../../shared/index.ts';
import { buildRequestBody, CONTINUE_PROMPT } from './request.ts';

const question = { id: 'u2', role: 'user' as const, text: 'Tell me about kumquats', created_at: 2 };
const turn: TurnRequest = {
  chat_id: 'c',
  turn_id: 't',
  message_id: 'm',
  input: { kind: 'message', message: question },
  context: [
    { role: 'user', text: 'hello' },
    { role: 'assistant', text: 'hi' },
    { role: 'assistant', text: 'Kumquats are small citrus fr' },
  ],
  continues: 'r2',
};
const options = { model: 'x', systemPrompt: undefined, contextChars: 10_000 };

describe('openai: continuing a cut-off reply', () => {
  it('sends the question, then the reply as far as it got, then asks the model to go on', () => {
    expect(buildRequestBody(turn, options).messages).toEqual([
      { role: 'user', content: 'hello' },
      { role: 'assistant', content: 'hi' },
      { role: 'user', content: 'Tell me about kumquats' },
      { role: 'assistant', content: 'Kumquats are small citrus fr' },
      { role: 'user', content: CONTINUE_PROMPT },
    ]);
  });

  it('an ordinary turn keeps the context before the input, as it was', () => {
    const { continues: _c, ...plain } = turn;
    expect(buildRequestBody(plain, options).messages.at(-1)).toEqual({
      role: 'user',
      content: 'Tell me about kumquats',
    });
  });
});
