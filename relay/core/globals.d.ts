/**
 * The few runtime globals the relay core uses, typed for `relay/core/tsconfig.json` so the core compiles
 * without Node or Deno types. Both runtimes (and browsers) provide all of them; anything else a core file
 * reaches for fails that compile. Only that tsconfig includes this file: Node's own types cover the rest.
 */

/** Node returns a Timeout object (with `unref`), Deno a number. */
type CoreTimer = number | { unref(): void };
declare function setTimeout(handler: () => void, ms?: number): CoreTimer;
declare function clearTimeout(timer: CoreTimer | undefined): void;
declare function setInterval(handler: () => void, ms?: number): CoreTimer;
declare function clearInterval(timer: CoreTimer | undefined): void;

interface AbortSignal {
  readonly aborted: boolean;
  readonly reason: unknown;
  addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void;
  removeEventListener(type: 'abort', listener: () => void): void;
  throwIfAborted(): void;
}
interface AbortController {
  readonly signal: AbortSignal;
  abort(reason?: unknown): void;
}
declare const AbortController: { new (): AbortController; prototype: AbortController };

interface TextEncoder {
  encode(input?: string): Uint8Array<ArrayBuffer>;
}
declare const TextEncoder: { new (): TextEncoder; prototype: TextEncoder };

interface URLSearchParams {
  get(name: string): string | null;
}
declare const URLSearchParams: { new (init?: string): URLSearchParams; prototype: URLSearchParams };

declare const crypto: { getRandomValues<T extends Uint8Array<ArrayBuffer>>(array: T): T };
declare const console: { log(line: string): void };
