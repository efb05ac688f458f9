/** The AI SDK chunk types the route tests do not produce: tool failures and denials, files, documents, aborts. */

import type { UIMessageChunk } from 'ai';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../core/logger.ts';
import { TurnError } from '../../core/agent.ts';
import { ChunkMapper } from './chunk-mapper.ts';

const PNG = 'iVBORw0KGgo=';

function map(...chunks: UIMessageChunk[]) {
  const logs: string[] = [];
  const mapper = new ChunkMapper(createLogger('debug', (line) => logs.push(line)));
  return { events: chunks.flatMap((c) => mapper.map(c)), mapper, logs };
}

describe('ChunkMapper', () => {
  it('closes tool calls as failed for input errors, output errors and denials, keeping only final outputs', () => {
    const { events } = map(
      { type: 'tool-input-error', toolCallId: 'a', toolName: 'calc', input: '{', errorText: 'bad JSON' },
      { type: 'tool-input-start', toolCallId: 'b', toolName: 'fetch' },
      { type: 'tool-input-available', toolCallId: 'b', toolName: 'fetch', input: { url: 'x' } },
      { type: 'tool-output-available', toolCallId: 'b', output: 'partial', preliminary: true },
      { type: 'tool-output-error', toolCallId: 'b', errorText: 'timeout' },
      { type: 'tool-input-available', toolCallId: 'c', toolName: 'rm', input: {} },
      { type: 'tool-output-denied', toolCallId: 'c' },
    );
    expect(events).toEqual([
      { type: 'tool_call', call_id: 'a', name: 'calc', arguments: '' },
      { type: 'tool_result', call_id: 'a', status: 'error', result: 'The tool input was not valid: bad JSON' },
      { type: 'tool_call', call_id: 'b', name: 'fetch', arguments: '' },
      { type: 'tool_args_delta', call_id: 'b', text: '{"url":"x"}' },
      { type: 'tool_result', call_id: 'b', status: 'error', result: 'timeout' },
      { type: 'tool_call', call_id: 'c', name: 'rm', arguments: '' },
      { type: 'tool_args_delta', call_id: 'c', text: '{}' },
      { type: 'tool_result', call_id: 'c', status: 'error', result: 'The tool call was denied.' },
    ]);
  });

  it('attaches inline files of accepted types and cites the rest; documents become citations', () => {
    const { events } = map(
      { type: 'file', url: `data:image/png;base64,${PNG}`, mediaType: 'image/png' },
      { type: 'file', url: 'https://cdn.example/report.svg', mediaType: 'image/svg+xml' },
      { type: 'source-document', sourceId: 'd1', mediaType: 'application/pdf', title: 'Spec', filename: 'spec.pdf' },
      { type: 'message-metadata', messageMetadata: { any: 1 } },
      { type: 'start', messageId: 'x' },
    );
    expect(events).toEqual([
      { type: 'file', attachment: { id: 'file-1', name: 'file-1.png', mime: 'image/png', size: 8, data: PNG } },
      {
        type: 'source',
        source: {
          id: 'file-2',
          url: 'https://cdn.example/report.svg',
          title: 'File (image/svg+xml)',
          media_type: 'image/svg+xml',
        },
      },
      { type: 'source', source: { id: 'd1', title: 'Spec', media_type: 'application/pdf', filename: 'spec.pdf' } },
    ]);
  });

  it('turns an abort chunk into a readable end, and remembers approvals with their call', () => {
    const { mapper } = map(
      { type: 'tool-input-start', toolCallId: 'k', toolName: 'pay' },
      { type: 'tool-input-delta', toolCallId: 'k', inputTextDelta: '{"eur":5}' },
      { type: 'tool-approval-request', approvalId: 'ap1', toolCallId: 'k' },
    );
    expect(mapper.approvals).toEqual([
      { approvalId: 'ap1', toolCallId: 'k', call: { call_id: 'k', name: 'pay', arguments: '{"eur":5}' } },
    ]);
    expect(() => mapper.map({ type: 'abort', reason: 'server shutting down' })).toThrow(
      new TurnError('The agent stopped this reply (server shutting down).'),
    );
  });
});
