/** Maps one AI SDK UI message stream (UIMessageChunk after UIMessageChunk) onto Parley agent events. */

import type { UIMessageChunk } from 'ai';
import { ATTACHMENT_MIME_TYPES, LIMITS, type AgentEvent, type Attachment } from '../../../shared/index.ts';
import { base64Size } from '../../../shared/parse-model.ts';
import { TurnError } from '../../core/agent.ts';
import type { Logger } from '../../core/logger.ts';
import { safeId } from '../http-endpoint.ts';

interface Call {
  call_id: string;
  name: string;
  arguments: string;
}

/** An approval the stream asked for, with the call it is about. */
export interface ApprovalAsked {
  approvalId: string;
  toolCallId: string;
  call: Call | undefined;
}

const DATA_URL = /^data:([a-z]+\/[a-z0-9.+-]+);base64,([A-Za-z0-9+/]*={0,2})$/i;

export class ChunkMapper {
  /** The `finish` chunk's reason, once it came. */
  finished: { reason: string | undefined } | undefined;
  readonly approvals: ApprovalAsked[] = [];
  private readonly calls = new Map<string, Call>();
  /** Tool calls the user answered in the request this stream answers: shown on this reply once their outcome comes. */
  private readonly answered = new Map<string, { name: string; arguments: string }>();
  private text = { part: '', wrote: false };
  private reasoning = { part: '', wrote: false };
  private steps = 0;
  private files = 0;

  constructor(private readonly logger: Logger) {}

  /**
   * The calls an approval answer resumes: the SDK runs (or denies) them first, and this reply shows how. `shown`:
   * the reply already holds their blocks (approved at once, in the turn that asked), so their outcome joins them.
   */
  expect(calls: readonly { toolCallId: string; toolName: string; arguments: string }[], shown = false): void {
    for (const c of calls) {
      if (!shown) this.answered.set(c.toolCallId, { name: c.toolName, arguments: c.arguments });
      else
        this.calls.set(c.toolCallId, {
          call_id: safeId(c.toolCallId, `call_${this.calls.size + 1}`),
          name: c.toolName,
          arguments: c.arguments,
        });
    }
  }

  map(chunk: UIMessageChunk): AgentEvent[] {
    if (chunk.type.startsWith('data-')) return this.data(chunk);
    switch (chunk.type) {
      case 'start':
      case 'message-metadata':
      case 'text-end':
      case 'reasoning-end':
        return [];
      case 'start-step':
        return this.startStep();
      case 'finish-step':
        // A one-step reply shows no progress line: steps are shown once there is a second.
        return this.steps > 1 ? [{ type: 'step', name: `Step ${this.steps}`, status: 'finished' }] : [];
      case 'finish':
        this.finished = { reason: chunk.finishReason };
        return [];
      case 'text-start':
        return this.paragraph(this.text, chunk.id, 'delta');
      case 'text-delta':
        return this.write(this.text, chunk.id, chunk.delta, 'delta');
      case 'reasoning-start':
        return this.paragraph(this.reasoning, chunk.id, 'reasoning_delta');
      case 'reasoning-delta':
        return this.write(this.reasoning, chunk.id, chunk.delta, 'reasoning_delta');
      case 'tool-input-start':
        return this.start(chunk.toolCallId, chunk.toolName);
      case 'tool-input-delta':
        return this.args(chunk.toolCallId, chunk.inputTextDelta);
      case 'tool-input-available': {
        const known = this.calls.get(chunk.toolCallId);
        const start = this.start(chunk.toolCallId, chunk.toolName);
        // A provider that does not stream the input sends it whole here only.
        const whole = known?.arguments ? [] : this.args(chunk.toolCallId, JSON.stringify(chunk.input ?? null));
        return [...start, ...whole];
      }
      case 'tool-input-error':
        return [
          ...this.start(chunk.toolCallId, chunk.toolName),
          ...this.end(chunk.toolCallId, 'error', `The tool input was not valid: ${chunk.errorText}`),
        ];
      case 'tool-output-available':
        // A preliminary output is replaced by the next one: only the final one is kept.
        if (chunk.preliminary) return [];
        return this.output(chunk.toolCallId, stringify(chunk.output));
      case 'tool-output-error':
        return this.end(chunk.toolCallId, 'error', chunk.errorText);
      case 'tool-output-denied':
        return this.end(chunk.toolCallId, 'error', 'The tool call was denied.');
      case 'tool-approval-request':
        this.approvals.push({
          approvalId: chunk.approvalId,
          toolCallId: chunk.toolCallId,
          call: this.calls.get(chunk.toolCallId),
        });
        return [];
      case 'source-url':
        return [source({ id: chunk.sourceId, url: chunk.url, title: chunk.title })];
      case 'source-document':
        return [
          source({ id: chunk.sourceId, title: chunk.title, media_type: chunk.mediaType, filename: chunk.filename }),
        ];
      case 'file':
        return this.file(chunk.url, chunk.mediaType);
      case 'error':
        throw new TurnError(`The agent reported an error: ${chunk.errorText}`);
      case 'abort':
        throw new TurnError(`The agent stopped this reply${chunk.reason ? ` (${chunk.reason})` : ''}.`);
    }
    return [];
  }

