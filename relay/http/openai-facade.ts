/** The OpenAI-compatible facade: `/v1/models` and `/v1/chat/completions` onto the relay's agent, for SDKs and SillyTavern. */

import type { AgentInfo, Limits, TurnRequest } from '../../shared/index.ts';
import type { Agent } from '../core/agent.ts';
import type { RelayConfig } from '../config.ts';
import { constantTimeEqual, originAllowed, type TokenIssuer } from '../core/auth.ts';
import { newMessageId, newTurnId, randomId } from '../core/ids.ts';
import { relayLimits } from '../core/hub.ts';
import type { Logger } from '../core/logger.ts';
import { BodyTooLarge, type RequestInfo } from '../core/socket.ts';
import { completeOnce, streamCompletion } from './openai-completion.ts';
import { badRequest, errorBody, openAIError } from './openai-errors.ts';
import { parseCompletionRequest, type CompletionRequest } from './openai-request.ts';
import { json, type HttpResponse, type Route } from '../core/http.ts';

export interface FacadeDeps {
  agent: Agent;
  config: RelayConfig;
  issuer: TokenIssuer | undefined;
  logger: Logger;
  now: () => number;
}

/** Models a client may name: the agent's list, or else its one default (its model, or its name). */
function modelIds(info: AgentInfo): string[] {
  return info.models?.length ? info.models : [info.model ?? info.name];
}

export class OpenAIFacade implements Route {
  private readonly limits: Limits;

  constructor(private readonly deps: FacadeDeps) {
    this.limits = relayLimits(deps.config);
  }

  match(path: string): boolean {
    return path === '/v1' || path.startsWith('/v1/');
  }

  async handle(req: RequestInfo, path: string): Promise<HttpResponse> {
    // The same rules as the WebSocket endpoint: a page on another site must not drive a local agent.
    if (!originAllowed(req, this.deps.config)) {
      return openAIError(
        403,
        errorBody('This origin may not use the relay.', 'permission_error', 'origin_not_allowed'),
      );
    }
    // Echoed only once originAllowed said yes: a refused origin never gets an allow-origin header.
    const origin = req.header('origin');
    const cors: Record<string, string> = origin ? { 'access-control-allow-origin': origin, vary: 'origin' } : {};
    if (req.method === 'OPTIONS') return preflight(cors);
    if (!this.authorized(req)) {
      this.deps.logger.info('facade refused', { remote: req.remote, path });
      const body = errorBody(
        "Missing or wrong bearer token: send 'Authorization: Bearer <the relay's --token>'.",
        'invalid_request_error',
        'invalid_api_key',
      );
      return openAIError(401, body, { headers: { ...cors, 'www-authenticate': 'Bearer' } });
    }
    if (path === '/v1/models') return this.only(req, 'GET', cors) ?? this.models(cors);
    if (path.startsWith('/v1/models/')) return this.only(req, 'GET', cors) ?? this.model(path, cors);
    if (path === '/v1/chat/completions') return this.only(req, 'POST', cors) ?? this.completions(req, cors);
    return openAIError(404, errorBody(`Unknown endpoint ${req.method} ${path}.`, 'invalid_request_error', null), {
      headers: cors,
    });
  }

  /** Mirrors the client handshake: a token when the relay has one (static or issued), none otherwise. */
  private authorized(req: RequestInfo): boolean {
    const { config, issuer } = this.deps;
    if (config.token === undefined && issuer === undefined) return true;
    const auth = req.header('authorization') ?? '';
    const token = /^bearer /i.test(auth) ? auth.slice(7).trim() : '';
    if (!token) return false;
    if (config.token !== undefined && constantTimeEqual(token, config.token)) return true;
    return issuer?.take(token) ?? false;
  }

  private only(req: RequestInfo, method: string, cors: Record<string, string>): HttpResponse | undefined {
    if (req.method === method) return undefined;
    const body = errorBody(`Use ${method} for this endpoint.`, 'invalid_request_error', 'method_not_allowed');
    return openAIError(405, body, { headers: { ...cors, allow: method } });
  }

