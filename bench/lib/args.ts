/** Command-line flags of `npm run bench`. */

import { IMPLS } from '../fanout/messages.ts';
import type { Options } from './bench.ts';

export const USAGE = `Usage: npm run bench -- [flags]

  --only a,b          run only these benchmarks: fanout, memory, render, history, bundle, replay, coldstart,
                      structure, firstload, storage
  --skip a,b          run all but these
  --runs N            repeat each measurement N times and report medians (default 3)
  --chats N           fan-out: chats (default 100)
  --subs N            fan-out: subscribers per chat (default 10)
  --seconds N         fan-out: seconds measured per phase (default 4)
  --fanout-servers a,b  fan-out: which set-ups (parley, parley-single, parley-deno, parley-redis,
                      parley-disk, ws, socketio; default all)
  --fanout-rate N     fan-out: delivered tokens/s of the fixed-rate phase, the same for every server
                      (default: half of each server's own max)
  --memory 1000,5000  memory: idle connection counts
  --render-chars N    render: length of the streamed reply (default 32000)
  --render-rate N     render: tokens per second (default 1000)
  --render-naive-cap S  render: stop the quadratic naive baseline after S seconds and report a lower
                      bound (default 120; 0 runs it to the end, about 3 to 6 minutes at 32k)
  --render-samples a,b  render: which replies (prose, math, diagram; default all three)
  --history 100,1000,5000  history: session lengths
  --replay-tokens N   replay: tokens in the finished reply (default 10000)
  --structure-sends N     structure: messages sent and counted (default 5)
  --structure-chats N     structure: stored chats when connecting (default 200)
  --structure-messages N  structure: messages per stored chat (default 500)
  --storage-candidates DIR  storage: also measure better-sqlite3, lmdb and classic-level installed in DIR
  --json PATH         where to write the raw results (default build/bench-results.json)
  --quiet             no progress lines
  --help`;

export type Parsed =
  | { ok: true; help: boolean; options: Options; only: string[]; json: string | undefined }
  | { ok: false; error: string };

export const DEFAULT_OPTIONS: Options = {
  runs: 3,
  chats: 100,
  subscribers: 10,
  seconds: 4,
  memorySizes: [1000, 5000],
  renderChars: 32_000,
  renderRate: 1000,
  renderNaiveCapSec: 120,
  renderSamples: ['prose', 'math', 'diagram'],
  historySizes: [100, 1000, 5000],
  replayTokens: 10_000,
  structureSends: 5,
  structureChats: 200,
  structureMessages: 500,
  storageCandidates: undefined,
  fanoutServers: [...IMPLS],
  fanoutRate: undefined,
  verbose: true,
};

function positiveInt(raw: string | undefined, flag: string): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${flag} needs a positive integer, got ${raw ?? 'nothing'}`);
  return n;
}

function list(raw: string | undefined, flag: string): string[] {
  if (!raw) throw new Error(`${flag} needs a value`);
  return raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

export function parseArgs(argv: readonly string[], names: readonly string[]): Parsed {
  const options: Options = { ...DEFAULT_OPTIONS };
  let only = [...names];
  let json: string | undefined;
  let help = false;
  try {
    for (let i = 0; i < argv.length; i++) {
      const flag = argv[i] ?? '';
      const value = () => argv[++i];
      switch (flag) {
        case '--only':
        case '--skip': {
          const picked = list(value(), flag);
          const unknown = picked.filter((p) => !names.includes(p));
          if (unknown.length) throw new Error(`unknown benchmark ${unknown.join(', ')}`);
          only = flag === '--only' ? names.filter((n) => picked.includes(n)) : only.filter((n) => !picked.includes(n));
          break;
        }
        case '--runs':
          options.runs = positiveInt(value(), flag);
          break;
        case '--chats':
          options.chats = positiveInt(value(), flag);
          break;
        case '--subs':
          options.subscribers = positiveInt(value(), flag);
          break;
        case '--seconds':
          options.seconds = positiveInt(value(), flag);
          break;
        case '--fanout-servers': {
          const picked = list(value(), flag);
          const unknown = picked.filter((p) => !IMPLS.some((i) => i === p));
          if (unknown.length) throw new Error(`${flag}: unknown set-up ${unknown.join(', ')}`);
          options.fanoutServers = IMPLS.filter((i) => picked.includes(i));
          break;
        }
        case '--fanout-rate':
          options.fanoutRate = positiveInt(value(), flag);
          break;
        case '--memory':
          options.memorySizes = list(value(), flag).map((s) => positiveInt(s, flag));
          break;
        case '--render-chars':
          options.renderChars = positiveInt(value(), flag);
          break;
        case '--render-rate':
          options.renderRate = positiveInt(value(), flag);
          break;
        case '--render-naive-cap': {
          const n = Number(value());
          if (!Number.isInteger(n) || n < 0) throw new Error(`${flag} needs seconds (0 for no cap)`);
          options.renderNaiveCapSec = n;
          break;
        }
        case '--render-samples': {
          const picked = list(value(), flag);
          const known = ['prose', 'math', 'diagram'] as const;
          const samples = known.filter((k) => picked.includes(k));
          if (samples.length !== picked.length) throw new Error(`${flag} takes prose, math, diagram`);
          options.renderSamples = samples;
          break;
        }
        case '--history':
          options.historySizes = list(value(), flag).map((s) => positiveInt(s, flag));
          break;
        case '--replay-tokens':
          options.replayTokens = positiveInt(value(), flag);
          break;
        case '--structure-sends':
          options.structureSends = positiveInt(value(), flag);
          break;
        case '--structure-chats':
          options.structureChats = positiveInt(value(), flag);
          break;
        case '--structure-messages':
          options.structureMessages = positiveInt(value(), flag);
          break;
        case '--storage-candidates':
          options.storageCandidates = value();
          if (!options.storageCandidates) throw new Error('--storage-candidates needs a directory');
          break;
        case '--json':
          json = value();
          if (!json) throw new Error('--json needs a path');
          break;
        case '--quiet':
          options.verbose = false;
          break;
        case '--help':
        case '-h':
          help = true;
          break;
        default:
          throw new Error(`unknown flag ${flag}`);
      }
    }
  } catch (err) {
    return { ok: false, error: err instanceof Error ? err.message : String(err) };
  }
  return { ok: true, help, options, only, json };
}
