/** The AG-UI event types the server tests do not send: chunked tool calls, activities, subagents, encrypted reasoning. */

import { EventType, type Event } from '@ag-ui/core';
import { describe, expect, it } from 'vitest';
import { TurnError } from '../../core/agent.ts';
import { createLogger } from '../../core/logger.ts';
import { AgUiMapper } from './event-mapper.ts';

function mapper() {
  const logs: string[] = [];
  const memory = { state: undefined, messages: undefined, resume: [] };
  return {
    m: new AgUiMapper(
      memory,
      createLogger('debug', (line) => logs.push(line)),
    ),
    logs,
    memory,
  };
}

describe('AgUiMapper', () => {
  it('opens a TOOL_CALL_CHUNK call once and streams its deltas, an id-less chunk continuing the last call', () => {
    const { m } = mapper();
    const events: Event[] = [
      { type: EventType.TOOL_CALL_CHUNK, toolCallId: 'c 1', toolCallName: 'lookup', delta: '{"a":' },
      { type: EventType.TOOL_CALL_CHUNK, delta: '1}' },
      { type: EventType.TOOL_CALL_RESULT, messageId: 'x', toolCallId: 'c 1', content: [{ type: 'text', text: 'one' }] },
    ];
    expect(events.flatMap((e) => m.map(e))).toEqual([
      { type: 'tool_call', call_id: 'c_1', name: 'lookup', arguments: '' },
      { type: 'tool_args_delta', call_id: 'c_1', text: '{"a":' },
      { type: 'tool_args_delta', call_id: 'c_1', text: '1}' },
      { type: 'tool_output', call_id: 'c_1', text: 'one' },
      { type: 'tool_result', call_id: 'c_1', status: 'done' },
    ]);
  });

  it('shows activities as data parts (snapshot, merged snapshot, JSON Patch delta) and subagents as steps', () => {
    const { m } = mapper();
    const out = [
      m.map({ type: EventType.ACTIVITY_SNAPSHOT, messageId: 'a1', activityType: 'PLAN', content: { steps: 1 } }),
      m.map({
        type: EventType.ACTIVITY_SNAPSHOT,
        messageId: 'a1',
        activityType: 'PLAN',
        content: { done: 0 },
        replace: false,
      }),
      m.map({
        type: EventType.ACTIVITY_DELTA,
        messageId: 'a1',
        activityType: 'PLAN',
        patch: [{ op: 'replace', path: '/done', value: 1 }],
      }),
      m.map({ type: EventType.SUBAGENT_STARTED, subagentRunId: 's1', name: 'researcher' }),
      m.map({ type: EventType.SUBAGENT_ERROR, subagentRunId: 's1', message: 'no network' }),
      m.map({ type: EventType.SUBAGENT_FINISHED, subagentRunId: 'unknown' }),
    ].flat();
    expect(out).toEqual([
      { type: 'data_part', part: { name: 'PLAN', id: 'a1', data: '{"steps":1}' } },
      { type: 'data_part', part: { name: 'PLAN', id: 'a1', data: '{"steps":1,"done":0}' } },
      { type: 'data_part', part: { name: 'PLAN', id: 'a1', data: '{"steps":1,"done":1}' } },
      { type: 'step', name: 'researcher (subagent)', status: 'started' },
      { type: 'step', name: 'researcher (subagent)', status: 'failed' },
    ]);
  });

  it('keeps encrypted reasoning out of the reply, and logs what it ignores', () => {
    const { m, logs } = mapper();
    const out = m.map({
      type: EventType.REASONING_ENCRYPTED_VALUE,
      subtype: 'message',
      entityId: 'r1',
      encryptedValue: 'opaque',
    });
    expect(out).toEqual([]);
    expect(m.map({ type: EventType.CUSTOM, name: 'usage', value: { tokens: 3 } })).toEqual([]);
    expect(logs.join('\n')).toMatch(/ag-ui event ignored.*CUSTOM.*usage/);
  });

  it('ends the turn readably for a state patch that does not apply, and for a cancelled run', async () => {
    const { m } = mapper();
    expect(() => m.map({ type: EventType.STATE_DELTA, delta: [{ op: 'remove', path: '/missing' }] })).toThrow(
      TurnError,
    );
    m.map({ type: EventType.RUN_FINISHED, threadId: 't', runId: 'r', outcome: { type: 'cancelled' } });
    expect(m.end).toEqual({ type: 'cancelled' });
  });
});
