/** What the sidebar shows of a chat, from its workspace record and this device's own copy: the rules every device applies alike. */

/// <reference types="mocha" />
import { expect } from '@esm-bundle/chai';
import type { WorkspaceRecord } from '../../shared/index.ts';
import { sessionView } from './session-view.ts';
import type { Session } from './types.ts';

const local: Session = {
  id: 'c-1',
  title: 'what this device read first',
  titled: false,
  pinned: false,
  created_at: 10,
  updated_at: 50,
  preview: 'the latest reply',
};
const at = (n: number) => `${String(n).padStart(15, '0')}.000000.n`;
const record = (fields: Record<string, string | number | boolean>): WorkspaceRecord => ({
  chat: 'c-1',
  fields: Object.fromEntries(Object.entries(fields).map(([k, value], i) => [k, { value, at: at(i + 1) }])),
});

describe('sessionView', () => {
  it("names a chat by the user's title, else by its creator's first message, the same on every device", () => {
    expect(sessionView(local, record({ auto_title: 'from the creator' }))?.title).to.equal('from the creator');
    expect(sessionView(local, record({ auto_title: 'from the creator', title: 'Mine' }))).to.include({
      title: 'Mine',
      titled: true,
    });
    // Only a chat the workspace knows nothing of is named by this device's own guess.
    expect(sessionView(local, undefined)?.title).to.equal('what this device read first');
  });

  it("names a chat by the agent's title over the first message's, never over the user's own", () => {
    const agent = { auto_title: 'from the creator', agent_title: 'Named by the agent' };
    expect(sessionView(local, record(agent))?.title).to.equal('Named by the agent');
    // Written before or after the agent's, the user's title wins: the field outranks, whatever the clocks say.
    expect(sessionView(local, record({ title: 'Mine', ...agent }))?.title).to.equal('Mine');
    expect(sessionView(local, record({ ...agent, title: 'Mine' }))?.title).to.equal('Mine');
  });

  it('shows nothing of a deleted chat, whatever this device holds of it', () => {
    expect(sessionView(local, record({ title: 'Gone', deleted: true }))).to.equal(undefined);
    expect(sessionView(undefined, record({ created: 1, title: 'Back', deleted: false }))?.title).to.equal('Back');
    // A pin or a setting alone names no chat.
    expect(sessionView(undefined, record({ 'pin/m1': true }))).to.equal(undefined);
  });

  it('takes the pin from the workspace, and recency and preview from whichever is newer', () => {
    const synced = record({ pinned: true, active_at: 40, preview: 'an older send elsewhere' });
    expect(sessionView(local, synced)).to.include({ pinned: true, updated_at: 50, preview: 'the latest reply' });
    const newer = record({ created: 5, active_at: 90, preview: 'a newer send elsewhere' });
    expect(sessionView(local, newer)).to.include({ updated_at: 90, preview: 'a newer send elsewhere' });
    // A device that never followed the chat has only the workspace's note.
    expect(sessionView(undefined, newer)).to.include({
      id: 'c-1',
      title: 'New chat',
      preview: 'a newer send elsewhere',
    });
  });
});
