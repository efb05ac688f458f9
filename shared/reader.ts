/** A field reader that validates untrusted JSON objects into typed values without casts. */

import type { ErrorCode, ProtocolError, Result } from './errors.ts';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { readonly [key: string]: unknown };
export type ItemParser<T> = (value: unknown, path: string) => Result<T>;

interface StrOptions {
  max: number;
  min?: number;
  pattern?: RegExp;
  /** Error code when the pattern or length check fails (default `invalid_field`). */
  code?: ErrorCode;
}

interface IntOptions {
  min?: number;
  max?: number;
}

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Reads fields of one object. The first problem is remembered and later reads return
 * harmless placeholders, so a parser reads straight through and calls `result()` once.
 */
export class Reader {
  error: ProtocolError | undefined;

  constructor(
    private readonly obj: JsonObject,
    private readonly path: string,
  ) {}

  /** Own properties only: a `__proto__` key in JSON is data, never a prototype. */
  private get(key: string): unknown {
    return Object.hasOwn(this.obj, key) ? this.obj[key] : undefined;
  }

  fail(key: string, what: string, code: ErrorCode = 'invalid_field'): void {
    this.error ??= { code, message: `${this.path}.${key} ${what}` };
  }

  /** The unvalidated value of a field, for handing to a nested parser. */
  raw(key: string): unknown {
    return this.get(key);
  }

  has(key: string): boolean {
    return this.get(key) !== undefined;
  }

  str(key: string, opts: StrOptions): string {
    const v = this.get(key);
    if (typeof v !== 'string') {
      this.fail(key, v === undefined ? 'is required' : 'must be a string');
      return '';
    }
    if (v.length > opts.max) {
      this.fail(key, `is longer than ${opts.max} characters`, opts.code);
    } else if (v.length < (opts.min ?? 0)) {
      this.fail(key, `is shorter than ${opts.min ?? 0} characters`, opts.code);
    } else if (opts.pattern && !opts.pattern.test(v)) {
      this.fail(key, `does not match ${String(opts.pattern)}`, opts.code);
    }
    return v;
  }

  optStr(key: string, opts: StrOptions): string | undefined {
    return this.has(key) ? this.str(key, opts) : undefined;
  }

  int(key: string, opts: IntOptions = {}): number {
    const v = this.get(key);
    const min = opts.min ?? 0;
    const max = opts.max ?? Number.MAX_SAFE_INTEGER;
    if (typeof v !== 'number' || !Number.isSafeInteger(v)) {
      this.fail(key, v === undefined ? 'is required' : 'must be an integer');
      return min;
    }
    if (v < min || v > max) this.fail(key, `must be between ${min} and ${max}`);
    return v;
  }

  optInt(key: string, opts: IntOptions = {}): number | undefined {
    return this.has(key) ? this.int(key, opts) : undefined;
  }

  bool(key: string): boolean {
    const v = this.get(key);
    if (typeof v !== 'boolean') {
      this.fail(key, v === undefined ? 'is required' : 'must be true or false');
      return false;
    }
    return v;
  }

  optBool(key: string): boolean | undefined {
    return this.has(key) ? this.bool(key) : undefined;
  }

  oneOf<T extends string>(key: string, values: readonly T[]): T {
    const v = this.get(key);
    const found = values.find((x) => x === v);
    if (found === undefined) {
      this.fail(key, `must be one of ${values.join(', ')}`);
      return values[0] as T;
    }
    return found;
  }

  optOneOf<T extends string>(key: string, values: readonly T[]): T | undefined {
    return this.has(key) ? this.oneOf(key, values) : undefined;
  }

  /** An array whose items each pass `item`; the first bad item's error wins. */
  arr<T>(key: string, item: ItemParser<T>, max: number, code: ErrorCode = 'invalid_field'): T[] {
    const v = this.get(key);
    if (!Array.isArray(v)) {
      this.fail(key, v === undefined ? 'is required' : 'must be an array');
      return [];
    }
    if (v.length > max) {
      this.fail(key, `has more than ${max} items`, code);
      return [];
    }
    const out: T[] = [];
    for (let i = 0; i < v.length; i++) {
      const r = item(v[i], `${this.path}.${key}[${i}]`);
      if (!r.ok) {
        this.error ??= r.error;
        return [];
      }
      out.push(r.value);
    }
    return out;
  }

  optArr<T>(key: string, item: ItemParser<T>, max: number, code?: ErrorCode): T[] | undefined {
    return this.has(key) ? this.arr(key, item, max, code) : undefined;
  }

  /** A nested value read with an item parser. */
  nested<T>(key: string, item: ItemParser<T>, fallback: T): T {
    const r = item(this.get(key), `${this.path}.${key}`);
    if (!r.ok) {
      this.error ??= r.error;
      return fallback;
    }
    return r.value;
  }

  result<T>(value: T): Result<T> {
    return this.error ? { ok: false, error: this.error } : { ok: true, value };
  }
}

/** Builds an item parser for objects from a function that reads their fields. */
export function objectParser<T>(read: (r: Reader) => T): ItemParser<T> {
  return (value, path) => {
    if (!isObject(value)) return { ok: false, error: { code: 'invalid_field', message: `${path} must be an object` } };
    const r = new Reader(value, path);
    const out = read(r);
    return r.result(out);
  };
}

export function stringParser(opts: StrOptions): ItemParser<string> {
  return (value, path) => {
    if (typeof value !== 'string' || value.length > opts.max || (opts.pattern && !opts.pattern.test(value))) {
      return { ok: false, error: { code: opts.code ?? 'invalid_field', message: `${path} is not a valid string` } };
    }
    return { ok: true, value };
  };
}

/** Drops keys whose value is `undefined`, so optional fields stay absent rather than present-but-empty. */
export function compact<T extends object>(value: T): T {
  for (const key of Object.keys(value) as (keyof T)[]) {
    if (value[key] === undefined) delete value[key];
  }
  return value;
}
