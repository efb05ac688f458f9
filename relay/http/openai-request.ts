/** Parses a Chat Completions request body into what an agent turn needs: the user's input and prior context. */

import { attachmentParser, base64Size, type Attachment, type ContextMessage, type Limits } from '../../shared/index.ts';
import { checkAttachmentTotal } from '../../shared/parse-model.ts';
import { isObject, objectParser, Reader, type ItemParser } from '../../shared/reader.ts';

export interface CompletionRequest {
  model: string | undefined;
  stream: boolean;
  /** The last message, which must be the user's: what the agent answers. */
  text: string;
  attachments: Attachment[];
  /** Every earlier message, oldest first, within the relay's context limits. */
  context: ContextMessage[];
}

export type ParsedRequest = { ok: true; value: CompletionRequest } | { ok: false; message: string };

const ROLES = ['system', 'developer', 'user', 'assistant', 'tool'] as const;
type Role = (typeof ROLES)[number];

interface Image {
  mime: string;
  data: string;
}

interface Message {
  role: Role;
  text: string;
  images: Image[];
}

const DATA_URL = /^data:([a-z]+\/[a-z0-9.+-]+);base64,([A-Za-z0-9+/]*={0,2})$/i;

/** `content` is a string, `null` (an assistant turn that only called tools), or an array of parts. */
function readContent(r: Reader, message: Message): void {
  const content = r.raw('content');
  if (content === null || content === undefined) return;
  if (typeof content === 'string') return void (message.text = content);
  if (!Array.isArray(content)) return r.fail('content', 'must be a string or an array of content parts');
  const texts: string[] = [];
  for (const part of content) {
    if (!isObject(part)) return r.fail('content', 'has a part that is not an object');
    const url = isObject(part['image_url']) ? part['image_url']['url'] : undefined;
    if (part['type'] === 'text' && typeof part['text'] === 'string') texts.push(part['text']);
    else if (part['type'] === 'image_url' && typeof url === 'string') {
      const m = DATA_URL.exec(url);
      if (!m?.[1] || m[2] === undefined) return r.fail('content', 'has an image that is not a base64 data: URL');
      message.images.push({ mime: m[1].toLowerCase(), data: m[2] });
    } else return r.fail('content', `has a part of type "${String(part['type'])}", which this relay does not take`);
  }
  message.text = texts.join('\n');
}

const messageParser: ItemParser<Message> = objectParser((r) => {
  const message: Message = { role: r.oneOf('role', ROLES), text: '', images: [] };
  readContent(r, message);
  return message;
});

/** System and developer messages stay instructions; a tool result has no place in the context, so it is labelled. */
function toContext(m: Message): ContextMessage | undefined {
  const text = m.images.length > 0 ? `${m.text}\n[${m.images.length} image(s) not shown]`.trim() : m.text;
  if (!text) return undefined;
  if (m.role === 'user' || m.role === 'assistant') return { role: m.role, text };
  if (m.role === 'system' || m.role === 'developer') return { role: 'system', text };
  return { role: 'user', text: `Tool result: ${text}` };
}

/** The newest context that fits the relay's limits on message count and characters. */
function bound(context: ContextMessage[], limits: Limits): ContextMessage[] {
  let chars = 0;
  let start = context.length;
  while (start > 0 && context.length - start < limits.maxContextMessages) {
    const size = context[start - 1]?.text.length ?? 0;
    if (chars + size > limits.maxContextChars) break;
    chars += size;
    start--;
  }
  return context.slice(start);
}

function toAttachments(images: Image[], limits: Limits): Attachment[] | string {
  if (images.length > limits.maxAttachments) return `the last message has more than ${limits.maxAttachments} images`;
  const out: Attachment[] = [];
  for (const [i, image] of images.entries()) {
    const ext = image.mime.split('/')[1] ?? 'bin';
    const raw = { id: `image-${i + 1}`, name: `image-${i + 1}.${ext}`, ...image, size: base64Size(image.data) };
    const parsed = attachmentParser(limits)(raw, `messages[-1].content[${i}]`);
    if (!parsed.ok) return parsed.error.message;
    out.push(parsed.value);
  }
  return checkAttachmentTotal(out, limits)?.message ?? out;
}

export function parseCompletionRequest(raw: string, limits: Limits): ParsedRequest {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return { ok: false, message: 'The request body is not valid JSON.' };
  }
  if (!isObject(value)) return { ok: false, message: 'The request body must be a JSON object.' };
  const r = new Reader(value, 'body');
  const model = value['model'] === null ? undefined : r.optStr('model', { max: limits.maxLabelChars });
  const stream = value['stream'] === null ? false : (r.optBool('stream') ?? false);
  const messages = r.arr('messages', messageParser, 10_000);
  if (r.error) return { ok: false, message: r.error.message };
  const last = messages.at(-1);
  if (last?.role !== 'user') return { ok: false, message: 'body.messages must end with a message from the user' };
  if (last.text.length > limits.maxTextChars)
    return { ok: false, message: `the last message is longer than ${limits.maxTextChars} characters` };
  if (last.text.trim() === '' && last.images.length === 0) return { ok: false, message: 'the last message is empty' };
  const attachments = toAttachments(last.images, limits);
  if (typeof attachments === 'string') return { ok: false, message: attachments };
  const context = messages.slice(0, -1).flatMap((m) => toContext(m) ?? []);
  return { ok: true, value: { model, stream, text: last.text, attachments, context: bound(context, limits) } };
}
