/**
 * The blocks beyond a message's text — reasoning, tool calls, files, buttons, an agent's requests (approval cards,
 * question forms), steps, agent state, data parts and cited sources — in their own chunk, loaded the first time a
 * message shows one, so the first paint (plain text) does not wait for them. Their elements upgrade in place when it arrives (Lit keeps properties set before).
 */

import type { LocalMessage } from '../../state/types.ts';

let loading: Promise<unknown> | undefined;

/** Whether the message has any of these blocks. */
export function hasExtras(m: LocalMessage): boolean {
  return Boolean(
    m.reasoning ||
    m.tools?.length ||
    m.attachments?.length ||
    m.buttons?.length ||
    m.requests?.length ||
    m.steps?.length ||
    m.agent_state ||
    m.data?.length ||
    m.sources?.length,
  );
}

/** Starts loading the blocks' chunk once; resolves when they are defined. */
export function loadReplyExtras(): Promise<unknown> {
  loading ??= import('./reply-extras-chunk.ts').catch((err: unknown) => {
    // Offline before this chunk was cached: a later reply tries again.
    loading = undefined;
    throw err;
  });
  return loading;
}
