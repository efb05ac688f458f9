/** The chat's settings as workspace fields become the `settings` a send carries, kept to what the agent advertises. */

import { describe, expect, it } from 'vitest';
import { advertisedSettings } from '../client/state/chat-settings.ts';
import type { AgentInfo } from '../shared/model.ts';
import { MODEL_FIELD, paramField, settingsFromFields, SYSTEM_FIELD } from '../shared/settings.ts';

const at = 'x';
const fields = {
  title: { value: 'A chat', at },
  [MODEL_FIELD]: { value: 'demo-thorough', at },
  [SYSTEM_FIELD]: { value: 'Be brief.', at },
  [paramField('temperature')]: { value: 0.4, at },
  [paramField('style')]: { value: 'grim', at },
  [paramField('gone')]: { value: 3, at },
  [paramField('cleared')]: { value: null, at },
};
const agent: AgentInfo = {
  name: 'demo',
  capabilities: [],
  models: ['demo-fast', 'demo-thorough'],
  params: [
    { name: 'temperature', type: 'number', min: 0, max: 2 },
    { name: 'style', type: 'enum', options: ['plain', 'playful'] },
  ],
  online: true,
};

describe('chat settings from workspace fields', () => {
  it('reads model, system prompt and every set param; a cleared field is unset', () => {
    expect(settingsFromFields(fields)).toEqual({
      model: 'demo-thorough',
      system: 'Be brief.',
      params: { temperature: 0.4, style: 'grim', gone: 3 },
    });
  });
  it('sends only values the agent advertises and accepts (the rest fall back to its defaults)', () => {
    expect(advertisedSettings(fields, agent)).toEqual({
      model: 'demo-thorough',
      system: 'Be brief.',
      params: { temperature: 0.4 },
    });
    expect(advertisedSettings(fields, { ...agent, models: ['other'] }).model).toBeUndefined();
  });
});
