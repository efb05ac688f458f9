/** Library mode asks a person: a function agent yields `askQuestion`, gets the form's values as its next turn. */

import { afterEach, expect, it } from 'vitest';
import { askQuestion, answerOf, createRelay, type AgentEvent, type RunningServer } from '../../relay/index.ts';
import { converse, TestClient } from '../helpers/client.ts';
import { Transcript } from '../helpers/transcript.ts';

let server: RunningServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

it('a library agent asks a question, and its answer turn gets the checked values', async () => {
  const parley = createRelay({
    config: { port: 0, logLevel: 'silent', dataDir: 'none' },
    async *agent(turn): AsyncGenerator<AgentEvent> {
      const answer = answerOf(turn);
      if (answer?.answer.kind === 'question') {
        yield { type: 'delta', text: `Booked ${String(answer.answer.values['seats'])} seats.` };
        return;
      }
      if (turn.input.kind === 'message' && turn.input.message.text === 'bad') {
        // Not a request the relay can show: the turn fails with a readable reason, nothing half-shown.
        yield {
          type: 'request',
          request: { kind: 'question', id: 'x', prompt: '', schema: { type: 'object', properties: {} } },
        };
        return;
      }
      yield askQuestion({
        id: 'seats',
        prompt: 'How many seats?',
        schema: {
          type: 'object',
          properties: { seats: { type: 'integer', minimum: 1, maximum: 4 } },
          required: ['seats'],
        },
      });
    },
  });
  server = await parley.listen();
  const c = await TestClient.connect(server.url.replace(/^http/, 'ws'));
  c.send({ type: 'subscribe', chat_id: 'lib-q' });
  await c.waitType('subscribed');
  await converse(c, 'lib-q', 'book', 'm-1');
  const raised = await c.waitType('request');
  const answer = (id: string, seats: number) =>
    c.send({
      type: 'answer',
      chat_id: 'lib-q',
      client_msg_id: id,
      message_id: raised.message_id,
      request_id: 'seats',
      answer: { kind: 'question', values: { seats } },
    });
  answer('a-1', 9);
  expect(await c.waitType('error', (e) => e.ref === 'a-1')).toMatchObject({
    code: 'invalid_answer',
    message: 'That answer does not fit: seats must be at most 4.',
  });
  const from = c.frames.length;
  answer('a-2', 2);
  const start = await c.waitType('turn_start', (t) => t.reply_to === raised.message_id, from);
  await c.waitType('turn_end', (t) => t.turn_id === start.turn_id, from);
  const bad = await converse(c, 'lib-q', 'bad', 'm-2');
  expect(bad).toMatchObject({ status: 'error' });
  expect(bad.error).toContain('The agent sent a request the relay cannot show');
  const t = new Transcript();
  for (const e of c.events('lib-q')) t.apply(e);
  expect(t.get(start.message_id)?.text).toBe('Booked 2 seats.');
  c.close();
});
