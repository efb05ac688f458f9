/** Parsers for per-chat settings: the `settings` of a send and the `params` an agent advertises. */

import type { Result } from '../errors.ts';
import { isObject, objectParser, compact, stringParser, type ItemParser } from '../reader.ts';
import {
  MAX_PARAMS,
  MAX_SYSTEM_CHARS,
  PARAM_NAME,
  type AgentParam,
  type ParamType,
  type ParamValue,
  type TurnSettings,
} from '../settings.ts';
import { LIMITS } from '../limits.ts';

// Not `MODEL` from ./frame.ts: parse-model.ts imports this file, and frame.ts imports parse-model.ts.
const MODEL = { max: LIMITS.maxLabelChars };

const PARAM_TYPES: readonly ParamType[] = ['number', 'integer', 'boolean', 'string', 'enum'];
const SHORT = { max: 200 };

function fail<T>(path: string, what: string): Result<T> {
  return { ok: false, error: { code: 'invalid_field', message: `${path} ${what}` } };
}

const paramValueParser: ItemParser<ParamValue> = (value, path) =>
  typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value))
    ? { ok: true, value }
    : typeof value === 'string' && value.length <= MAX_SYSTEM_CHARS
      ? { ok: true, value }
      : fail(path, 'must be a number, a boolean or a string');

/** `{ name: value }` with at most MAX_PARAMS well-named entries. */
const paramValuesParser: ItemParser<Record<string, ParamValue>> = (value, path) => {
  if (!isObject(value)) return fail(path, 'must be an object');
  const keys = Object.keys(value);
  if (keys.length > MAX_PARAMS) return fail(path, `has more than ${MAX_PARAMS} entries`);
  const out: Record<string, ParamValue> = {};
  for (const key of keys) {
    if (!PARAM_NAME.test(key)) return fail(`${path}.${key}`, 'is not a valid parameter name');
    const r = paramValueParser(value[key], `${path}.${key}`);
    if (!r.ok) return r;
    out[key] = r.value;
  }
  return { ok: true, value: out };
};

export const turnSettingsParser: ItemParser<TurnSettings> = objectParser((r) =>
  compact({
    model: r.optStr('model', MODEL),
    system: r.optStr('system', { max: MAX_SYSTEM_CHARS }),
    params: r.has('params') ? r.nested('params', paramValuesParser, {}) : undefined,
  }),
);

export const agentParamParser: ItemParser<AgentParam> = objectParser((r) => {
  const param = compact({
    name: r.str('name', { max: 40, min: 1, pattern: PARAM_NAME }),
    type: r.oneOf('type', PARAM_TYPES),
    label: r.optStr('label', SHORT),
    min: r.has('min') ? r.nested('min', finiteNumber, 0) : undefined,
    max: r.has('max') ? r.nested('max', finiteNumber, 0) : undefined,
    default: r.has('default') ? r.nested('default', paramValueParser, 0) : undefined,
    options: r.optArr('options', stringParser(SHORT), 100),
  });
  if (param.type === 'enum' && !param.options?.length) r.fail('options', 'is required for an enum');
  return param;
});

const finiteNumber: ItemParser<number> = (value, path) =>
  typeof value === 'number' && Number.isFinite(value) ? { ok: true, value } : fail(path, 'must be a number');
