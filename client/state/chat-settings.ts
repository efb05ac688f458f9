/** A chat's settings as its next turn sends them: the workspace fields, kept to what the agent advertises. */

import { paramProblem } from '../../shared/param-check.ts';
import { settingsFromFields, type TurnSettings } from '../../shared/settings.ts';
import type { AgentInfo } from '../../shared/model.ts';

/** Values the agent no longer offers are dropped (its default applies) rather than refused by the relay. */
export function advertisedSettings(
  fields: Readonly<Record<string, { value: unknown }>>,
  agent: AgentInfo | undefined,
): TurnSettings {
  const all = settingsFromFields(fields);
  const out: TurnSettings = {};
  if (all.model && (!agent?.models || agent.models.includes(all.model))) out.model = all.model;
  if (all.system) out.system = all.system;
  for (const [name, value] of Object.entries(all.params ?? {})) {
    const param = agent?.params?.find((p) => p.name === name);
    if (param && !paramProblem(param, value)) (out.params ??= {})[name] = value;
  }
  return out;
}
