/** Registers the service worker through workbox-window and offers updates; switching versions always reloads the page. */

import type { TrustedScriptURL, TrustedTypesWindow } from 'trusted-types/lib';

const WORKER = './sw.js';
let workerPolicy: { createScriptURL(url: string): TrustedScriptURL } | undefined;

/**
 * Under `require-trusted-types-for 'script'` (the relay's CSP) registering a worker takes a TrustedScriptURL.
 * The "parley-sw" policy blesses exactly one URL: the worker this build ships.
 */
function workerUrl(): string | TrustedScriptURL {
  const factory = (window as Window & Partial<TrustedTypesWindow>).trustedTypes;
  if (!factory) return WORKER;
  const policy = (workerPolicy ??= factory.createPolicy('parley-sw', {
    createScriptURL: (url: string) => {
      if (url !== WORKER) throw new TypeError(`parley-sw only allows ${WORKER}, not ${url}`);
      return url;
    },
  }));
  return policy.createScriptURL(WORKER);
}

export interface UpdateHandle {
  /** Activates the waiting version; the page reloads once it controls this tab. */
  apply(): void;
}

/**
 * The new worker waits until the user agrees, and any change of controller (from this tab or another one)
 * reloads the page, so a page never runs old code against new cached assets or the other way round.
 */
export async function registerServiceWorker(onUpdate: (handle: UpdateHandle) => void): Promise<void> {
  if (!('serviceWorker' in navigator)) return;
  const { Workbox } = await import('workbox-window');
  const wb = new Workbox(workerUrl(), { scope: './' });
  let reloading = false;
  const reload = () => {
    if (reloading) return;
    reloading = true;
    location.reload();
  };
  wb.addEventListener('waiting', () => onUpdate({ apply: () => wb.messageSkipWaiting() }));
  // A page that was already controlled gets a new controller only when a new version activated (here or in
  // another tab): reload into it. The very first install (no controller before) just takes over quietly.
  const hadController = navigator.serviceWorker.controller !== null;
  navigator.serviceWorker.addEventListener('controllerchange', () => {
    if (hadController) reload();
  });
  await wb.register();
  const check = () => void wb.update().catch(() => undefined);
  document.addEventListener('visibilitychange', () => document.visibilityState === 'visible' && check());
  setInterval(check, 60 * 60 * 1000);
}

/** Asks the browser not to evict Parley's data under storage pressure. */
export async function requestPersistence(): Promise<boolean> {
  try {
    if (await navigator.storage?.persisted?.()) return true;
    return (await navigator.storage?.persist?.()) ?? false;
  } catch {
    return false;
  }
}
