import { describe, expect, it } from 'vitest';
import { checkParams, paramProblem } from './param-check.ts';
import { agentParamParser, turnSettingsParser } from './parse/settings.ts';
import type { AgentParam } from './settings.ts';

const PARAMS: AgentParam[] = [
  { name: 'temperature', type: 'number', min: 0, max: 2 },
  { name: 'max_tokens', type: 'integer', min: 1 },
  { name: 'stream', type: 'boolean' },
  { name: 'stop', type: 'string' },
  { name: 'style', type: 'enum', options: ['plain', 'playful'] },
];

describe('checkParams', () => {
  it('accepts values inside what the agent advertises', () => {
    expect(
      checkParams(PARAMS, { temperature: 2, max_tokens: 5, stream: false, stop: '\n', style: 'plain' }),
    ).toBeUndefined();
  });
  it.each([
    [{ temperature: 2.5 }, 'params.temperature must be at most 2'],
    [{ temperature: -1 }, 'params.temperature must be at least 0'],
    [{ max_tokens: 1.5 }, 'params.max_tokens must be an integer'],
    [{ stream: 'yes' }, 'params.stream must be true or false'],
    [{ stop: 3 }, 'params.stop must be a string'],
    [{ style: 'grim' }, 'params.style must be one of plain, playful'],
    [{ top_k: 3 }, 'params.top_k is not a parameter this agent advertises'],
  ])('refuses %j', (values, message) => {
    expect(checkParams(PARAMS, values)).toBe(message);
  });
  it('refuses a number that is not finite', () => {
    expect(paramProblem({ name: 'x', type: 'number' }, Number.NaN)).toBe('must be a number');
  });
});

describe('settings parsers', () => {
  it('reads model, system prompt and params', () => {
    const r = turnSettingsParser(
      { model: 'm', system: 'be brief', params: { temperature: 0.5, on: true } },
      'send.settings',
    );
    expect(r).toEqual({ ok: true, value: { model: 'm', system: 'be brief', params: { temperature: 0.5, on: true } } });
  });
  it.each([
    [{ system: 1 }, 'send.settings.system'],
    [{ params: [] }, 'send.settings.params'],
    [{ params: { 'Bad-Name': 1 } }, 'send.settings.params.Bad-Name'],
    [{ params: { temperature: null } }, 'send.settings.params.temperature'],
    [{ params: { t: {} } }, 'send.settings.params.t'],
  ])('refuses %j with invalid_field', (value, where) => {
    const r = turnSettingsParser(value, 'send.settings');
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('invalid_field');
      expect(r.error.message).toContain(where);
    }
  });
  it('reads an advertised param and requires options on an enum', () => {
    expect(agentParamParser({ name: 'temperature', type: 'number', min: 0, max: 2, default: 1 }, 'p')).toEqual({
      ok: true,
      value: { name: 'temperature', type: 'number', min: 0, max: 2, default: 1 },
    });
    expect(agentParamParser({ name: 'style', type: 'enum' }, 'p').ok).toBe(false);
    expect(agentParamParser({ name: 'x', type: 'float' }, 'p').ok).toBe(false);
  });
});
