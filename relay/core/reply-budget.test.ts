/** The reply budget measures serialized messages exactly and refuses output that would outgrow one frame. */

import { describe, expect, it } from 'vitest';
import type { ChatMessage } from '../../shared/index.ts';
import { messageBytes, ReplyBudget } from './reply-budget.ts';

/** A reply just started. */
function reply(): ChatMessage {
  return { id: 'm1', role: 'assistant', text: '', created_at: 1, turn_id: 't1' };
}

describe('ReplyBudget', () => {
  it('measures a message as its UTF-8 JSON', () => {
    const m = { ...reply(), text: 'a"\\\n\u0001é€😀', reasoning: '\ud800 lone' };
    expect(messageBytes(m)).toBe(Buffer.byteLength(JSON.stringify(m)));
  });

  it('refuses a reply whose characters fit but whose bytes would not fit in a frame', () => {
    const message = reply();
    const budget = new ReplyBudget(message, 1024 * 1024);
    // 200,000 three-byte characters: 600 kB, under every character limit.
    const piece = '€'.repeat(200_000);
    expect(budget.admit(message, { type: 'delta', text: piece })).toBeUndefined();
    message.text += piece;
    expect(budget.admit(message, { type: 'delta', text: piece })).toMatch(/larger than \d+ bytes/);
  });

  it('refuses a source, data part or step its clients could not read, and admits one they can', () => {
    const message = reply();
    const budget = new ReplyBudget(message);
    expect(budget.admit(message, { type: 'source', source: { id: 'x'.repeat(300) } })).toBe(
      'The agent sent a source the relay cannot pass on: source.id is longer than 256 characters.',
    );
    expect(budget.admit(message, { type: 'data_part', part: { name: '', data: '1' } })).toMatch(
      /^The agent sent a data part/,
    );
    expect(budget.admit(message, { type: 'step', name: 's'.repeat(201), status: 'started' })).toMatch(
      /^The agent sent a step/,
    );
    expect(
      budget.admit(message, { type: 'source', source: { id: 's1', url: 'https://example.com/' } }),
    ).toBeUndefined();
  });
});
