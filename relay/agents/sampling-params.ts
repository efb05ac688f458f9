/** How a chat's settings (system prompt, advertised params) reach each bridge's wire format. */

import type { AgentParam, ParamValue, TurnRequest, TurnSettings } from '../../shared/index.ts';

/** The sampling parameters an OpenAI-compatible server takes, advertised by the openai bridge. */
export const OPENAI_PARAMS: AgentParam[] = [
  { name: 'temperature', type: 'number', label: 'Temperature', min: 0, max: 2 },
  { name: 'top_p', type: 'number', label: 'Top p', min: 0, max: 1 },
  { name: 'max_tokens', type: 'integer', label: 'Max tokens', min: 1, max: 1_000_000 },
  { name: 'presence_penalty', type: 'number', label: 'Presence penalty', min: -2, max: 2 },
  { name: 'frequency_penalty', type: 'number', label: 'Frequency penalty', min: -2, max: 2 },
  { name: 'seed', type: 'integer', label: 'Seed' },
];

/** The body fields of a chat completion request for the turn's params (only the advertised ones, by name). */
export function openaiSampling(turn: TurnRequest): Record<string, ParamValue> {
  const params = turn.settings?.params ?? {};
  const out: Record<string, ParamValue> = {};
  for (const p of OPENAI_PARAMS) {
    const value = params[p.name];
    if (value !== undefined) out[p.name] = value;
  }
  return out;
}

/** The system prompt a turn runs with: the chat's own, else the relay's `--system-prompt`. */
export function systemPromptFor(turn: TurnRequest, fallback: string | undefined): string | undefined {
  return turn.settings?.system || fallback;
}

/**
 * The settings as frameworks that take free-form extras see them (AI SDK request `body`, AG-UI `forwardedProps`):
 * `model`, `system` and each param as a top-level field, the way `streamText({ temperature })` names them.
 */
export function forwardedSettings(turn: TurnRequest): Record<string, ParamValue> {
  const s: TurnSettings = turn.settings ?? {};
  const model = s.model ?? turn.model;
  return {
    ...(s.params ?? {}),
    ...(model !== undefined ? { model } : {}),
    ...(s.system ? { system: s.system } : {}),
  };
}
