/** The data directory of a file store: created if missing, claimed by one relay (`relay.pid`), holding the epoch. */

import {
  closeSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import process from 'node:process';
import { newEpoch } from '../core/ids.ts';
import { errorText, FileStore, fsyncDir, type FileStoreOptions } from './file-store.ts';

const EPOCH_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

/** Writes a small file so it is either all there or not at all. */
function writeAtomically(path: string, text: string, dir: string): void {
  writeFileSync(`${path}.tmp`, text);
  const fd = openSync(`${path}.tmp`, 'r+');
  fsyncSync(fd);
  closeSync(fd);
  renameSync(`${path}.tmp`, path);
  fsyncDir(dir);
}

/**
 * The pid in this file when that process is alive and not this one (two relays on one directory would interleave
 * records). Deno answers only with --allow-run; without it the check is skipped.
 */
function heldByOther(pidFile: string): number | undefined {
  let pid: number;
  try {
    pid = Number(readFileSync(pidFile, 'utf8').trim());
  } catch {
    return undefined;
  }
  if (!Number.isSafeInteger(pid) || pid <= 0 || pid === process.pid) return undefined;
  try {
    process.kill(pid, 0);
    return pid;
  } catch (err) {
    // EPERM: it exists, under another user.
    return err instanceof Error && 'code' in err && err.code === 'EPERM' ? pid : undefined;
  }
}

/** Opens (creating if needed) the data directory; returns the store, or why the relay cannot start with it. */
export function openFileStore(options: FileStoreOptions): FileStore | string {
  const { dir } = options;
  const chats = join(dir, 'chats');
  try {
    mkdirSync(chats, { recursive: true });
    const pidFile = join(dir, 'relay.pid');
    const other = heldByOther(pidFile);
    if (other !== undefined)
      return `--data-dir ${dir} is in use by another relay (pid ${other}); if none runs there, delete ${pidFile}`;
    writeFileSync(pidFile, `${process.pid}\n`);
    const epochFile = join(dir, 'epoch');
    let epoch: string;
    try {
      epoch = readFileSync(epochFile, 'utf8').trim();
      if (!EPOCH_PATTERN.test(epoch)) return `--data-dir ${dir}: the epoch file is damaged ("${epoch.slice(0, 40)}")`;
    } catch {
      epoch = newEpoch();
      writeAtomically(epochFile, `${epoch}\n`, dir);
    }
    let bytes = 0;
    const names = readdirSync(chats).filter((n) => n.endsWith('.log'));
    for (const name of names) bytes += statSync(join(chats, name)).size;
    return new FileStore(options, chats, epoch, names.length, bytes);
  } catch (err) {
    return `--data-dir ${dir} cannot be used: ${errorText(err)}`;
  }
}
