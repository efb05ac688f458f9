/**
 * An example agent process: echoes each message word by word, honours stop, and answers history.
 *
 *   node build/relay/sdk/examples/echo-agent.js              (after npm run build)
 *   deno run --allow-net --allow-env relay/sdk/examples/echo-agent.ts
 *
 * Environment: PARLEY_AGENT_TOKEN (the relay's --agent-token), PARLEY_URL (default ws://127.0.0.1:8787/agent).
 */

import process from 'node:process';
import {
  AllowedTools,
  answerOf,
  answerText,
  approvalResultText,
  askApproval,
  type AgentEvent,
  type ChatMessage,
  type TurnRequest,
} from '../../../shared/index.ts';
import { connectAgent } from '../agent-client.ts';

const token = process.env['PARLEY_AGENT_TOKEN'];
if (!token) {
  process.stderr.write("echo-agent: set PARLEY_AGENT_TOKEN to the relay's --agent-token\n");
  process.exit(2);
}

/** What this agent remembers per chat, so it can answer `history`. */
const transcripts = new Map<string, ChatMessage[]>();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function* echo(turn: TurnRequest, { signal }: { signal: AbortSignal }): AsyncGenerator<AgentEvent> {
  const said =
    turn.input.kind === 'message'
      ? turn.input.message.text
      : turn.input.kind === 'action'
        ? `you pressed "${turn.input.label}"`
        : answerText(turn.input);
  if (said.trim() === '/approve' && allowed.has(turn.chat_id, 'clean_cache')) {
    yield { type: 'delta', text: 'You allowed clean_cache always in this chat: the cache is clean.' };
    return;
  }
  if (said.trim() === '/approve') {
    // Ask first, and end the turn: the answer starts a new turn, which `approved` below runs.
    yield { type: 'delta', text: 'May I clean the cache?' };
    yield askApproval({ tool: 'clean_cache', call_id: `call_${turn.turn_id}`, arguments: { path: './cache' } });
    return;
  }
  const reply = `You said: ${said}`;
  const transcript = transcripts.get(turn.chat_id) ?? [];
  transcripts.set(turn.chat_id, transcript);
  if (turn.input.kind === 'message') transcript.push(turn.input.message);
  for (const word of reply.split(/(?<= )/)) {
    if (signal.aborted) return;
    yield { type: 'delta', text: word };
    await sleep(30);
  }
  transcript.push({ id: turn.message_id, role: 'assistant', text: reply, created_at: Date.now(), status: 'done' });
}

/** Allowed "always" per chat, so this agent does not ask twice (for as long as it runs). */
const allowed = new AllowedTools();

/** The turn an answer starts: the tool runs, or its denial goes back as the tool's result. */
async function* approved(turn: TurnRequest): AsyncGenerator<AgentEvent> {
  const input = answerOf(turn);
  if (!input || input.request.kind !== 'approval') return;
  const { call_id, tool, arguments: args } = input.request;
  yield { type: 'tool_call', call_id, name: tool, arguments: args };
  if (allowed.note(turn.chat_id, input)) {
    yield { type: 'tool_result', call_id, status: 'done', result: 'cache cleaned' };
    yield { type: 'delta', text: 'Done: the cache is clean.' };
  } else {
    yield { type: 'tool_result', call_id, status: 'error', result: approvalResultText(input.answer) };
    yield { type: 'delta', text: 'Understood, I did not run it.' };
  }
}

// Deno and Node 22+ have a global WebSocket (used when none is given); Node 20 uses the relay's `ws` package.
const WebSocket = 'WebSocket' in globalThis ? undefined : (await import('ws')).WebSocket;

const agent = connectAgent({
  url: process.env['PARLEY_URL'] ?? 'ws://127.0.0.1:8787/agent',
  token,
  name: 'Echo',
  capabilities: ['markdown', 'stop'],
  ...(WebSocket ? { WebSocket } : {}),
  turn: echo,
  answer: approved,
  // The `limit` messages before `before` (or the newest), oldest first.
  history: async ({ chat_id, before, limit }) => {
    const all = transcripts.get(chat_id) ?? [];
    const found = before === undefined ? -1 : all.findIndex((m) => m.id === before);
    const end = found === -1 ? all.length : found;
    const start = Math.max(0, end - limit);
    return { messages: all.slice(start, end), complete: start === 0 };
  },
  onEvent: (event) => process.stdout.write(`echo-agent: ${JSON.stringify(event)}\n`),
});

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => void agent.close().then(() => process.exit(0)));
}
