/** The HTTP endpoints a relay built from the command-line table plugs into the core: facade, token issuing, client files. */

import type { RelayConfig } from '../config.ts';
import type { Agent } from '../core/agent.ts';
import { authorizeIssue, TokenIssuer } from '../core/auth.ts';
import { json, text, type Route } from '../core/http.ts';
import type { Logger } from '../core/logger.ts';
import { OpenAIFacade } from './openai-facade.ts';
import { serveStatic, type StaticFiles } from './static-files.ts';

export const TOKEN_PATH = '/auth/token';

export interface HttpPluginDeps {
  agent: Agent;
  config: RelayConfig;
  logger: Logger;
  now?: () => number;
  /** The built client to serve at `/`; omit to serve no files. */
  files?: StaticFiles;
}

/** The routes and the token issuer they share with the handshake, ready to spread into `RelayOptions`. */
export function httpPlugins(deps: HttpPluginDeps): { routes: Route[]; issuer?: TokenIssuer } {
  const { agent, config, logger, now = Date.now, files } = deps;
  const issuer = config.tokenIssueSecret ? new TokenIssuer(config.tokenTtlSec * 1000, now) : undefined;
  const routes: Route[] = [
    tokenRoute(issuer, config.tokenIssueSecret, logger),
    new OpenAIFacade({ agent, config, issuer, logger, now }),
  ];
  if (files) routes.push(staticRoute(files));
  return { routes, ...(issuer ? { issuer } : {}) };
}

/** `POST /auth/token`: a fresh client token for a caller holding the issue secret. */
export function tokenRoute(issuer: TokenIssuer | undefined, secret: string | undefined, logger: Logger): Route {
  return {
    match: (path) => path === TOKEN_PATH,
    handle(req) {
      if (!issuer || !secret) return text(404, 'token issuing is not enabled');
      if (req.method !== 'POST' && req.method !== 'GET') return text(405, 'use POST');
      if (!authorizeIssue(req, secret)) {
        logger.info('token issue refused', { remote: req.remote });
        return text(401, 'bad or missing secret');
      }
      return json(200, issuer.issue());
    },
  };
}

/** `GET`/`HEAD` of anything else: the built client, or 404 when no such file. */
export function staticRoute(files: StaticFiles): Route {
  return {
    match: (_path, method) => method === 'GET' || method === 'HEAD',
    async handle(req, path) {
      return (await serveStatic(files, path, req)) ?? text(404, 'not found');
    },
  };
}
