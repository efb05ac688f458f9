// Adds lockfile entries for optional platform packages (other OSes/CPUs) that `npm install` left out.
// Without them `npm ci` refuses the lockfile ("Missing: … from lock file"); npm skips them at install
// time on other platforms anyway. This happens when the registry npm resolves against lacks those builds.
import { readFileSync, writeFileSync } from 'node:fs';

const OS = ['android', 'darwin', 'freebsd', 'linux', 'openbsd', 'openharmony', 'win32', 'sunos', 'aix', 'netbsd'];
const CPU = ['arm64', 'arm', 'x64', 'ia32', 'loong64', 'ppc64', 'riscv64', 's390x', 'mips64el', 'wasm32'];

/** Platform fields read from a package name such as `@rollup/rollup-linux-arm64-musl` or `@deno/win32-x64`. */
export function platformOf(name) {
  const parts = name.split('/').pop().split('-');
  const os = parts.find((p) => OS.includes(p));
  const cpu = parts.find((p) => CPU.includes(p));
  if (!os || !cpu) return undefined;
  const libc = parts.some((p) => p.startsWith('musl'))
    ? 'musl'
    : os === 'linux' && parts.some((p) => p === 'gnu' || p === 'glibc' || p.startsWith('gnueabi'))
      ? 'glibc'
      : undefined;
  return { os: [os], cpu: [cpu], ...(libc ? { libc: [libc] } : {}) };
}

export function missingOptionals(lock) {
  const packages = lock.packages ?? {};
  const missing = [];
  for (const [path, entry] of Object.entries(packages)) {
    for (const [name, version] of Object.entries(entry.optionalDependencies ?? {})) {
      const nested = `${path}/node_modules/${name}`;
      if (packages[nested] || packages[`node_modules/${name}`]) continue;
      missing.push({ key: `node_modules/${name}`, name, version, dev: entry.dev === true });
    }
  }
  return missing;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const file = 'package-lock.json';
  const lock = JSON.parse(readFileSync(file, 'utf8'));
  let added = 0;
  for (const m of missingOptionals(lock)) {
    const platform = platformOf(m.name);
    if (!platform) {
      console.error(`lock-platforms: cannot tell the platform of ${m.name}; left out`);
      continue;
    }
    lock.packages[m.key] = { version: m.version, ...(m.dev ? { dev: true } : {}), optional: true, ...platform };
    added++;
  }
  lock.packages = Object.fromEntries(
    Object.entries(lock.packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b))),
  );
  writeFileSync(file, `${JSON.stringify(lock, null, 2)}\n`);
  console.log(`lock-platforms: added ${added} optional platform entries`);
}
