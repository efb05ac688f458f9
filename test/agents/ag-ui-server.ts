/** An AG-UI agent server for tests, written with the protocol's own packages: @ag-ui/core checks each request, @ag-ui/encoder writes each event. */

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { BaseEvent, RunAgentInput } from '@ag-ui/core';
import { RunAgentInputSchema } from '@ag-ui/core/schemas';
import { EventEncoder } from '@ag-ui/encoder';

/** What a scripted run may do: send events, write raw text, wait for the client to go away. */
export interface RunControls {
  input: RunAgentInput;
  send(event: BaseEvent): void;
  raw(text: string): void;
  /** Resolves when the client closes the connection (Parley's stop aborts the fetch). */
  closed: Promise<void>;
}

export type Script = (run: RunControls) => Promise<void> | void;

export class AgUiServer {
  /** Every RunAgentInput received, as validated by @ag-ui/core. */
  readonly inputs: RunAgentInput[] = [];
  readonly scripts: Script[] = [];
  /** How many runs ended because the client went away before the script finished. */
  aborted = 0;

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(): Promise<AgUiServer> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const self = new AgUiServer(server, `http://127.0.0.1:${port}/agent`);
    server.on('request', (req: IncomingMessage, res: ServerResponse) => void self.handle(req, res));
    return self;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let body = '';
    for await (const chunk of req) body += String(chunk);
    const parsed = RunAgentInputSchema.safeParse(JSON.parse(body));
    if (!parsed.success) {
      res.writeHead(422, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: parsed.error.message }));
      return;
    }
    const input = parsed.data;
    this.inputs.push(input);
    const script = this.scripts.shift();
    if (!script) {
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: 'no script for this run' }));
      return;
    }
    const encoder = new EventEncoder({ accept: req.headers.accept ?? '' });
    res.writeHead(200, { 'content-type': encoder.getContentType(), 'cache-control': 'no-cache' });
    const closed = new Promise<void>((resolve) =>
      res.on('close', () => {
        if (!res.writableFinished) this.aborted++;
        resolve();
      }),
    );
    await script({
      input,
      send: (event) => res.write(encoder.encode(event)),
      raw: (text) => res.write(text),
      closed,
    });
    res.end();
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.closeAllConnections();
      this.server.close(() => resolve());
    });
  }
}
