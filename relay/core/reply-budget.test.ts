/** The reply budget measures serialized messages exactly and refuses output that would outgrow one frame. */

import { describe, expect, it } from 'vitest';
import { startAssistantMessage } from '../../shared/index.ts';
import { messageBytes, ReplyBudget } from './reply-budget.ts';

describe('ReplyBudget', () => {
  it('measures a message as its UTF-8 JSON', () => {
    const m = { ...startAssistantMessage('m1', 't1', 1), text: 'a"\\\n\u0001é€😀', reasoning: '\ud800 lone' };
    expect(messageBytes(m)).toBe(Buffer.byteLength(JSON.stringify(m)));
  });

  it('refuses a reply whose characters fit but whose bytes would not fit in a frame', () => {
    const message = startAssistantMessage('m1', 't1', 1);
    const budget = new ReplyBudget(message, 1024 * 1024);
    // 200,000 three-byte characters: 600 kB, under every character limit.
    const piece = '€'.repeat(200_000);
    expect(budget.admit(message, { type: 'delta', text: piece })).toBeUndefined();
    message.text += piece;
    expect(budget.admit(message, { type: 'delta', text: piece })).toMatch(/larger than \d+ bytes/);
  });
});
