/** Holds a turn's reply to the message limits as agent output arrives, whichever agent produced it. */

import { buttonParser, dataPartParser, MAX_REQUESTS, sourceParser, stepParser } from '../../shared/parse-model.ts';
import { humanRequestParser } from '../../shared/parse/human-request.ts';
import {
  attachmentParser,
  ID_PATTERN,
  LIMITS,
  MESSAGE_LIMITS,
  type AgentEvent,
  type Attachment,
  type ChatMessage,
  AGENT_TITLE_CHARS,
} from '../../shared/index.ts';
import { valueBytes } from './json-size.ts';

/**
 * Room kept in a reply's frame for what is added after the last event: the envelope (type, chat, seq,
 * epoch), the status, an error of `maxErrorChars` with every character escaped, and pressed buttons.
 */
const END_RESERVE_BYTES = 32 * 1024;

/** Bytes a whole message takes serialized (as it would be sent inside a `message` frame). */
export function messageBytes(message: ChatMessage): number {
  return valueBytes(message);
}

/** Why an event cannot be folded into the reply, in words for the user; the turn ends with it. */
export type Refusal = string;

export class ReplyBudget {
  private bytes: number;
  private readonly maxBytes: number;

  constructor(message: ChatMessage, maxFrameBytes: number = LIMITS.maxFrameBytes) {
    this.bytes = messageBytes(message);
    // A relay configured with tiny frames keeps a quarter of each for the end rather than a negative budget.
    this.maxBytes = maxFrameBytes - Math.min(END_RESERVE_BYTES, Math.floor(maxFrameBytes / 4));
  }

  /** Admits `event` into `message` (counting it) or says which limit it would break. */
  admit(message: ChatMessage, event: AgentEvent): Refusal | undefined {
    const problem = this.check(message, event);
    if (problem) return problem;
    const added = this.cost(message, event);
    if (this.bytes + added > this.maxBytes) {
      return `The reply would be larger than ${this.maxBytes} bytes, the most one message can carry.`;
    }
    this.bytes += added;
    return undefined;
  }

  /** Checks an edit of another message: the edited message must still be one the relay can send. */
  admitEdit(target: ChatMessage, text: string): Refusal | undefined {
    if (text.length > MESSAGE_LIMITS.maxEditChars)
      return `An edit may set at most ${MESSAGE_LIMITS.maxEditChars} characters.`;
    if (messageBytes({ ...target, text }) > this.maxBytes) {
      return `The edited message would be larger than ${this.maxBytes} bytes, the most one message can carry.`;
    }
    return undefined;
  }

