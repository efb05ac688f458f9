/** `npm ci` needs every optional platform package in the lockfile; `npm install` on a partial registry drops them. */

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
// @ts-expect-error -- a plain .mjs script without type declarations
import { missingOptionals, platformOf } from '../scripts/lock-platforms.mjs';

describe('package-lock.json', () => {
  it('lists every optional dependency, so npm ci accepts it on a fresh machine (fix: node scripts/lock-platforms.mjs)', () => {
    const lock: unknown = JSON.parse(readFileSync(new URL('../package-lock.json', import.meta.url), 'utf8'));
    expect(missingOptionals(lock)).toEqual([]);
  });

  it('reads platforms from package names', () => {
    expect(platformOf('@rollup/rollup-linux-arm64-musl')).toEqual({ os: ['linux'], cpu: ['arm64'], libc: ['musl'] });
    expect(platformOf('@deno/linux-arm64-glibc')).toEqual({ os: ['linux'], cpu: ['arm64'], libc: ['glibc'] });
    expect(platformOf('@rollup/rollup-win32-ia32-msvc')).toEqual({ os: ['win32'], cpu: ['ia32'] });
    expect(platformOf('left-pad')).toBeUndefined();
  });
});
