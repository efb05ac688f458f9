/**
 * An AI SDK chat route for tests, built with the `ai` package itself: the request's UIMessages are validated and
 * converted by the SDK, `streamText` runs on its MockLanguageModelV3, and the answer is its UI message stream.
 */

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  convertToModelMessages,
  createUIMessageStream,
  createUIMessageStreamResponse,
  jsonSchema,
  stepCountIs,
  streamText,
  tool,
  validateUIMessages,
  type UIMessage,
  type UIMessageStreamWriter,
} from 'ai';
import { MockLanguageModelV3, simulateReadableStream } from 'ai/test';
import type { LanguageModelV3StreamPart } from '@ai-sdk/provider';

/** One request's answer: the model's stream parts for each step, and what the route writes itself. */
export interface Route {
  steps?: LanguageModelV3StreamPart[][];
  /** Written before the model's stream (data parts, as a route's own code would). */
  before?: (writer: UIMessageStreamWriter) => void;
  /** Instead of the SDK: raw SSE text (bad streams). */
  raw?: string;
  /** A model stream that never ends until the client goes away. */
  hang?: LanguageModelV3StreamPart[];
  /** The model's stream waits for this before it starts (what `before` wrote is already out). */
  gate?: Promise<void>;
}

export interface Received {
  id: string;
  trigger: string;
  messages: UIMessage[];
}

const search = tool({
  description: 'Search the web',
  inputSchema: jsonSchema<{ q: string }>({ type: 'object', properties: { q: { type: 'string' } }, required: ['q'] }),
  execute: ({ q }) => Promise.resolve(`3 hits for ${q}`),
});

const deleteFile = tool({
  description: 'Delete a file',
  inputSchema: jsonSchema<{ path: string }>({
    type: 'object',
    properties: { path: { type: 'string' } },
    required: ['path'],
  }),
  needsApproval: true,
  execute: () => Promise.resolve('deleted'),
});

export const usage = {
  inputTokens: { total: 3, noCache: 3, cacheRead: undefined, cacheWrite: undefined },
  outputTokens: { total: 5, text: 5, reasoning: undefined },
};

export function finish(unified: 'stop' | 'tool-calls' = 'stop'): LanguageModelV3StreamPart {
  return { type: 'finish', usage, finishReason: { unified, raw: unified } };
}

export class AiSdkServer {
  readonly received: Received[] = [];
  readonly routes: Route[] = [];
  aborted = 0;

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(): Promise<AiSdkServer> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const self = new AiSdkServer(server, `http://127.0.0.1:${port}/api/chat`);
    server.on('request', (req: IncomingMessage, res: ServerResponse) => void self.handle(req, res));
    return self;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let body = '';
    for await (const chunk of req) body += String(chunk);
    if (req.url !== '/api/chat') {
      res.writeHead(404, { 'content-type': 'application/json' });
      return void res.end(JSON.stringify({ error: `no route ${req.url ?? ''}` }));
    }
    const parsed = JSON.parse(body) as { id: string; trigger: string; messages: unknown };
    const messages = await validateUIMessages({ messages: parsed.messages });
    this.received.push({ id: parsed.id, trigger: parsed.trigger, messages });
    const route = this.routes.shift() ?? {};
    const gone = new AbortController();
    res.on('close', () => {
      if (!res.writableFinished) {
        this.aborted++;
        gone.abort();
      }
    });
    if (route.raw !== undefined) {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'x-vercel-ai-ui-message-stream': 'v1' });
      res.end(route.raw);
      return;
    }
    const steps = route.steps ?? [];
    const model = new MockLanguageModelV3({
      doStream: async (options) => {
        await route.gate;
        const step = options.prompt.filter((m) => m.role === 'assistant').length;
        const parts = route.hang ?? steps[Math.min(step, steps.length - 1)] ?? [finish()];
        const stream = route.hang ? hanging(parts, options.abortSignal) : simulateReadableStream({ chunks: parts });
        return Promise.resolve({ stream });
      },
    });
    const stream = createUIMessageStream({
      execute: async ({ writer }) => {
        route.before?.(writer);
        const result = streamText({
          model,
          messages: await convertToModelMessages(messages),
          tools: { search, delete_file: deleteFile },
          allowSystemInMessages: true,
          stopWhen: stepCountIs(3),
          abortSignal: gone.signal,
          // The error reaches the client as an `error` chunk; the route need not print it too.
          onError: () => undefined,
        });
        writer.merge(result.toUIMessageStream({ sendReasoning: true, sendSources: true, onError: String }));
      },
      onError: String,
    });
    await send(createUIMessageStreamResponse({ stream }), res);
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.closeAllConnections();
      this.server.close(() => resolve());
    });
  }
}

/** The parts, then nothing until the request is aborted. */
function hanging(parts: LanguageModelV3StreamPart[], signal: AbortSignal | undefined) {
  return new ReadableStream<LanguageModelV3StreamPart>({
    start(controller) {
      for (const p of parts) controller.enqueue(p);
      signal?.addEventListener('abort', () => controller.error(signal.reason));
    },
  });
}

/** Writes a Fetch `Response` (what a Next.js route returns) to a node:http response. */
async function send(response: Response, res: ServerResponse): Promise<void> {
  res.writeHead(response.status, Object.fromEntries(response.headers));
  if (!response.body) return void res.end();
  try {
    for await (const bytes of response.body) {
      if (res.destroyed) break;
      res.write(bytes);
    }
  } catch {
    // The client went away: the route's stream was aborted with it.
  }
  res.end();
}
