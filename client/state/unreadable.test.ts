/** A frame the client cannot read is never dropped silently: its chat shows what could not be shown, and the stream goes on. */

/// <reference types="mocha" />
import { expect } from '@esm-bundle/chai';
import '../ui/chat/chat-message.ts';
import { answerSubscribe, connected, setup, until } from '../test-support/fake-relay.ts';

const tool = (i: number) => ({ call_id: `t${i}`, name: 'x', arguments: '{}', output: '', status: 'done' });

describe('unreadable frames', () => {
  it('shows an over-limit reply as a placeholder saying why, warns in the console, and keeps the chat going', async () => {
    const warnings: string[] = [];
    const warn = console.warn;
    console.warn = (...args: unknown[]) => void warnings.push(args.map(String).join(' '));
    try {
      const { relay, store, sync } = await setup(true);
      const socket = await connected(relay);
      void sync.subscribe('c-u');
      await answerSubscribe(socket, 'c-u', { head: 0 });
      const stamp = { chat_id: 'c-u', epoch: 'e1' };
      // What the relay accepted from an agent and compacted: 257 tool calls, one more than a message may hold.
      const reply = { id: 'r-big', role: 'assistant', text: 'done', created_at: 5, status: 'done' };
      socket.pushRaw(
        JSON.stringify({
          type: 'message',
          ...stamp,
          seq: 1,
          message: { ...reply, tools: Array.from({ length: 257 }, (_, i) => tool(i)) },
        }),
      );
      socket.push({
        type: 'message',
        ...stamp,
        seq: 2,
        message: { id: 'u2', role: 'user', text: 'next', created_at: 6 },
      });
      await until(() => store.chat('c-u').messages.length === 2, 'both messages');
      const [placeholder, next] = store.chat('c-u').messages;
      expect(placeholder).to.include({ id: 'r-big', role: 'assistant', state: 'error', unreadable: true });
      expect(placeholder?.error).to.match(/tools/);
      expect(next?.text).to.equal('next');
      expect(store.chat('c-u').cursor).to.deep.equal({ epoch: 'e1', seq: 2 });
      expect(warnings.some((w) => w.includes('could not read a frame'))).to.equal(true);
      expect(store.problems).to.deep.equal([]);

      const el = document.createElement('chat-message');
      if (!placeholder) throw new Error('no placeholder');
      el.message = placeholder;
      document.body.append(el);
      await el.updateComplete;
      expect(el.shadowRoot?.textContent?.replace(/\s+/g, ' ')).to.contain('This reply could not be shown:');
      el.remove();

      // Part of a streaming reply that cannot be read: what arrived stays, and the reply says what is missing.
      socket.push({
        type: 'turn_start',
        ...stamp,
        seq: 3,
        turn_id: 't',
        message_id: 'r3',
        reply_to: 'u2',
        created_at: 1,
      });
      socket.push({ type: 'delta', ...stamp, seq: 4, turn_id: 't', message_id: 'r3', text: 'partial ' });
      socket.pushRaw(JSON.stringify({ type: 'delta', ...stamp, seq: 5, turn_id: 't', message_id: 'r3', text: 42 }));
      await until(() => store.chat('c-u').get('r3')?.state === 'error', 'the cut reply');
      expect(store.chat('c-u').get('r3')).to.include({ text: 'partial ', unreadable: true });
      sync.connection.stop();
    } finally {
      console.warn = warn;
    }
  });
});