  private models(cors: Record<string, string>): HttpResponse {
    const data = modelIds(this.deps.agent.info()).map(modelObject);
    return json(200, { object: 'list', data }, cors);
  }

  private model(path: string, cors: Record<string, string>): HttpResponse {
    let id: string;
    try {
      id = decodeURIComponent(path.slice('/v1/models/'.length));
    } catch {
      id = path.slice('/v1/models/'.length);
    }
    if (modelIds(this.deps.agent.info()).includes(id)) return json(200, modelObject(id), cors);
    return openAIError(404, modelNotFound(id), { headers: cors });
  }

  private async completions(req: RequestInfo, cors: Record<string, string>): Promise<HttpResponse> {
    let raw: string;
    try {
      raw = await req.body(this.limits.maxFrameBytes);
    } catch (err) {
      if (!(err instanceof BodyTooLarge)) throw err;
      const body = errorBody(`The request body is larger than ${err.limit} bytes.`, 'invalid_request_error', null);
      return openAIError(413, body, { headers: { ...cors, connection: 'close' } });
    }
    const parsed = parseCompletionRequest(raw, this.limits);
    if (!parsed.ok) return withHeaders(badRequest(parsed.message), cors);
    const request = parsed.value;
    const info = this.deps.agent.info();
    if (!info.online) {
      const body = errorBody('The agent is not connected to the relay right now.', 'server_error', 'agent_unavailable');
      return openAIError(503, body, { headers: cors });
    }
    const ids = modelIds(info);
    // An agent that lists models gets only those; one without a list answers to any name.
    if (request.model !== undefined && info.models?.length && !ids.includes(request.model)) {
      return openAIError(404, modelNotFound(request.model), { headers: cors });
    }
    const run = {
      agent: this.deps.agent,
      turn: this.turn(request, info),
      model: request.model ?? info.model ?? ids[0] ?? info.name,
      id: `chatcmpl-${randomId(24)}`,
      created: Math.floor(this.deps.now() / 1000),
      logger: this.deps.logger,
    };
    this.deps.logger.info('facade completion', { remote: req.remote, model: run.model, stream: request.stream });
    return request.stream ? streamCompletion(run, cors) : completeOnce(run, cors, req.signal);
  }

  /** Each request is its own chat: the facade's clients send the whole conversation every time. */
  private turn(request: CompletionRequest, info: AgentInfo): TurnRequest {
    const message = {
      id: newMessageId(),
      role: 'user' as const,
      text: request.text,
      created_at: this.deps.now(),
      ...(request.attachments.length ? { attachments: request.attachments } : {}),
    };
    return {
      chat_id: `openai:${randomId(16)}`,
      turn_id: newTurnId(),
      message_id: newMessageId(),
      input: { kind: 'message', message },
      context: request.context,
      // Only a model the agent listed is passed on; an agent without a list chooses its own.
      ...(request.model !== undefined && info.models?.includes(request.model) ? { model: request.model } : {}),
    };
  }
}

function modelObject(id: string) {
  return { id, object: 'model', created: 0, owned_by: 'parley' };
}

function modelNotFound(id: string) {
  return errorBody(
    `The model \`${id}\` does not exist on this relay.`,
    'invalid_request_error',
    'model_not_found',
    'model',
  );
}

function withHeaders(res: HttpResponse, headers: Record<string, string>): HttpResponse {
  return { ...res, headers: { ...res.headers, ...headers } };
}

function preflight(cors: Record<string, string>): HttpResponse {
  return {
    status: 204,
    headers: {
      ...cors,
      'access-control-allow-methods': 'GET, POST, OPTIONS',
      'access-control-allow-headers': 'authorization, content-type',
      'access-control-max-age': '600',
    },
    body: '',
  };
}
