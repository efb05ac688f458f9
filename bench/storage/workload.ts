/** The storage benchmark's workload, the same for every engine: acked appends, streamed appends, and reading a 5,000-message chat. */

import type { ChatEvent } from '../../shared/index.ts';
import { median } from '../lib/stats.ts';
import type { Engine } from './engines.ts';

const EPOCH = 'bench-epoch';
const PARAGRAPH =
  'A reply of ordinary length, with some markdown: **bold**, a `code span`, a [link](https://example.com), and a list of three items follows. ';

/** A whole message like a chat holds: user questions and assistant replies of 300 to 1,500 characters. */
export function messageEvent(chatId: string, seq: number): ChatEvent {
  const assistant = seq % 2 === 0;
  const text = assistant ? PARAGRAPH.repeat(2 + (seq % 10)) : `Question number ${seq}: what about this?`;
  return {
    type: 'message',
    chat_id: chatId,
    seq,
    epoch: EPOCH,
    message: { id: `m_${seq}`, role: assistant ? 'assistant' : 'user', text, created_at: 1_700_000_000_000 + seq },
  };
}

function deltaEvent(chatId: string, seq: number): ChatEvent {
  return { type: 'delta', chat_id: chatId, seq, epoch: EPOCH, turn_id: 't_1', message_id: 'm_r', text: 'token ' };
}

const write = (engine: Engine, event: ChatEvent) => engine.append(event.chat_id, event, JSON.stringify(event));

export interface Figures {
  /** One sender: each message acked (durable) before the next is sent. */
  ackedSerialPerSec: number;
  /** 50 senders in 50 chats at once: acks share fsyncs (group commit). */
  ackedConcurrentPerSec: number;
  /** A streamed reply's events: written (the OS holds them) before fan-out, not fsynced each. */
  streamedPerSec: number;
  /** Reading back and checking a 5,000-message chat: the first read (parser not yet compiled), then the median of 4 more. */
  read5000FirstMs: number;
  read5000Ms: number;
  /** Bytes the 5,000 messages' envelopes take serialized. */
  chatBytes: number;
}

export async function measure(engine: Engine, read?: (chatId: string) => Promise<number> | number): Promise<Figures> {
  const serial = 500;
  let t = performance.now();
  for (let seq = 1; seq <= serial; seq++) {
    write(engine, messageEvent('serial', seq));
    await engine.commit();
  }
  const ackedSerialPerSec = serial / ((performance.now() - t) / 1000);

  const senders = 50;
  const each = 100;
  t = performance.now();
  await Promise.all(
    Array.from({ length: senders }, async (_, s) => {
      for (let seq = 1; seq <= each; seq++) {
        write(engine, messageEvent(`sender-${s}`, seq));
        await engine.commit();
      }
    }),
  );
  const ackedConcurrentPerSec = (senders * each) / ((performance.now() - t) / 1000);

  const streamed = 20_000;
  t = performance.now();
  for (let seq = 1; seq <= streamed; seq++) write(engine, deltaEvent('stream', seq));
  await engine.commit();
  const streamedPerSec = streamed / ((performance.now() - t) / 1000);

  let chatBytes = 0;
  for (let seq = 1; seq <= 5000; seq++) {
    const event = messageEvent('open', seq);
    chatBytes += JSON.stringify(event).length;
    write(engine, event);
  }
  await engine.commit();
  const reads: number[] = [];
  for (let i = 0; i < 5; i++) {
    t = performance.now();
    const n = await (read ?? engine.readAll)('open');
    reads.push(performance.now() - t);
    if (n !== 5000) throw new Error(`${engine.name} read ${n} of 5000 messages`);
  }
  const [read5000FirstMs = Number.NaN, ...warm] = reads;
  return {
    ackedSerialPerSec,
    ackedConcurrentPerSec,
    streamedPerSec,
    read5000FirstMs,
    read5000Ms: median(warm),
    chatBytes,
  };
}
