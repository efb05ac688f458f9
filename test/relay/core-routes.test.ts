/** The core answers HTTP through the routes plugged into it, and keeps `/healthz` and the Host check its own. */

import { describe, expect, it } from 'vitest';
import { DEFAULTS } from '../../relay/config.ts';
import type { Agent } from '../../relay/core/agent.ts';
import { text, type Route } from '../../relay/core/http.ts';
import { Relay } from '../../relay/core/relay.ts';
import { createLogger } from '../../relay/core/logger.ts';
import type { RequestInfo } from '../../relay/core/socket.ts';

const agent: Agent = { info: () => ({ name: 'x', capabilities: [], online: true }), async *run() {} };

function request(url: string, method = 'GET', host = '127.0.0.1'): RequestInfo {
  return {
    method,
    url,
    header: (name) => (name === 'host' ? host : undefined),
    remote: '127.0.0.1',
    secure: false,
    body: async () => '',
    signal: new AbortController().signal,
  };
}

describe('Relay routes', () => {
  it('asks the plugged-in routes in order, and answers 404 when none matches', async () => {
    const seen: string[] = [];
    const route = (prefix: string): Route => ({
      match: (path) => path.startsWith(prefix),
      handle: (_req, path) => {
        seen.push(`${prefix} ${path}`);
        return text(200, prefix);
      },
    });
    const relay = new Relay({
      config: DEFAULTS,
      agent,
      logger: createLogger('silent'),
      routes: [route('/a'), route('/a/b')],
    });
    expect((await relay.handleHttp(request('/a/b/?q=1'))).body).toBe('/a');
    expect(seen).toEqual(['/a /a/b']);
    expect((await relay.handleHttp(request('/v1/models'))).status).toBe(404);
    await relay.close();
  });

  it('keeps /healthz and the Host check before any route', async () => {
    const everything: Route = { match: () => true, handle: () => text(200, 'route') };
    const relay = new Relay({ config: DEFAULTS, agent, logger: createLogger('silent'), routes: [everything] });
    expect((await relay.handleHttp(request('/healthz'))).status).toBe(200);
    expect((await relay.handleHttp(request('/healthz'))).body).toContain('"epoch"');
    expect((await relay.handleHttp(request('/x', 'GET', 'evil.example'))).status).toBe(421);
    expect((await relay.handleHttp(request('/ws'))).status).toBe(426);
    await relay.close();
  });
});
