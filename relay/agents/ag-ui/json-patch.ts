/** Applies an AG-UI JSON Patch (RFC 6902) to agent state without touching the original, with a readable failure. */

import jsonPatch from 'fast-json-patch';
import type { JsonPatchOperation } from '@ag-ui/core';
import { TurnError } from '../../core/agent.ts';

/** The document after `patch`; the input is never changed. Prototype-polluting paths are refused by the library. */
export function applyJsonPatch(document: unknown, patch: readonly JsonPatchOperation[], what: string): unknown {
  try {
    return jsonPatch.applyPatch(structuredClone(document), [...patch], true, true, true).newDocument;
  } catch (err) {
    const reason = err instanceof Error ? err.message.split('\n')[0] : String(err);
    throw new TurnError(`The AG-UI agent sent a change to its ${what} that does not apply (${reason}).`);
  }
}
