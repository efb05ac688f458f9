/**
 * Library mode with OpenAI tool calls that need a person's approval: the model asks to run a tool, Parley asks the
 * user (allow once, always in this chat, or deny with a reason), and the answer's turn runs the tool — or hands the
 * model the denial, reason included, as the tool's result — and lets the model go on.
 *
 *   npm run build && OPENAI_API_KEY=… node build/relay/sdk/examples/openai-tools-agent.js
 *
 * Environment: OPENAI_API_KEY, OPENAI_BASE_URL (any OpenAI-compatible server), OPENAI_MODEL (default gpt-4o-mini),
 * PORT (default 8787).
 */

import process from 'node:process';
import OpenAI from 'openai';
import type { ChatCompletionMessageParam, ChatCompletionTool } from 'openai/resources/chat/completions';
import {
  AllowedTools,
  approvalResultText,
  askApproval,
  createRelay,
  type AgentEvent,
  type TurnRequest,
} from '../../index.ts';

export const TOOLS: ChatCompletionTool[] = [
  {
    type: 'function',
    function: {
      name: 'delete_file',
      description: 'Delete a file in the sandbox.',
      parameters: { type: 'object', properties: { path: { type: 'string' } }, required: ['path'] },
    },
  },
];

/** Stands in for your tools: what running one returns. */
function runTool(name: string, args: string): string {
  if (name !== 'delete_file') return `There is no tool called ${name}.`;
  try {
    const { path } = JSON.parse(args) as { path?: unknown };
    return typeof path === 'string' ? `Deleted ${path}.` : 'The call named no path.';
  } catch {
    return 'The arguments were not JSON.';
  }
}

interface Call {
  id: string;
  name: string;
  arguments: string;
}

/** A conversation stopped at a tool call someone must allow: what the model said, and the calls still to handle. */
interface Waiting {
  messages: ChatCompletionMessageParam[];
  calls: Call[];
}

/** The agent for `createRelay`: OpenAI's streamed completions, with every tool call allowed by a person first. */
export function openAiToolsAgent(client: OpenAI, model: string) {
  /** Conversations waiting for an answer, by request id (for this process's life: a restart forgets them). */
  const waiting = new Map<string, Waiting>();
  const allowed = new AllowedTools();

  /** Runs the allowed calls in order; asks about the first one that is not. Returns the messages, or undefined. */
  async function* handle(
    turn: TurnRequest,
    state: Waiting,
  ): AsyncGenerator<AgentEvent, ChatCompletionMessageParam[] | undefined> {
    const messages = [...state.messages];
    for (const [i, call] of state.calls.entries()) {
      if (!allowed.has(turn.chat_id, call.name)) {
        const ask = askApproval({ tool: call.name, call_id: call.id, arguments: call.arguments });
        waiting.set(ask.request.id, { messages, calls: state.calls.slice(i) });
        yield ask;
        return undefined;
      }
      const result = runTool(call.name, call.arguments);
      yield { type: 'tool_result', call_id: call.id, status: 'done', result };
      messages.push({ role: 'tool', tool_call_id: call.id, content: result });
    }
    return messages;
  }

  return async function* agent(turn: TurnRequest, { signal }: { signal: AbortSignal }): AsyncGenerator<AgentEvent> {
    let messages: ChatCompletionMessageParam[] | undefined;
    if (turn.input.kind === 'answer') {
      const { request, answer } = turn.input;
      const state = waiting.get(request.id);
      if (request.kind !== 'approval' || !state) {
        yield { type: 'delta', text: 'That request is no longer open here (the agent restarted since).' };
        return;
      }
      waiting.delete(request.id);
      const [call, ...rest] = state.calls;
      if (!call) return;
      // The call shows on this reply with how it went; a denial's reason is the result the model reads.
      yield { type: 'tool_call', call_id: call.id, name: call.name, arguments: call.arguments };
      const ok = allowed.note(turn.chat_id, turn.input);
      const result = ok ? runTool(call.name, call.arguments) : approvalResultText(answer);
      yield { type: 'tool_result', call_id: call.id, status: ok ? 'done' : 'error', result };
      const after = [...state.messages, { role: 'tool' as const, tool_call_id: call.id, content: result }];
      messages = yield* handle(turn, { messages: after, calls: rest });
    } else {
      const text = turn.input.kind === 'message' ? turn.input.message.text : `I choose "${turn.input.label}"`;
      messages = [...turn.context.map((m) => ({ role: m.role, content: m.text })), { role: 'user', content: text }];
    }
    // The model goes on until it answers without calling a tool (or a call waits for someone).
    for (let step = 0; messages && step < 8; step++) {
      const stream = await client.chat.completions.create({ model, messages, tools: TOOLS, stream: true }, { signal });
      const calls = new Map<number, Call>();
      let text = '';
      for await (const chunk of stream) {
        const delta = chunk.choices[0]?.delta;
        if (delta?.content) {
          text += delta.content;
          yield { type: 'delta', text: delta.content };
        }
        for (const piece of delta?.tool_calls ?? []) {
          let call = calls.get(piece.index);
          if (!call) {
            call = { id: piece.id ?? `call_${piece.index}`, name: piece.function?.name ?? 'tool', arguments: '' };
            calls.set(piece.index, call);
            yield { type: 'tool_call', call_id: call.id, name: call.name, arguments: '' };
          }
          if (piece.function?.arguments) {
            call.arguments += piece.function.arguments;
            yield { type: 'tool_args_delta', call_id: call.id, text: piece.function.arguments };
          }
        }
      }
      if (calls.size === 0) return;
      const made = [...calls.values()];
      const assistant: ChatCompletionMessageParam = {
        role: 'assistant',
        content: text || null,
        tool_calls: made.map((c) => ({
          id: c.id,
          type: 'function',
          function: { name: c.name, arguments: c.arguments },
        })),
      };
      messages = yield* handle(turn, { messages: [...messages, assistant], calls: made });
    }
  };
}

// Run as a program (not when a test imports the agent).
if (process.argv[1]?.endsWith('openai-tools-agent.js')) {
  const client = new OpenAI({ apiKey: process.env['OPENAI_API_KEY'], baseURL: process.env['OPENAI_BASE_URL'] });
  const parley = createRelay({
    agent: openAiToolsAgent(client, process.env['OPENAI_MODEL'] ?? 'gpt-4o-mini'),
    name: 'OpenAI agent with approved tools',
    files: 'dist',
    config: { port: Number(process.env['PORT'] ?? 8787), dataDir: process.env['PARLEY_DATA_DIR'] ?? './data' },
  });
  const server = await parley.listen();
  process.stdout.write(`\n  Parley is running: ${server.url}/\n\n`);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => void server.close().then(() => process.exit(0)));
  }
}
