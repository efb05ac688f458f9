/**
 * Library mode: an existing TypeScript agent loop, served to Parley clients by a relay in the same process.
 *
 *   npm run build && node build/relay/sdk/examples/library-agent.js      (from the Parley checkout)
 *
 * Environment: PORT (default 8787). The built client in dist/ is served at / when present.
 */

import process from 'node:process';
import { answerText, createRelay, type AgentEvent, type TurnRequest } from '../../index.ts';

type Message = { role: 'system' | 'user' | 'assistant'; content: string };

/** Stands in for the loop you already have: it takes a conversation and streams its answer. */
async function* myAgentLoop(messages: Message[], signal: AbortSignal): AsyncGenerator<string> {
  const last = messages.at(-1)?.content ?? '';
  const answer = `This is turn ${Math.ceil(messages.length / 2)}. You asked: "${last}". Reversed: "${[...last].reverse().join('')}".`;
  for (const word of answer.split(/(?<= )/)) {
    if (signal.aborted) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
    yield word;
  }
}

/** The whole adapter: Parley's turn in, your loop's text out as `delta` events. */
async function* agent(turn: TurnRequest, { signal }: { signal: AbortSignal }): AsyncGenerator<AgentEvent> {
  const history: Message[] = turn.context.map((m) => ({ role: m.role, content: m.text }));
  const text =
    turn.input.kind === 'message'
      ? turn.input.message.text
      : turn.input.kind === 'action'
        ? `I choose "${turn.input.label}"`
        : answerText(turn.input);
  for await (const piece of myAgentLoop([...history, { role: 'user', content: text }], signal)) {
    yield { type: 'delta', text: piece };
  }
}

const parley = createRelay({
  agent,
  name: 'My TypeScript agent',
  files: 'dist',
  // Every chat's history is kept in dataDir (default ./data; 'none' keeps chats in memory only).
  config: { port: Number(process.env['PORT'] ?? 8787), dataDir: process.env['PARLEY_DATA_DIR'] ?? './data' },
});
const server = await parley.listen();
process.stdout.write(`\n  Parley is running: ${server.url}/\n\n`);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => void server.close().then(() => process.exit(0)));
}