  /** Steps are the SDK's model calls: numbered, and shown from the second on (with the first, done, before it). */
  private startStep(): AgentEvent[] {
    const n = ++this.steps;
    if (n === 1) return [];
    const started: AgentEvent = { type: 'step', name: `Step ${n}`, status: 'started' };
    if (n > 2) return [started];
    return [
      { type: 'step', name: 'Step 1', status: 'started' },
      { type: 'step', name: 'Step 1', status: 'finished' },
      started,
    ];
  }

  private paragraph(
    stream: { part: string; wrote: boolean },
    id: string,
    type: 'delta' | 'reasoning_delta',
  ): AgentEvent[] {
    if (id === stream.part) return [];
    stream.part = id;
    return stream.wrote ? [{ type, text: '\n\n' }] : [];
  }

  private write(
    stream: { part: string; wrote: boolean },
    id: string,
    text: string,
    type: 'delta' | 'reasoning_delta',
  ): AgentEvent[] {
    const before = this.paragraph(stream, id, type);
    if (!text) return before;
    stream.wrote = true;
    return [...before, { type, text }];
  }

  private start(id: string, name: string): AgentEvent[] {
    if (this.calls.has(id)) return [];
    const call = {
      call_id: safeId(id, `call_${this.calls.size + 1}`),
      name: name.slice(0, LIMITS.maxLabelChars) || 'tool',
      arguments: '',
    };
    this.calls.set(id, call);
    return [{ type: 'tool_call', call_id: call.call_id, name: call.name, arguments: '' }];
  }

  private args(id: string, text: string): AgentEvent[] {
    const call = this.calls.get(id);
    if (!call || !text) return [];
    call.arguments += text;
    return [{ type: 'tool_args_delta', call_id: call.call_id, text }];
  }

  private output(id: string, text: string): AgentEvent[] {
    const shown = this.showAnswered(id);
    const call = this.calls.get(id);
    if (!call) return [];
    const out: AgentEvent[] = text ? [{ type: 'tool_output', call_id: call.call_id, text }] : [];
    return [...shown, ...out, { type: 'tool_result', call_id: call.call_id, status: 'done' }];
  }

  private end(id: string, status: 'done' | 'error', result: string): AgentEvent[] {
    const shown = this.showAnswered(id);
    const call = this.calls.get(id);
    return call ? [...shown, { type: 'tool_result', call_id: call.call_id, status, result }] : [];
  }

  /** An answered call this stream has not shown yet: its block, with the arguments the user decided on. */
  private showAnswered(id: string): AgentEvent[] {
    const asked = this.answered.get(id);
    if (!asked || this.calls.has(id)) return [];
    this.answered.delete(id);
    return [...this.start(id, asked.name), ...this.args(id, asked.arguments)];
  }

  /** A data part: its value as JSON text; the SDK's `transient` flag says it is shown, not kept. */
  private data(chunk: UIMessageChunk): AgentEvent[] {
    if (!('data' in chunk)) return [];
    const name = chunk.type.slice('data-'.length).slice(0, LIMITS.maxLabelChars) || 'data';
    const id = 'id' in chunk && typeof chunk.id === 'string' ? chunk.id : undefined;
    const transient = 'transient' in chunk && chunk.transient === true;
    const part = { name, data: stringify(chunk.data), ...(id ? { id } : {}), ...(transient ? { transient } : {}) };
    return [{ type: 'data_part', part }];
  }

  /** An inline file of an accepted type is attached; anything else (a link, an unaccepted type) is cited. */
  private file(url: string, mediaType: string): AgentEvent[] {
    const n = ++this.files;
    const m = DATA_URL.exec(url);
    const mime = (m?.[1] ?? mediaType).toLowerCase();
    if (m?.[2] !== undefined && ATTACHMENT_MIME_TYPES.includes(mime)) {
      const ext = mime.split('/')[1] ?? 'bin';
      const attachment: Attachment = {
        id: `file-${n}`,
        name: `file-${n}.${ext}`,
        mime,
        size: base64Size(m[2]),
        data: m[2],
      };
      return [{ type: 'file', attachment }];
    }
    this.logger.debug('ai-sdk file cited, not attached', { media_type: mediaType });
    const link = /^https?:\/\//i.test(url) ? url : undefined;
    return [source({ id: `file-${n}`, title: `File (${mediaType})`, media_type: mediaType, url: link })];
  }
}

/** A citation within what every client reads (`sourceParser`): over-long fields are cut, a link too long is dropped. */
function source(s: { id: string; url?: string; title?: string; media_type?: string; filename?: string }): AgentEvent {
  const clip = (text: string | undefined, max: number) => (text ? { value: text.slice(0, max) } : undefined);
  const title = clip(s.title, 1000);
  const media = clip(s.media_type, 100);
  const file = clip(s.filename, 255);
  return {
    type: 'source',
    source: {
      id: s.id.slice(0, 256) || 'source',
      ...(s.url && s.url.length <= 4096 ? { url: s.url } : {}),
      ...(title ? { title: title.value } : {}),
      ...(media ? { media_type: media.value } : {}),
      ...(file ? { filename: file.value } : {}),
    },
  };
}

function stringify(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value ?? null, null, 2);
}
