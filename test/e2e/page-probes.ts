/** Measurements taken inside the page for layout e2e tests: deep queries through shadow roots, hit tests, focus. */

import type { Page } from 'playwright-core';

/** A box as getBoundingClientRect gives it. */
export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Installs `window.__probe` (deep query, deep hit test, deep focus) once per document. */
export async function installProbes(page: Page): Promise<void> {
  await page.evaluate(() => {
    const all = (root: Document | ShadowRoot, selector: string, out: Element[] = []): Element[] => {
      out.push(...root.querySelectorAll(selector));
      for (const el of root.querySelectorAll('*')) if (el.shadowRoot) all(el.shadowRoot, selector, out);
      return out;
    };
    /** The innermost element at a point, looking through shadow roots (the top layer counts, inert does not). */
    const hit = (x: number, y: number): Element | null => {
      let el = document.elementFromPoint(x, y);
      while (el?.shadowRoot) {
        const inner = el.shadowRoot.elementFromPoint(x, y);
        if (!inner || inner === el) break;
        el = inner;
      }
      return el;
    };
    const active = (): Element | null => {
      let el = document.activeElement;
      while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
      return el;
    };
    /** Whether `inner` is `outer` or inside it, crossing shadow roots and slots. */
    const within = (inner: Node | null, outer: Element): boolean => {
      for (let n: Node | null = inner; n;) {
        if (n === outer) return true;
        n = n instanceof Element && n.assignedSlot ? n.assignedSlot : (n.parentNode ?? null);
        if (n instanceof ShadowRoot) n = n.host;
      }
      return false;
    };
    /** Each selector is matched inside the shadow roots of what the one before it found: ('chat-view', '.scroller'). */
    const find = (...selectors: string[]): Element[] => {
      let found: Element[] = [];
      let roots: (Document | ShadowRoot | Element)[] = [document];
      for (const selector of selectors) {
        found = roots.flatMap((r) => (r instanceof Element ? [...r.querySelectorAll(selector)] : all(r, selector)));
        roots = found.map((el) => el.shadowRoot ?? el);
      }
      return found;
    };
    Object.assign(window, { __probe: { all, find, hit, active, within } });
  });
}

/** The type of `window.__probe` inside page functions. */
export interface Probe {
  all(root: Document | ShadowRoot, selector: string): Element[];
  find(...selectors: string[]): Element[];
  hit(x: number, y: number): Element | null;
  active(): Element | null;
  within(inner: Node | null, outer: Element): boolean;
}

declare global {
  interface Window {
    __probe: Probe;
  }
}
