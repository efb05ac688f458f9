/** Entry point: boots the state, mounts the shell, then (off the critical path) the service worker and lazy chunks. */

import { AppCore } from './state/app-core.ts';
import { loadRenderer } from './ui/chat/markdown-view.ts';
import './ui/shell/parley-app.ts';
import { applyTheme } from './ui/shell/apply-theme.ts';

async function main(): Promise<void> {
  const app = document.querySelector('parley-app');
  if (!app) return;
  const core = await AppCore.boot({
    onDraft: (chatId, text) => app.draftFromTab(chatId, text),
    onCleared: () => applyTheme('system'),
  });
  app.attach(core);
  // The relay side (connection, outbox sender, frame parsers) is a chunk of its own: it loads once the shell is on
  // screen, and a message sent before it is here is written and queued all the same (SyncFront).
  void app.updateComplete.then(() => core.start());
  // Fetch the markdown renderer right away but without blocking first paint of the shell.
  void loadRenderer();
  const idle = window.requestIdleCallback ?? ((fn: () => void) => setTimeout(fn, 200));
  idle(() => {
    void import('./pwa/register-sw.ts').then(async ({ registerServiceWorker, requestPersistence }) => {
      await requestPersistence();
      await registerServiceWorker((handle) => app.offerUpdate(handle));
    });
    // Prefetched so that an old page never needs an old chunk after a new version was deployed.
    void import('./ui/dialogs/settings-dialog.ts');
  });
}

void main();
