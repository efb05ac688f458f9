/** Checks a turn's parameter values against the parameters the agent advertises: one rule for relay and client. */

import type { AgentParam, ParamValue } from './settings.ts';

/** Why `value` is not acceptable for `param`, or undefined when it is. */
export function paramProblem(param: AgentParam, value: ParamValue): string | undefined {
  switch (param.type) {
    case 'boolean':
      return typeof value === 'boolean' ? undefined : 'must be true or false';
    case 'string':
      return typeof value === 'string' ? undefined : 'must be a string';
    case 'enum':
      return typeof value === 'string' && (param.options ?? []).includes(value)
        ? undefined
        : `must be one of ${(param.options ?? []).join(', ')}`;
    case 'number':
    case 'integer': {
      if (typeof value !== 'number' || !Number.isFinite(value)) return 'must be a number';
      if (param.type === 'integer' && !Number.isInteger(value)) return 'must be an integer';
      if (param.min !== undefined && value < param.min) return `must be at least ${param.min}`;
      if (param.max !== undefined && value > param.max) return `must be at most ${param.max}`;
      return undefined;
    }
  }
}

/** The first problem with `values` (an unknown name or a bad value), as `params.<name> …`, or undefined. */
export function checkParams(
  advertised: readonly AgentParam[],
  values: Readonly<Record<string, ParamValue>>,
): string | undefined {
  for (const [name, value] of Object.entries(values)) {
    const param = advertised.find((p) => p.name === name);
    if (!param) return `params.${name} is not a parameter this agent advertises`;
    const problem = paramProblem(param, value);
    if (problem) return `params.${name} ${problem}`;
  }
  return undefined;
}
