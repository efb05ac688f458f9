/** The built-in demo agent: deterministic, offline, exercising every event kind the protocol has. */

import type { AgentEvent, AgentInfo, AgentParam, Attachment, ChatMessage, TurnRequest } from '../../../shared/index.ts';
import { TurnError, type Agent, type HistoryPage, type HistoryRequest } from '../../core/agent.ts';
import { encodePng, toBase64 } from './png.ts';
import { Transcripts } from './transcripts.ts';
import { answerEvents, approvalFor, questionFor, toolRun } from './human.ts';
import { chunks, DIAGRAM, FILE_TEXT, HELP, longTokens, markdownReply, MATH, REASONING, TOOL_OUTPUT } from './script.ts';

export interface DemoOptions {
  /** Pause between tokens, ms (0 streams as fast as the event loop allows). */
  delayMs: number;
  /** Characters of message text the agent remembers across all chats (`--demo-history-max-chars`). */
  historyChars?: number;
  /** Whether the chat's first reply names it (false with `--title-model off`, as for every agent that names chats). */
  titles?: boolean;
}

const MAX_HISTORY = 500;
const MAX_CHATS = 1000;
const HISTORY_CHARS = 16 * 1024 * 1024;
const MAX_LONG = 100_000;
const MODELS = ['demo-fast', 'demo-thorough'] as const;
/** What a chat may tune; the demo only echoes the values back (`/settings`), so the UI and tests can see them. */
const PARAMS: AgentParam[] = [
  { name: 'temperature', type: 'number', label: 'Temperature', min: 0, max: 2, default: 1 },
  { name: 'max_tokens', type: 'integer', label: 'Max tokens', min: 1, max: 32000, default: 1024 },
  { name: 'style', type: 'enum', label: 'Style', options: ['plain', 'playful'], default: 'plain' },
];

/**
 * The partial reply a turn continues, if it continues one: a `continue` ends the context with it, and asks about the
 * message it answered, so in the demo's memory that message is followed by a reply with exactly that text.
 */
function continued(turn: TurnRequest, said: readonly ChatMessage[]): string | undefined {
  const last = turn.context.at(-1);
  if (turn.input.kind !== 'message' || last?.role !== 'assistant') return undefined;
  const asked = turn.input.message.id;
  const at = said.findIndex((m) => m.id === asked);
  const answered = at >= 0 && said.slice(at + 1).some((m) => m.role === 'assistant' && m.text === last.text);
  return answered ? last.text : undefined;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new Error('aborted'));
    const onAbort = () => {
      clearTimeout(timer);
      reject(new Error('aborted'));
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

let cachedImage: Attachment | undefined;

/** A 96×64 gradient with a bright circle, encoded once. */
function demoImage(): Attachment {
  if (cachedImage) return cachedImage;
  const w = 96;
  const h = 64;
  const rgb = new Uint8Array(w * h * 3);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const inCircle = (x - 48) ** 2 + (y - 32) ** 2 < 18 ** 2;
      const i = (y * w + x) * 3;
      rgb[i] = inCircle ? 250 : Math.round((x / w) * 120 + 40);
      rgb[i + 1] = inCircle ? 200 : Math.round((y / h) * 100 + 60);
      rgb[i + 2] = inCircle ? 80 : 200;
    }
  }
  const png = encodePng(w, h, rgb);
  cachedImage = { id: 'demo-image', name: 'parley-demo.png', mime: 'image/png', size: png.length, data: toBase64(png) };
  return cachedImage;
}

function textFile(): Attachment {
  const bytes = new TextEncoder().encode(FILE_TEXT);
  return { id: 'demo-notes', name: 'notes.md', mime: 'text/markdown', size: bytes.length, data: toBase64(bytes) };
}

