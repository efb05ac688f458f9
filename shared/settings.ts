/** Per-chat settings: the parameters an agent advertises and the settings a turn carries (model, system, params). */

import { settingField } from './workspace.ts';

export type ParamType = 'number' | 'integer' | 'boolean' | 'string' | 'enum';
export type ParamValue = number | boolean | string;

/** One tunable parameter an agent advertises in its info (temperature, top_p, max_tokens…). */
export interface AgentParam {
  /** `^[a-z][a-z0-9_]{0,39}$`; the workspace field is `setting/param.<name>`. */
  name: string;
  type: ParamType;
  label?: string;
  min?: number;
  max?: number;
  default?: ParamValue;
  /** The allowed values of an `enum` parameter. */
  options?: string[];
}

/** The settings one turn runs with; every field is optional (absent = the agent's default). */
export interface TurnSettings {
  model?: string;
  /** A system prompt for this chat. */
  system?: string;
  params?: Record<string, ParamValue>;
}

export const PARAM_NAME = /^[a-z][a-z0-9_]{0,39}$/;
export const MAX_SYSTEM_CHARS = 32_000;
export const MAX_PARAMS = 32;

/** The workspace fields that hold a chat's settings. */
export const MODEL_FIELD = settingField('model');
export const SYSTEM_FIELD = settingField('system');
export const paramField = (name: string): string => settingField(`param.${name}`);

const PARAM_FIELD_PREFIX = paramField('');

/** A chat's settings as its workspace fields hold them (empty strings and nulls are "unset"); one rule for every device. */
export function settingsFromFields(fields: Readonly<Record<string, { value: unknown }>>): TurnSettings {
  const out: TurnSettings = {};
  const model = fields[MODEL_FIELD]?.value;
  if (typeof model === 'string' && model) out.model = model;
  const system = fields[SYSTEM_FIELD]?.value;
  if (typeof system === 'string' && system) out.system = system;
  for (const [field, state] of Object.entries(fields)) {
    if (!field.startsWith(PARAM_FIELD_PREFIX)) continue;
    const v = state.value;
    if (typeof v === 'number' || typeof v === 'boolean' || (typeof v === 'string' && v !== '')) {
      (out.params ??= {})[field.slice(PARAM_FIELD_PREFIX.length)] = v;
    }
  }
  return out;
}
