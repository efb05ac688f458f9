/**
 * Every keyboard shortcut, in one table: the shell's and the image viewer's handlers match keys through it and
 * the `?` dialog lists it, so what the dialog says is what the keys do.
 *
 * None is a browser's own: no Ctrl/⌘ with N, T, W, Tab, L, R, D, F or a digit; Alt is never used with ← or →
 * (back and forward). Keys without Ctrl/⌘ or Alt act only outside text fields, where they would type.
 */

export type AppShortcut =
  'help' | 'search' | 'new-chat' | 'next-chat' | 'previous-chat' | 'chat-settings' | 'focus-composer' | 'stop';
export type ViewerShortcut = 'zoom-in' | 'zoom-out' | 'zoom-reset' | 'pan' | 'next-image' | 'download';
export type ShortcutId = AppShortcut | ViewerShortcut;

export interface Shortcut<Id extends ShortcutId = ShortcutId> {
  id: Id;
  /** What the dialog shows, key by key ("mod" is Ctrl, or ⌘ on Apple devices). */
  keys: string[][];
  label: string;
  /** Whether it also works while typing in a text field (it has a modifier, or is Esc). */
  inFields: boolean;
  matches(e: KeyboardEvent): boolean;
}

const mod = (e: KeyboardEvent) => (e.ctrlKey || e.metaKey) && !(e.ctrlKey && e.metaKey);
const bare = (e: KeyboardEvent) => !e.ctrlKey && !e.metaKey && !e.altKey;

export const APP_SHORTCUTS: Shortcut<AppShortcut>[] = [
  {
    id: 'help',
    keys: [['?']],
    label: 'Show keyboard shortcuts',
    inFields: false,
    matches: (e) => !e.ctrlKey && !e.metaKey && !e.altKey && e.key === '?',
  },
  {
    id: 'search',
    keys: [['mod', 'K']],
    label: 'Search all chats',
    inFields: true,
    matches: (e) => mod(e) && !e.altKey && !e.shiftKey && e.key.toLowerCase() === 'k',
  },
  {
    id: 'new-chat',
    keys: [['Alt', 'Shift', 'N']],
    label: 'New chat',
    inFields: true,
    // By code: on a Mac, Option+Shift+N types a character, so `key` is not "N".
    matches: (e) => e.altKey && e.shiftKey && !e.ctrlKey && !e.metaKey && e.code === 'KeyN',
  },
  {
    id: 'next-chat',
    keys: [['Alt', '↓']],
    label: 'Next chat in the list',
    inFields: true,
    matches: (e) => e.altKey && !e.shiftKey && !e.ctrlKey && !e.metaKey && e.key === 'ArrowDown',
  },
  {
    id: 'previous-chat',
    keys: [['Alt', '↑']],
    label: 'Previous chat in the list',
    inFields: true,
    matches: (e) => e.altKey && !e.shiftKey && !e.ctrlKey && !e.metaKey && e.key === 'ArrowUp',
  },
  {
    id: 'chat-settings',
    keys: [['Alt', 'Shift', 'S']],
    label: "This chat's settings (model, system prompt, parameters)",
    inFields: true,
    // By code, like New chat: Option+Shift+S types a character on a Mac.
    matches: (e) => e.altKey && e.shiftKey && !e.ctrlKey && !e.metaKey && e.code === 'KeyS',
  },
  {
    id: 'focus-composer',
    keys: [['/']],
    label: 'Write a message (focus the message field)',
    inFields: false,
    matches: (e) => bare(e) && e.key === '/',
  },
  {
    id: 'stop',
    keys: [['Esc']],
    label: 'Stop the reply (first closes the chat list or pinned messages, if open)',
    inFields: true,
    matches: (e) => bare(e) && !e.shiftKey && e.key === 'Escape',
  },
];

export const VIEWER_SHORTCUTS: Shortcut<ViewerShortcut>[] = [
  {
    id: 'zoom-in',
    keys: [['+']],
    label: 'Zoom in (also the wheel, a pinch or a double click)',
    inFields: true,
    matches: (e) => !e.ctrlKey && !e.metaKey && (e.key === '+' || e.key === '='),
  },
  {
    id: 'zoom-out',
    keys: [['−']],
    label: 'Zoom out',
    inFields: true,
    matches: (e) => !e.ctrlKey && !e.metaKey && (e.key === '-' || e.key === '_'),
  },
  {
    id: 'zoom-reset',
    keys: [['0']],
    label: 'Fit the image to the screen',
    inFields: true,
    matches: (e) => bare(e) && e.key === '0',
  },
  {
    id: 'pan',
    keys: [['↑'], ['↓'], ['←'], ['→']],
    label: 'Move around a zoomed image (or drag it)',
    inFields: true,
    matches: (e) => bare(e) && /^Arrow(?:Up|Down|Left|Right)$/.test(e.key),
  },
  {
    id: 'next-image',
    keys: [['←'], ['→']],
    label: 'Previous or next image, when not zoomed',
    inFields: true,
    matches: (e) => bare(e) && (e.key === 'ArrowLeft' || e.key === 'ArrowRight'),
  },
  {
    id: 'download',
    keys: [['D']],
    label: 'Download the image with its own name',
    inFields: true,
    matches: (e) => bare(e) && e.key.toLowerCase() === 'd',
  },
];

/** The first shortcut of `table` the event matches. */
export function matchShortcut<Id extends ShortcutId>(table: Shortcut<Id>[], e: KeyboardEvent): Id | undefined {
  return table.find((s) => s.matches(e))?.id;
}

/** A key as this device names it: ⌘ and ⌥ on Apple devices, Ctrl and Alt elsewhere. */
export function keyName(key: string, apple: boolean): string {
  if (key === 'mod') return apple ? '⌘' : 'Ctrl';
  if (key === 'Alt') return apple ? '⌥' : 'Alt';
  if (key === 'Shift') return apple ? '⇧' : 'Shift';
  return key;
}

export const isApple = (): boolean => /Mac|iPhone|iPad/.test(navigator.platform || navigator.userAgent);