/** The demo's name for a chat: its first message's first words (a model would summarise; the demo only shows how). */
export function demoTitle(text: string): string {
  const words = text.replace(/^\//, '').trim().split(/\s+/).slice(0, 5).join(' ').slice(0, 60);
  return words ? `Demo: ${words}` : 'Demo: files';
}

export class DemoAgent implements Agent {
  /** Per-chat transcript, so `/edit` can find the previous reply and `history` can answer. */
  private readonly transcripts: Transcripts;

  constructor(private readonly options: DemoOptions) {
    this.transcripts = new Transcripts({
      perChat: MAX_HISTORY,
      chats: MAX_CHATS,
      chars: options.historyChars ?? HISTORY_CHARS,
    });
  }

  /** Characters of text the agent holds in its transcripts (bounded by `historyChars`). */
  get historyChars(): number {
    return this.transcripts.chars;
  }

  /** Tools a person allowed "always" per chat (for this process's lifetime): `/approve` runs them unasked. */
  private readonly allowed = new Map<string, Set<string>>();

  /** The model new turns use unless a message names one; `/model <name>` changes it for everyone. */
  private model: (typeof MODELS)[number] = MODELS[0];
  private readonly listeners = new Set<(info: AgentInfo) => void>();

  info(): AgentInfo {
    return {
      name: 'Parley demo',
      capabilities: [
        'markdown',
        'reasoning',
        'tools',
        'buttons',
        'files',
        'edit',
        'typing',
        'history',
        'models',
        'stop',
      ],
      models: [...MODELS],
      model: this.model,
      params: PARAMS,
      online: true,
    };
  }

  watch(listener: (info: AgentInfo) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async history(req: HistoryRequest): Promise<HistoryPage> {
    const all = this.transcripts.list(req.chat_id);
    const end = req.before ? all.findIndex((m) => m.id === req.before) : all.length;
    const stop = end === -1 ? all.length : end;
    const start = Math.max(0, stop - req.limit);
    return { messages: all.slice(start, stop), complete: start === 0 };
  }

  async *run(turn: TurnRequest, signal: AbortSignal): AsyncGenerator<AgentEvent> {
    // The chat's first reply names it, once written, so the name can follow from what was said.
    const first =
      turn.input.kind === 'message' && !this.transcripts.list(turn.chat_id).some((m) => m.role === 'assistant');
    yield* this.answer(turn, signal);
    if (first && this.options.titles !== false && turn.input.kind === 'message' && !signal.aborted) {
      yield { type: 'title', title: demoTitle(turn.input.message.text) };
    }
  }

  private async *answer(turn: TurnRequest, signal: AbortSignal): AsyncGenerator<AgentEvent> {
    // Continuing a stopped reply: say so, then write only what it had not written yet.
    const partial = continued(turn, this.transcripts.list(turn.chat_id));
    if (turn.input.kind === 'message') {
      // A regenerated turn answers a message already here again: what followed it is being replaced.
      this.transcripts.dropFrom(turn.chat_id, turn.input.message.id);
      this.transcripts.add(turn.chat_id, turn.input.message);
    }
    const reply: ChatMessage = {
      id: turn.message_id,
      role: 'assistant',
      text: '',
      created_at: Date.now(),
      turn_id: turn.turn_id,
    };
    const pace = (ms = this.options.delayMs) => sleep(ms, signal);
    let skip = partial?.length ?? 0;
    const unsaid = (piece: string): string => {
      const cut = Math.min(skip, piece.length);
      skip -= cut;
      return piece.slice(cut);
    };
    const say = async function* (text: string, size = 4): AsyncGenerator<AgentEvent> {
      for (const whole of chunks(text, size)) {
        const piece = unsaid(whole);
        if (!piece) continue;
        await pace();
        reply.text += piece;
        yield { type: 'delta', text: piece };
      }
    };
    try {
      if (partial !== undefined) {
        const note = `*Continuing the reply that stopped after ${partial.length} characters…*\n\n`;
        for (const piece of chunks(note, 8)) {
          await pace();
          reply.text += piece;
          yield { type: 'delta', text: piece };
        }
      }
      if (turn.input.kind === 'action') {
        yield* say(
          `You pressed **${turn.input.label}**. Buttons send an \`action\` to the agent, which answers like this.`,
        );
        return;
      }
      if (turn.input.kind === 'answer') {
        const remember = (tool: string) => this.allowed.set(turn.chat_id, this.allowedIn(turn.chat_id).add(tool));
        for (const step of answerEvents(turn.input, remember)) {
          if ('say' in step) yield* say(step.say);
          else yield step;
        }
        return;
      }
      const text = turn.input.message.text.trim();
      const [command = '', arg] = text.split(/\s+/, 2);
      const files = turn.input.message.attachments ?? [];
      if (files.length > 0 && !command.startsWith('/')) {
        const list = files.map((f) => `- \`${f.name}\` (${f.mime}, ${f.size} bytes)`).join('\n');
        yield* say(`I received ${files.length} attachment${files.length === 1 ? '' : 's'}:\n\n${list}\n\n`);
      }
      switch (command.toLowerCase()) {
        case '/model': {
          const wanted = MODELS.find((m) => m === arg);
          if (!wanted) {
            yield* say(
              `Pick one of: ${MODELS.map((m) => `\`${m}\``).join(', ')} — for example \`/model demo-thorough\`.`,
            );
            return;
          }
          this.model = wanted;
          for (const listener of this.listeners) listener(this.info());
          yield* say(`Default model is now **${wanted}**; every open tab shows the change.`);
          return;
        }
        case '/settings': {
          const s = turn.settings ?? {};
          const params = Object.entries(s.params ?? {}).map(([k, v]) => `- \`${k}\`: ${JSON.stringify(v)}`);
          yield* say(
            [
              `Model: ${s.model ?? turn.model ?? this.model}`,
              `System prompt: ${s.system ? JSON.stringify(s.system) : '(none)'}`,
              params.length ? `Parameters:\n${params.join('\n')}` : 'Parameters: (defaults)',
            ].join('\n\n'),
          );
          return;
        }
        case '/help':
          yield* say(HELP, 16);
          return;
        case '/reasoning':
        case '/think':
          for (const piece of chunks(REASONING, 6)) {
            await pace();
            yield { type: 'reasoning_delta', text: piece };
          }
          yield* say('Having thought it over: **the second reading fits best**, because it matches the context.');
          return;
        case '/tool':
          yield* this.tool(pace);
          yield* say('The tool found three documents; **PROTOCOL.md** covers resume in detail.');
          return;
        case '/approve': {
          const seconds = Number.parseInt(arg ?? '', 10);
          const request = approvalFor(turn.turn_id, Date.now(), Number.isNaN(seconds) ? undefined : seconds);
          if (this.allowedIn(turn.chat_id).has(request.tool)) {
            yield* toolRun(request);
            yield* say(`You allowed \`${request.tool}\` always in this chat, so I ran it without asking.`);
            return;
          }
          yield* say(`I would like to run \`${request.tool}\`. May I?`);
          // The turn ends here with the request pending; the answer starts the next turn.
          yield { type: 'request', request };
          return;
        }
        case '/ask':
          yield* say('I have a few questions first.');
          yield { type: 'request', request: questionFor(turn.turn_id) };
          return;
        case '/buttons':
          yield* say('Which do you prefer?');
          yield {
            type: 'buttons',
            buttons: [
              [
                { id: 'yes', label: 'Yes' },
                { id: 'no', label: 'No' },
              ],
              [{ id: 'later', label: 'Ask me later' }],
            ],
          };
          return;
        case '/image':
          yield* say('Here is an image, sent as a file:');
          yield { type: 'file', attachment: demoImage() };
          return;
        case '/file':
          yield* say('Here is a text file:');
          yield { type: 'file', attachment: textFile() };
          return;
        case '/math':
          yield* say(MATH, 8);
          return;
        case '/diagram':
          yield* say(DIAGRAM, 8);
          return;
        case '/edit':
          yield* this.edit(turn.chat_id, turn.message_id);
          yield* say('I edited my previous reply.');
          return;
        case '/typing':
          yield { type: 'typing', active: true };
          await pace(Math.max(1500, this.options.delayMs * 20));
          yield { type: 'typing', active: false };
          yield* say('Done typing.');
          return;
        case '/long': {
          const n = Math.min(MAX_LONG, Math.max(1, Number.parseInt(arg ?? '', 10) || 2000));
          for (const token of longTokens(n).map(unsaid)) {
            if (!token) continue;
            await pace();
            reply.text += token;
            yield { type: 'delta', text: token };
          }
          return;
        }
        case '/slow':
          for (const token of longTokens(200).map(unsaid)) {
            if (!token) continue;
            await pace(Math.max(200, this.options.delayMs * 8));
            reply.text += token;
            yield { type: 'delta', text: token };
          }
          return;
        case '/error':
          yield* say('Starting, but this turn will fail… ');
          throw new TurnError('The demo agent failed on purpose (you typed /error).');
        case '/tour':
          for (const piece of chunks(REASONING, 12)) {
            await pace();
            yield { type: 'reasoning_delta', text: piece };
          }
          yield* this.tool(pace);
          yield* say(markdownReply('a tour of everything'), 8);
          yield { type: 'file', attachment: demoImage() };
          yield { type: 'buttons', buttons: [[{ id: 'more', label: 'Show me more' }]] };
          return;
        default:
          if (text !== '' || files.length === 0) yield* say(markdownReply(text));
          return;
      }
    } finally {
      if (reply.text) this.transcripts.add(turn.chat_id, reply);
    }
  }

  private allowedIn(chatId: string): Set<string> {
    return this.allowed.get(chatId) ?? new Set();
  }

  private async *tool(pace: () => Promise<void>): AsyncGenerator<AgentEvent> {
    yield { type: 'tool_call', call_id: 'call_1', name: 'search_docs', arguments: '{"query":"resume","limit":3}' };
    for (const line of TOOL_OUTPUT) {
      await pace();
      await pace();
      yield { type: 'tool_output', call_id: 'call_1', text: line };
    }
    yield { type: 'tool_result', call_id: 'call_1', status: 'done', result: '3 documents' };
  }

  private async *edit(chatId: string, ownId: string): AsyncGenerator<AgentEvent> {
    const previous = [...this.transcripts.list(chatId)].reverse().find((m) => m.role === 'assistant' && m.id !== ownId);
    if (!previous) throw new TurnError('There is no earlier reply of mine to edit yet — send a message first.');
    const text = `${previous.text}\n\n*(edited by the demo agent)*`;
    this.transcripts.edit(chatId, previous.id, text);
    yield { type: 'message_edit', message_id: previous.id, text };
  }
}
