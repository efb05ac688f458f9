/** The fold of the events framework bridges produce: streamed arguments, steps, agent state, sources, data parts. */

import { describe, expect, it } from 'vitest';
import { foldEvent, type FoldableEvent } from './fold.ts';
import type { ChatMessage } from './model.ts';

const inTurn = { turn_id: 't1', message_id: 'm1' };
type TurnEvent = Exclude<Extract<FoldableEvent, { turn_id: string }>, { type: 'typing' }>;

function fold(...events: TurnEvent[]): ChatMessage {
  let m: ChatMessage | undefined;
  for (const e of events) m = foldEvent(m, e, 1);
  if (!m) throw new Error('no message');
  return m;
}

const start: TurnEvent = { type: 'turn_start', ...inTurn, reply_to: 'u1', created_at: 1 };

describe('foldEvent for bridged agents', () => {
  it('appends streamed arguments to their tool call, and ignores an unknown call', () => {
    const m = fold(
      start,
      { type: 'tool_call', ...inTurn, call_id: 'c1', name: 'search', arguments: '' },
      { type: 'tool_args_delta', ...inTurn, call_id: 'c1', text: '{"q":' },
      { type: 'tool_args_delta', ...inTurn, call_id: 'nope', text: 'lost' },
      { type: 'tool_args_delta', ...inTurn, call_id: 'c1', text: '"x"}' },
    );
    expect(m.tools).toEqual([{ call_id: 'c1', name: 'search', arguments: '{"q":"x"}', output: '', status: 'running' }]);
  });

  it('runs steps, ends the newest running one of a name, and closes the rest when the turn ends', () => {
    const running = fold(
      start,
      { type: 'step', ...inTurn, name: 'plan', status: 'started' },
      { type: 'step', ...inTurn, name: 'search', status: 'started' },
      { type: 'step', ...inTurn, name: 'plan', status: 'finished' },
      { type: 'step', ...inTurn, name: 'fetch', status: 'started' },
      { type: 'step', ...inTurn, name: 'fetch', status: 'failed' },
    );
    expect(running.steps).toEqual([
      { name: 'plan', status: 'done' },
      { name: 'search', status: 'running' },
      { name: 'fetch', status: 'error' },
    ]);
    const stopped = foldEvent(running, { type: 'turn_end', ...inTurn, status: 'stopped' });
    expect(stopped.steps?.[1]).toEqual({ name: 'search', status: 'error' });
    const done = foldEvent(running, { type: 'turn_end', ...inTurn, status: 'done' });
    expect(done.steps?.[1]).toEqual({ name: 'search', status: 'done' });
  });

  it('replaces the agent state, keeps each source once, and replaces a data part by name and id', () => {
    const m = fold(
      start,
      { type: 'state_snapshot', ...inTurn, state: '{"n":1}' },
      { type: 'state_snapshot', ...inTurn, state: '{"n":2}' },
      { type: 'source', ...inTurn, source: { id: 's1', url: 'https://a.example/' } },
      { type: 'source', ...inTurn, source: { id: 's1', url: 'https://a.example/' } },
      { type: 'data_part', ...inTurn, part: { name: 'weather', id: 'w', data: '{"t":1}' } },
      { type: 'data_part', ...inTurn, part: { name: 'weather', id: 'w', data: '{"t":2}' } },
      { type: 'data_part', ...inTurn, part: { name: 'weather', data: '{"t":3}' } },
    );
    expect(m.agent_state).toBe('{"n":2}');
    expect(m.sources).toEqual([{ id: 's1', url: 'https://a.example/' }]);
    expect(m.data).toEqual([
      { name: 'weather', id: 'w', data: '{"t":2}' },
      { name: 'weather', data: '{"t":3}' },
    ]);
  });

  it('shows transient data parts while the turn runs and drops them when it ends', () => {
    const running = fold(
      start,
      { type: 'data_part', ...inTurn, part: { name: 'progress', data: '50', transient: true } },
      { type: 'data_part', ...inTurn, part: { name: 'result', data: '"ok"' } },
    );
    expect(running.data?.map((d) => d.name)).toEqual(['progress', 'result']);
    const ended = foldEvent(running, { type: 'turn_end', ...inTurn, status: 'done' });
    expect(ended.data).toEqual([{ name: 'result', data: '"ok"' }]);
    const onlyTransient = fold(start, {
      type: 'data_part',
      ...inTurn,
      part: { name: 'p', data: '1', transient: true },
    });
    expect(foldEvent(onlyTransient, { type: 'turn_end', ...inTurn, status: 'done' })).not.toHaveProperty('data');
  });
});

describe('foldEvent for message versions', () => {
  it('a reply records the message it answers and, for a new version, its group', () => {
    expect(fold(start).reply_to).toBe('u1');
    expect(fold(start).version_of).toBeUndefined();
    const again = fold({ ...start, version_of: 'r0' } as TurnEvent, { type: 'delta', ...inTurn, text: 'hi' });
    expect(again).toMatchObject({ reply_to: 'u1', version_of: 'r0', text: 'hi' });
  });
});
