/** Builds the Chat Completions request body for a turn: system prompt, bounded context, the user's input. */

import {
  answerText,
  IMAGE_MIME_TYPES,
  type Attachment,
  type ContextMessage,
  type TurnRequest,
} from '../../../shared/index.ts';
import { openaiSampling, systemPromptFor } from '../sampling-params.ts';

export type ContentPart = { type: 'text'; text: string } | { type: 'image_url'; image_url: { url: string } };

export interface WireMessage {
  role: 'system' | 'user' | 'assistant';
  content: string | ContentPart[];
}

export interface ChatCompletionBody {
  model: string;
  messages: WireMessage[];
  stream: true;
  /** Sampling parameters from the chat's settings (temperature, top_p, max_tokens…). */
  [param: string]: unknown;
}

export interface RequestOptions {
  model: string;
  systemPrompt: string | undefined;
  /** Characters of earlier messages to send at most. */
  contextChars: number;
}

/** Text attachments the model can read inline; other non-image files are named but not sent. */
const TEXT_MIME_TYPES = new Set(['text/plain', 'text/markdown', 'text/csv', 'application/json']);

/**
 * Keeps the newest messages that fit in `budget` characters. A history that would then open with an
 * assistant message loses it too: several chat templates (Mistral, Gemma) insist on user first.
 */
export function trimContext(context: readonly ContextMessage[], budget: number): ContextMessage[] {
  let used = 0;
  let start = context.length;
  while (start > 0) {
    const size = context[start - 1]?.text.length ?? 0;
    if (used + size > budget) break;
    used += size;
    start--;
  }
  while (context[start]?.role === 'assistant') start++;
  return context.slice(start);
}

function decodeText(base64: string): string {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return new TextDecoder().decode(bytes);
}

function attachmentPart(a: Attachment): ContentPart {
  if (IMAGE_MIME_TYPES.includes(a.mime))
    return { type: 'image_url', image_url: { url: `data:${a.mime};base64,${a.data}` } };
  if (TEXT_MIME_TYPES.has(a.mime)) return { type: 'text', text: `Attached file ${a.name}:\n\n${decodeText(a.data)}` };
  return {
    type: 'text',
    text: `(The user attached ${a.name} (${a.mime}); this agent cannot pass that kind of file on.)`,
  };
}

/** The user's side of this turn: plain text when there is nothing else, content parts with attachments. */
function inputMessage(turn: TurnRequest): WireMessage {
  if (turn.input.kind === 'action') {
    return { role: 'user', content: `(The user pressed the button "${turn.input.label}".)` };
  }
  if (turn.input.kind === 'answer') return { role: 'user', content: answerText(turn.input) };
  const { text, attachments = [] } = turn.input.message;
  if (attachments.length === 0) return { role: 'user', content: text };
  const parts: ContentPart[] = text ? [{ type: 'text', text }] : [];
  return { role: 'user', content: [...parts, ...attachments.map(attachmentPart)] };
}

/** What the model is asked after its own cut-off reply, so it goes on rather than starting again. */
export const CONTINUE_PROMPT =
  'Your previous reply was cut off. Continue it exactly where it stopped, without repeating anything already written.';

export function buildRequestBody(turn: TurnRequest, options: RequestOptions): ChatCompletionBody {
  const messages: WireMessage[] = [];
  const system = systemPromptFor(turn, options.systemPrompt);
  if (system) messages.push({ role: 'system', content: system });
  const context = trimContext(turn.context, options.contextChars);
  // A continue: the question, then the reply as far as it got, then the request to go on from there.
  const partial = turn.continues !== undefined ? context.at(-1) : undefined;
  const before = partial?.role === 'assistant' ? context.slice(0, -1) : context;
  for (const m of before) messages.push({ role: m.role, content: m.text });
  messages.push(inputMessage(turn));
  if (partial?.role === 'assistant') {
    messages.push({ role: 'assistant', content: partial.text });
    messages.push({ role: 'user', content: CONTINUE_PROMPT });
  }
  return { model: options.model, messages, stream: true, ...openaiSampling(turn) };
}
