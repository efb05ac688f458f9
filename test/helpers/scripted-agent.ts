/** A library agent a test writes turn by turn, with gates, so a fault can be injected at an exact point of a reply. */

import type { AgentEvent, AgentInfo, TurnRequest } from '../../shared/index.ts';
import type { Agent } from '../../relay/core/agent.ts';

/** Opens once; every turn awaiting `opened` continues then. */
export class Gate {
  private release: () => void = () => undefined;
  readonly opened = new Promise<void>((resolve) => (this.release = resolve));

  open(): void {
    this.release();
  }
}

export type TurnScript = (turn: TurnRequest, signal: AbortSignal) => AsyncIterable<AgentEvent>;

export class ScriptedAgent implements Agent {
  /** Every turn the relay ran, in order. */
  readonly started: TurnRequest[] = [];

  constructor(private readonly script: TurnScript) {}

  info(): AgentInfo {
    return { name: 'Scripted', capabilities: ['markdown'], online: true };
  }

  run(turn: TurnRequest, signal: AbortSignal): AsyncIterable<AgentEvent> {
    this.started.push(turn);
    return this.script(turn, signal);
  }
}

/** The text of the user message a turn answers ('' for a button press). */
export function inputText(turn: TurnRequest): string {
  return turn.input.kind === 'message' ? turn.input.message.text : '';
}
