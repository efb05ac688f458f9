/** Storage failures turned into messages a user can act on. */

export type StorageErrorKind = 'quota' | 'blocked' | 'unavailable' | 'closed' | 'unknown';

export class StorageError extends Error {
  constructor(
    readonly kind: StorageErrorKind,
    message: string,
  ) {
    super(message);
    this.name = 'StorageError';
  }
}

function errorName(err: unknown): string {
  if (err instanceof DOMException || err instanceof Error) return err.name;
  return '';
}

/** Maps a DOMException from IndexedDB to a StorageError with a sentence a user understands. */
export function toStorageError(err: unknown, during: 'open' | 'write'): StorageError {
  if (err instanceof StorageError) return err;
  const name = errorName(err);
  const detail = err instanceof Error ? err.message : String(err);
  if (name === 'QuotaExceededError') {
    return new StorageError(
      'quota',
      'The browser refused to store more data (storage is full). Delete old chats or free disk space; new messages are not being saved.',
    );
  }
  if (name === 'InvalidStateError' && during === 'write') {
    return new StorageError('closed', 'The local database was closed by a newer version of Parley. Reload this tab.');
  }
  if (during === 'open') {
    return new StorageError(
      'unavailable',
      `This browser does not let Parley store data here (private browsing or storage disabled): ${detail}. Chats will work but vanish when the tab closes.`,
    );
  }
  return new StorageError('unknown', `Saving to the local database failed: ${detail}`);
}
