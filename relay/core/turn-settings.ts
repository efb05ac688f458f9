/** Checks a send's per-chat settings against what the agent advertises, before any turn starts. */

import { checkParams, type AgentInfo, type TurnSettings } from '../../shared/index.ts';

/** Why `settings` cannot run on an agent with `info`, as an `invalid_field` message, or undefined when they can. */
export function settingsProblem(settings: TurnSettings, info: AgentInfo): string | undefined {
  if (settings.model !== undefined && info.models && !info.models.includes(settings.model)) {
    return `send.settings.model ${settings.model} is not one of the agent's models`;
  }
  if (settings.params) {
    const problem = checkParams(info.params ?? [], settings.params);
    if (problem) return `send.settings.${problem}`;
  }
  return undefined;
}
