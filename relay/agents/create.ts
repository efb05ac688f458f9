/** Builds the agent the configuration names. */

import type { RelayConfig } from '../config.ts';
import { createLogger, type Logger } from '../core/logger.ts';
import type { Agent } from '../core/agent.ts';
import { AgUiAgent } from './ag-ui/ag-ui-agent.ts';
import { AiSdkAgent } from './ai-sdk/ai-sdk-agent.ts';
import { DemoAgent } from './demo/demo-agent.ts';
import { OpenAIAgent } from './openai/openai-agent.ts';
import { agentBudget, RemoteAgent } from './remote.ts';

/** `logger` should be the relay's own, so agent log lines go where the relay's go. */
export function createAgent(config: RelayConfig, logger: Logger = createLogger(config.logLevel)): Agent {
  switch (config.agent) {
    case 'demo':
      return new DemoAgent({
        delayMs: config.demoDelayMs,
        historyChars: config.demoHistoryMaxChars,
        titles: config.titleModel !== 'off',
      });
    case 'remote':
      return new RemoteAgent(logger, agentBudget(config));
    case 'openai':
      return new OpenAIAgent({
        baseUrl: config.openaiBaseUrl,
        apiKey: config.openaiApiKey,
        model: config.openaiModel,
        titleModel: config.titleModel,
        systemPrompt: config.systemPrompt,
        contextChars: config.contextChars,
        logger,
      });
    case 'ag-ui':
    case 'ai-sdk': {
      // config.ts refuses to start these without a URL.
      const options = { url: config.agentUrl ?? '', key: config.agentUrlKey, logger };
      return config.agent === 'ag-ui' ? new AgUiAgent(options) : new AiSdkAgent(options);
    }
  }
}
