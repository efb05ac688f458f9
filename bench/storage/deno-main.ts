/** Run by the storage benchmark under Deno: the own log and Deno's built-in `node:sqlite`, printed as JSON. */

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ownLog, sqlite } from './engines.ts';
import { measure } from './workload.ts';

const dir = mkdtempSync(join(tmpdir(), 'parley-storage-deno-'));
try {
  const own = ownLog(join(dir, 'own'));
  const ownFigures = await measure(own);
  await own.close();
  // Node 20's types have no node:sqlite, so it is imported by a computed name and checked.
  const mod: unknown = await import(['node', 'sqlite'].join(':'));
  const DatabaseSync = typeof mod === 'object' && mod !== null ? Reflect.get(mod, 'DatabaseSync') : undefined;
  if (typeof DatabaseSync !== 'function') throw new Error('this runtime has no node:sqlite');
  // DatabaseSync has the exec, prepare and close the adapter uses.
  const handle = Reflect.construct(DatabaseSync, [join(dir, 'sqlite.db')]) as Parameters<typeof sqlite>[1];
  const db = sqlite('SQLite (node:sqlite, Deno)', handle);
  const sqliteFigures = await measure(db);
  await db.close();
  console.log(JSON.stringify({ own: ownFigures, sqlite: sqliteFigures }));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
