/** The openai agent's chat title: after a chat's first reply, one short non-streamed request asks the model to name it. */

import { AGENT_TITLE_CHARS, type TurnRequest } from '../../../shared/index.ts';
import { isObject } from '../../../shared/reader.ts';
import type { Logger } from '../../core/logger.ts';
import type { Upstream } from './errors.ts';
import { headers, request } from './http.ts';

/** How much of the question and the reply the title request carries: a title needs the gist, not the whole. */
const GIST_CHARS = 2000;

const INSTRUCTION =
  'Give this conversation a short title of at most six words. Answer with the title only: no quotes, no full stop.';

/** A chat's first reply: a message turn with no earlier reply in its context. */
export function isFirstReply(turn: TurnRequest): boolean {
  return turn.input.kind === 'message' && !turn.context.some((m) => m.role === 'assistant');
}

/** The model's answer made a title: its first line, without quotes or a closing full stop, cut to the limit. */
export function cleanTitle(answer: string): string | undefined {
  const line = answer.trim().split('\n')[0] ?? '';
  const title = line
    .replace(/^(title:\s*)/i, '')
    .replace(/^["'“”*]+|["'“”*.]+$/g, '')
    .trim();
  return title ? title.slice(0, AGENT_TITLE_CHARS) : undefined;
}

/**
 * Asks for a title; undefined when none came. Best effort: a chat without the agent's name keeps its first
 * message's, so a failure here is logged and never fails the turn that already finished.
 */
export async function askTitle(
  up: Upstream,
  options: { apiKey: string | undefined; logger: Logger },
  turn: TurnRequest,
  reply: string,
  signal: AbortSignal,
): Promise<string | undefined> {
  const question = turn.input.kind === 'message' ? turn.input.message.text : '';
  const body = {
    model: up.model,
    stream: false,
    messages: [
      { role: 'user', content: question.slice(0, GIST_CHARS) },
      { role: 'assistant', content: reply.slice(0, GIST_CHARS) },
      { role: 'user', content: INSTRUCTION },
    ],
  };
  try {
    const res = await request(
      `${up.baseUrl}${up.path}`,
      { method: 'POST', headers: headers(options.apiKey, 'application/json'), body: JSON.stringify(body), signal },
      up,
    );
    const json: unknown = await res.json();
    const choice = isObject(json) && Array.isArray(json['choices']) ? json['choices'][0] : undefined;
    const message = isObject(choice) ? choice['message'] : undefined;
    const content = isObject(message) ? message['content'] : undefined;
    return typeof content === 'string' ? cleanTitle(content) : undefined;
  } catch (err) {
    options.logger.debug('openai title request failed', { chat: turn.chat_id, error: String(err) });
    return undefined;
  }
}

/** A bounded set of ids, oldest dropped first: `add` is false for an id already in it. */
export class RecentSet {
  private readonly ids = new Set<string>();
  constructor(private readonly max: number) {}

  add(id: string): boolean {
    if (this.ids.has(id)) return false;
    this.ids.add(id);
    if (this.ids.size > this.max) this.ids.delete(this.ids.values().next().value ?? id);
    return true;
  }
}
