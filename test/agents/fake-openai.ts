/** A local `node:http` server that answers like the OpenAI API, byte for byte: the only mock in these tests. */

import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the next `POST /v1/chat/completions` gets. */
export type Reply =
  /**
   * `data: …` events, then `data: [DONE]` unless `done: false`. `tail` is raw text written after the
   * events (half an event, say); `cut` then drops the TCP connection instead of ending the response.
   */
  | { kind: 'stream'; events: string[]; done?: boolean; tail?: string; cut?: boolean }
  /** The events, then nothing more until the client goes away (for stop). */
  | { kind: 'hold'; events: string[] }
  /** A plain HTTP answer: errors, or a body that is not a stream. */
  | { kind: 'http'; status: number; body: string; headers?: Record<string, string> };

export interface Recorded {
  method: string;
  path: string;
  authorization: string | undefined;
  body: unknown;
  /** Resolves when the client's connection for this request closes before the server finished answering. */
  aborted: Promise<void>;
}

const CREATED = 1741569952;
const ID = 'chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT';

/** One `chat.completion.chunk` exactly as api.openai.com streams it (gpt-4o, March 2025). */
export function chunk(delta: Record<string, unknown>, finishReason: string | null = null): string {
  return JSON.stringify({
    id: ID,
    object: 'chat.completion.chunk',
    created: CREATED,
    model: 'gpt-4o-2024-08-06',
    service_tier: 'default',
    system_fingerprint: 'fp_eb9dce56a8',
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
  });
}

/** The final chunk with `stream_options: {include_usage: true}`: no choices, only usage. */
export function usageChunk(prompt: number, completion: number): string {
  return JSON.stringify({
    id: ID,
    object: 'chat.completion.chunk',
    created: CREATED,
    model: 'gpt-4o-2024-08-06',
    service_tier: 'default',
    system_fingerprint: 'fp_eb9dce56a8',
    choices: [],
    usage: {
      prompt_tokens: prompt,
      completion_tokens: completion,
      total_tokens: prompt + completion,
      prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
      completion_tokens_details: {
        reasoning_tokens: 0,
        audio_tokens: 0,
        accepted_prediction_tokens: 0,
        rejected_prediction_tokens: 0,
      },
    },
  });
}

/** A text reply as the API streams it: role first, then content pieces, then the finish chunk. */
export function textStream(pieces: string[]): string[] {
  return [
    chunk({ role: 'assistant', content: '', refusal: null }),
    ...pieces.map((content) => chunk({ content })),
    chunk({}, 'stop'),
  ];
}

/** The API's error body: `{"error": {"message", "type", "param", "code"}}`. */
export function errorBody(message: string, type: string, code: string | null): string {
  return JSON.stringify({ error: { message, type, param: null, code } }, null, 4);
}

/** Writes and waits until the bytes are handed to the socket, so a cut afterwards cannot drop them. */
function write(res: ServerResponse, text: string): Promise<void> {
  return new Promise((resolve) => res.write(text, () => resolve()));
}

export class FakeOpenAI {
  readonly requests: Recorded[] = [];
  readonly replies: Reply[] = [];
  models = ['gpt-4o-mini', 'gpt-4o', 'o3-mini'];
  modelsStatus = 200;

  private constructor(
    private readonly server: ReturnType<typeof createServer>,
    readonly baseUrl: string,
  ) {}

  static async start(): Promise<FakeOpenAI> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    const fake = new FakeOpenAI(server, `http://127.0.0.1:${port}/v1`);
    server.on('request', (req, res) => void fake.handle(req, res));
    return fake;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  /** Completions requests so far, in order. */
  completions(): Recorded[] {
    return this.requests.filter((r) => r.path === '/v1/chat/completions');
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let raw = '';
    for await (const piece of req) raw += String(piece);
    const aborted = new Promise<void>((resolve) => res.on('close', () => !res.writableFinished && resolve()));
    const path = req.url ?? '/';
    this.requests.push({
      method: req.method ?? 'GET',
      path,
      authorization: req.headers.authorization,
      body: raw ? JSON.parse(raw) : undefined,
      aborted,
    });
    if (req.method === 'GET' && path === '/v1/models') return this.listModels(res);
    if (req.method !== 'POST' || path !== '/v1/chat/completions') {
      res.writeHead(404, { 'content-type': 'application/json; charset=utf-8' });
      return void res.end(errorBody(`Invalid URL (${req.method} ${path})`, 'invalid_request_error', null));
    }
    const reply = this.replies.shift() ?? { kind: 'stream', events: textStream(['(no scripted reply)']) };
    if (reply.kind === 'http') {
      res.writeHead(reply.status, { 'content-type': 'application/json; charset=utf-8', ...reply.headers });
      return void res.end(reply.body);
    }
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      'openai-processing-ms': '211',
    });
    for (const event of reply.events) await write(res, `data: ${event}\n\n`);
    if (reply.kind === 'hold') return;
    if (reply.tail) await write(res, reply.tail);
    if (reply.cut) return void res.socket?.destroy();
    if (reply.done !== false) await write(res, 'data: [DONE]\n\n');
    res.end();
  }

  private listModels(res: ServerResponse): void {
    res.writeHead(this.modelsStatus, { 'content-type': 'application/json; charset=utf-8' });
    if (this.modelsStatus !== 200) {
      return void res.end(errorBody('The server had an error while processing your request.', 'server_error', null));
    }
    const data = this.models.map((id) => ({ id, object: 'model', created: 1721172741, owned_by: 'system' }));
    res.end(JSON.stringify({ object: 'list', data }));
  }
}
