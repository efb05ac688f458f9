/** Maps a stream of Chat Completions chunks onto protocol events, streaming each tool call's arguments as they arrive. */

import { LIMITS, type AgentEvent } from '../../../shared/index.ts';
import { safeId } from '../http-endpoint.ts';
import type { CompletionChunk } from './chunk.ts';

interface PendingCall {
  index: number;
  id: string | undefined;
  name: string;
  /** Set once its `tool_call` went out; arguments before that (a server that names the tool late) wait here. */
  call_id: string | undefined;
  waiting: string;
}

/**
 * One mapper per turn. Text and reasoning pass straight through as `delta` and `reasoning_delta`.
 * A tool call arrives as pieces keyed by `index`: id and name first, then the JSON arguments in
 * fragments. The first piece that names the tool opens a `tool_call` with empty arguments, and each
 * fragment follows as a `tool_args_delta`, so users watch the arguments being written. The call is
 * complete when a later call starts, text follows it, the choice finishes, or the stream ends;
 * Parley does not run the tool, so a `tool_result` with status `done` closes it then.
 */
export class ChunkMapper {
  private readonly pending = new Map<number, PendingCall>();
  finishReason: string | undefined;
  usage: CompletionChunk['usage'];

  map(chunk: CompletionChunk): AgentEvent[] {
    const out: AgentEvent[] = [];
    if (chunk.usage) this.usage = chunk.usage;
    if (chunk.reasoning) out.push({ type: 'reasoning_delta', text: chunk.reasoning });
    for (const piece of chunk.toolCalls) {
      for (const call of [...this.pending.values()]) if (call.index < piece.index) out.push(...this.complete(call));
      const call = this.pending.get(piece.index) ?? {
        index: piece.index,
        id: undefined,
        name: '',
        call_id: undefined,
        waiting: '',
      };
      this.pending.set(piece.index, call);
      call.id ??= piece.id;
      if (piece.name && !call.call_id) call.name = piece.name;
      if (piece.arguments) call.waiting += piece.arguments;
      if (!call.call_id && call.name) out.push(...this.open(call));
      out.push(...this.args(call));
    }
    const text = (chunk.content ?? '') + (chunk.refusal ?? '');
    if (text) {
      out.push(...this.flush());
      out.push({ type: 'delta', text });
    }
    if (chunk.finishReason) {
      this.finishReason = chunk.finishReason;
      out.push(...this.flush());
    }
    return out;
  }

  /** Completes every call still being assembled (at `[DONE]`, or before text that follows calls). */
  flush(): AgentEvent[] {
    const calls = [...this.pending.values()].sort((a, b) => a.index - b.index);
    return calls.flatMap((call) => this.complete(call));
  }

  private open(call: PendingCall): AgentEvent[] {
    call.call_id = safeId(call.id, `call_${call.index}`);
    const name = (call.name || 'unnamed tool').slice(0, LIMITS.maxLabelChars);
    return [{ type: 'tool_call', call_id: call.call_id, name, arguments: '' }];
  }

  private args(call: PendingCall): AgentEvent[] {
    if (!call.call_id || !call.waiting) return [];
    const text = call.waiting;
    call.waiting = '';
    return [{ type: 'tool_args_delta', call_id: call.call_id, text }];
  }

  private complete(call: PendingCall): AgentEvent[] {
    this.pending.delete(call.index);
    const opened = call.call_id ? [] : this.open(call);
    return [...opened, ...this.args(call), { type: 'tool_result', call_id: call.call_id ?? '', status: 'done' }];
  }
}