  private check(message: ChatMessage, event: AgentEvent): Refusal | undefined {
    const L = MESSAGE_LIMITS;
    switch (event.type) {
      case 'delta':
        return message.text.length + event.text.length > L.maxMessageChars
          ? `The reply is longer than ${L.maxMessageChars} characters.`
          : undefined;
      case 'reasoning_delta':
        return (message.reasoning?.length ?? 0) + event.text.length > L.maxReasoningChars
          ? `The reasoning is longer than ${L.maxReasoningChars} characters.`
          : undefined;
      case 'tool_call':
        if ((message.tools?.length ?? 0) >= L.maxToolCalls)
          return `The reply has more than ${L.maxToolCalls} tool calls.`;
        if (!ID_PATTERN.test(event.call_id)) return 'A tool call has an invalid call_id.';
        if (event.name.length > LIMITS.maxLabelChars)
          return `A tool name is longer than ${LIMITS.maxLabelChars} characters.`;
        return event.arguments.length > L.maxToolChars
          ? `A tool call's arguments are longer than ${L.maxToolChars} characters.`
          : undefined;
      case 'tool_output': {
        const tool = message.tools?.find((t) => t.call_id === event.call_id);
        return tool && tool.output.length + event.text.length > L.maxToolChars
          ? `A tool's output is longer than ${L.maxToolChars} characters.`
          : undefined;
      }
      case 'tool_result':
        return (event.result?.length ?? 0) > L.maxToolChars
          ? `A tool's result is longer than ${L.maxToolChars} characters.`
          : undefined;
      case 'file':
        return checkFile(message, event.attachment);
      case 'buttons': {
        const all = event.buttons.flat();
        if (
          event.buttons.length === 0 ||
          event.buttons.some((row) => row.length === 0) ||
          all.length > LIMITS.maxButtons
        )
          return `A reply may carry 1 to ${LIMITS.maxButtons} buttons, in non-empty rows.`;
        const bad = all.map((b, i) => buttonParser(b, `buttons[${i}]`)).find((r) => !r.ok);
        return bad && !bad.ok ? `The agent sent a button the relay cannot show: ${bad.error.message}.` : undefined;
      }
      case 'tool_args_delta': {
        const tool = message.tools?.find((t) => t.call_id === event.call_id);
        return tool && tool.arguments.length + event.text.length > L.maxToolChars
          ? `A tool call's arguments are longer than ${L.maxToolChars} characters.`
          : undefined;
      }
      case 'step': {
        if (event.status === 'started' && (message.steps?.length ?? 0) >= L.maxBlocks)
          return `The reply has more than ${L.maxBlocks} steps.`;
        return unreadable(stepParser({ name: event.name, status: 'running' }, 'step'), 'step');
      }
      case 'source':
        if ((message.sources?.length ?? 0) >= L.maxBlocks) return `The reply cites more than ${L.maxBlocks} sources.`;
        return unreadable(sourceParser(event.source, 'source'), 'source');
      case 'data_part':
        if ((message.data?.length ?? 0) >= L.maxBlocks) return `The reply has more than ${L.maxBlocks} data parts.`;
        return unreadable(dataPartParser(event.part, 'data_part'), 'data part');
      case 'state_snapshot':
      case 'typing':
      case 'message_edit':
        return undefined;
      case 'title':
        // Library agents hand over unparsed values: a title is a short line of text.
        return typeof event.title === 'string' && event.title.trim() !== '' && event.title.length <= AGENT_TITLE_CHARS
          ? undefined
          : `A chat title is 1 to ${AGENT_TITLE_CHARS} characters of text.`;
      case 'request': {
        if ((message.requests?.length ?? 0) >= MAX_REQUESTS)
          return `A reply may raise at most ${MAX_REQUESTS} requests.`;
        // Library agents hand over objects nobody parsed: the relay passes on only a request its clients can read.
        const parsed = humanRequestParser(event.request, 'request');
        return parsed.ok ? undefined : `The agent sent a request the relay cannot show: ${parsed.error.message}.`;
      }
    }
  }

  private cost(message: ChatMessage, event: AgentEvent): number {
    switch (event.type) {
      case 'delta':
        return valueBytes(event.text) - 2;
      case 'reasoning_delta':
        return valueBytes(event.text) + (message.reasoning === undefined ? 16 : 0);
      case 'tool_output':
        return valueBytes(event.text) - 2;
      case 'tool_call':
        return valueBytes(event) + 32;
      case 'tool_result':
        return valueBytes(event) + 16;
      case 'file':
        return valueBytes(event.attachment) + 16;
      case 'buttons':
        return valueBytes(event.buttons) + 16;
      case 'tool_args_delta':
        return valueBytes(event.text) - 2;
      case 'step':
      case 'source':
      case 'data_part':
        return valueBytes(event) + 16;
      case 'state_snapshot':
        // The new state replaces the old one, so only a larger one grows the reply.
        return Math.max(0, valueBytes(event.state) - valueBytes(message.agent_state ?? '')) + 16;
      case 'request':
        return valueBytes(event.request) + 16;
      case 'typing':
      case 'message_edit':
      case 'title':
        return 0;
    }
  }
}

function checkFile(message: ChatMessage, attachment: Attachment): Refusal | undefined {
  const files = message.attachments ?? [];
  if (files.length >= LIMITS.maxAttachments) return `The reply has more than ${LIMITS.maxAttachments} files.`;
  const parsed = attachmentParser()(attachment, 'file.attachment');
  if (!parsed.ok) return `The agent sent a file the relay cannot pass on: ${parsed.error.message}.`;
  const total = files.reduce((n, a) => n + a.size, 0) + attachment.size;
  return total > LIMITS.maxTotalAttachmentBytes
    ? `The reply's files add up to more than ${LIMITS.maxTotalAttachmentBytes} bytes.`
    : undefined;
}

/** What the clients' parser would refuse in a reply never reaches them: the turn ends saying why. */
function unreadable(
  parsed: { ok: true } | { ok: false; error: { message: string } },
  what: string,
): Refusal | undefined {
  return parsed.ok ? undefined : `The agent sent a ${what} the relay cannot pass on: ${parsed.error.message}.`;
}
