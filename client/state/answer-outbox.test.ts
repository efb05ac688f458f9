/** Answers to an agent's requests go through the outbox like messages: sent at once, with this device's name, and a refusal says why. */

/// <reference types="mocha" />
import { expect } from '@esm-bundle/chai';
import { deviceLabel } from './device-label.ts';
import { answerSubscribe, connected, setup, until } from '../test-support/fake-relay.ts';

describe('answers in the outbox', () => {
  it('leaves at once as an answer frame naming this device, and is kept until the relay acks it', async () => {
    const { relay, sync, db } = await setup(true);
    const socket = await connected(relay);
    void sync.subscribe('c-a');
    await answerSubscribe(socket, 'c-a');
    const answer = { kind: 'approval', decision: 'allow_once' } as const;
    await sync.answer('c-a', { messageId: 'm1', requestId: 'r1', answer });
    const [frame] = socket.of('answer');
    expect(frame).to.deep.include({ chat_id: 'c-a', message_id: 'm1', request_id: 'r1', answer });
    expect(frame?.device).to.equal(deviceLabel(navigator.userAgent));
    expect(sync.queuedAnswers('c-a').map((q) => q.requestId)).to.deep.equal(['r1']);
    expect((await db.listOutbox()).map((e) => e.kind)).to.deep.equal(['answer']);
    socket.push({ type: 'ack', chat_id: 'c-a', client_msg_id: frame?.client_msg_id ?? '', message_id: 'm1', seq: 3 });
    await until(() => sync.pending === 0, 'settled');
    expect(sync.queuedAnswers('c-a')).to.deep.equal([]);
    sync.connection.stop();
  });

  it('drops a refused answer from the queue and tells the user why', async () => {
    const { relay, sync, store } = await setup(true);
    const socket = await connected(relay);
    void sync.subscribe('c-b');
    await answerSubscribe(socket, 'c-b');
    await sync.answer('c-b', { messageId: 'm1', requestId: 'r1', answer: { kind: 'decline' } });
    const [frame] = socket.of('answer');
    socket.push({
      type: 'error',
      code: 'request_answered',
      message: 'that was already answered (the first answer counts)',
      chat_id: 'c-b',
      ref: frame?.client_msg_id ?? '',
    });
    await until(() => sync.pending === 0 && store.cache('c-b').notice !== '', 'dropped, with a notice');
    expect(store.cache('c-b').notice).to.equal(
      'Your answer was not taken: that was already answered (the first answer counts)',
    );
    sync.connection.stop();
  });
});

describe('deviceLabel', () => {
  it('names the browser and the system from a user agent', () => {
    const android = 'Mozilla/5.0 (Android 14; Mobile; rv:128.0) Gecko/128.0 Firefox/128.0';
    const iphone =
      'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';
    const edge =
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36 Edg/126.0';
    expect(deviceLabel(android)).to.equal('Firefox on Android');
    expect(deviceLabel(iphone)).to.equal('Safari on iPhone');
    expect(deviceLabel(edge)).to.equal('Edge on Windows');
    expect(deviceLabel('curl/8')).to.equal('Browser');
  });
});
