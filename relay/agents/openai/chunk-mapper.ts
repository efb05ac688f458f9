/** Maps a stream of Chat Completions chunks onto protocol events, assembling tool calls from their pieces. */

import { ID_PATTERN, LIMITS, type AgentEvent } from '../../../shared/index.ts';
import type { CompletionChunk } from './chunk.ts';

interface PendingCall {
  index: number;
  id: string | undefined;
  name: string;
  arguments: string;
}

/** Tool call ids reach every client, which checks them against the protocol's id grammar. */
function safeCallId(id: string | undefined, index: number): string {
  const cleaned = (id ?? '').replace(/[^A-Za-z0-9_.:-]/g, '_').slice(0, 128);
  return ID_PATTERN.test(cleaned) ? cleaned : `call_${index}`;
}

/**
 * One mapper per turn. Text and reasoning pass straight through as `delta` and `reasoning_delta`.
 * A tool call arrives as pieces keyed by `index` (id and name first, then the JSON arguments in
 * fragments); since a `tool_call` event carries whole arguments, it is emitted once the call is
 * complete: when a later call starts, text follows it, the choice finishes, or the stream ends.
 * Parley does not run the tool, so a `tool_result` with status `done` closes the call at once.
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
      const call = this.pending.get(piece.index) ?? { index: piece.index, id: undefined, name: '', arguments: '' };
      call.id ??= piece.id;
      if (piece.name) call.name = piece.name;
      if (piece.arguments) call.arguments += piece.arguments;
      this.pending.set(piece.index, call);
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

  private complete(call: PendingCall): AgentEvent[] {
    this.pending.delete(call.index);
    const call_id = safeCallId(call.id, call.index);
    return [
      {
        type: 'tool_call',
        call_id,
        name: (call.name || 'unnamed tool').slice(0, LIMITS.maxLabelChars),
        arguments: call.arguments,
      },
      { type: 'tool_result', call_id, status: 'done' },
    ];
  }
}
