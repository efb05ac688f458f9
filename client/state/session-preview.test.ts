/** The sidebar's preview follows the chat's newest message, whichever device wrote it (a replay on a second device). */

/// <reference types="mocha" />
import { expect } from '@esm-bundle/chai';
import type { ChatMessage } from '../../shared/index.ts';
import { ChatStore } from './chat-store.ts';
import { answerSubscribe, connected, setup, until } from '../test-support/fake-relay.ts';

describe('session preview', () => {
  it('shows the newest message of a chat replayed from another device', async () => {
    const { relay, store, sync, db } = await setup(true);
    const socket = await connected(relay);
    void sync.subscribe('c-other');
    await answerSubscribe(socket, 'c-other', { head: 4 });
    const written: ChatMessage[] = [
      { id: 'u1', role: 'user', text: 'first question', created_at: 10 },
      { id: 'r1', role: 'assistant', text: 'first answer', created_at: 11, status: 'done' },
      { id: 'u2', role: 'user', text: 'second question', created_at: 20 },
      { id: 'r2', role: 'assistant', text: 'the **latest** answer', created_at: 21, status: 'done' },
    ];
    written.forEach((message, i) =>
      socket.push({ type: 'message', chat_id: 'c-other', epoch: 'e1', seq: i + 1, message }),
    );
    await until(() => store.chat('c-other').messages.length === 4, 'the replay');
    await until(() => store.session('c-other')?.preview === 'the latest answer', 'the newest preview');
    expect(store.session('c-other')?.title).to.equal('first question');
    // What is stored agrees, so the sidebar shows the same after a reload.
    await store.data.flush();
    const fresh = new ChatStore(db);
    await fresh.init();
    expect(fresh.session('c-other')?.preview).to.equal('the latest answer');
    sync.connection.stop();
  });

  it('reads a reply with math as text, not as TeX', async () => {
    const { relay, store, sync } = await setup(true);
    const socket = await connected(relay);
    void sync.subscribe('c-math');
    await answerSubscribe(socket, 'c-math', { head: 1 });
    const message: ChatMessage = {
      id: 'r1',
      role: 'assistant',
      text: "### Math\n\nEuler's identity $e^{i\\pi} + 1 = 0$; the pen costs $5.",
      created_at: 11,
      status: 'done',
    };
    socket.push({ type: 'message', chat_id: 'c-math', epoch: 'e1', seq: 1, message });
    await until(() => store.session('c-math')?.preview !== '', 'the preview');
    expect(store.session('c-math')?.preview).to.equal("Math Euler's identity e^iπ + 1 = 0; the pen costs $5.");
    sync.connection.stop();
  });
});
