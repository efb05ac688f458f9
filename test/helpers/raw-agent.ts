/** An agent process written by hand on a plain `ws` socket, for tests that send what the SDK never would. */

import WebSocket from 'ws';
import { parseRelayToAgentFrame, type AgentToRelayFrame, type RelayToAgentFrame } from '../../shared/index.ts';

type Frame<T extends RelayToAgentFrame['type']> = Extract<RelayToAgentFrame, { type: T }>;

export class RawAgent {
  readonly frames: RelayToAgentFrame[] = [];
  private waiters: (() => void)[] = [];

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (d) => {
      const parsed = parseRelayToAgentFrame(d.toString());
      if (!parsed.ok) throw new Error(`the relay sent an unreadable frame: ${parsed.error.message}`);
      this.frames.push(parsed.value);
      for (const wake of this.waiters.splice(0)) wake();
    });
  }

  /** Connects to `<wsBase>/agent` and says hello. */
  static async connect(wsBase: string, token: string): Promise<RawAgent> {
    const ws = new WebSocket(`${wsBase}/agent`, { headers: { authorization: `Bearer ${token}` } });
    // Listen before the socket opens: the welcome can arrive in the same tick as the open.
    const agent = new RawAgent(ws);
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
    agent.send({ type: 'hello', protocol: 1, name: 'Raw agent', capabilities: ['markdown', 'stop'] });
    return agent;
  }

  send(frame: AgentToRelayFrame): void {
    this.ws.send(JSON.stringify(frame));
  }

  /** The first frame of `type` from index `from` on that `pred` accepts, waiting up to 10 s. */
  async waitFor<T extends RelayToAgentFrame['type']>(
    type: T,
    pred: (f: Frame<T>) => boolean = () => true,
    from = 0,
  ): Promise<Frame<T>> {
    const deadline = Date.now() + 10_000;
    while (true) {
      const found = this.frames.slice(from).find((f): f is Frame<T> => f.type === type && pred(f as Frame<T>));
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`the agent never got ${type}`);
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 50);
      });
    }
  }

  close(): void {
    this.ws.close();
  }
}
