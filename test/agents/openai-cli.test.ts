/** `--agent openai` as a user starts it, on the Node build and on Deno, plus the options' validation. */

import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../relay/config.ts';
import { TestClient } from '../helpers/client.ts';
import {
  denoRelayCommand,
  nodeRelayCommand,
  runToEnd,
  startRelayProcess,
  type RelayProcess,
} from '../helpers/spawn.ts';
import { FakeOpenAI, textStream } from './fake-openai.ts';
import { API_KEY, ask } from './openai-helpers.ts';

let fake: FakeOpenAI;
let running: RelayProcess | undefined;
beforeAll(async () => {
  fake = await FakeOpenAI.start();
});
afterEach(async () => {
  await running?.stop();
  running = undefined;
});
afterAll(() => fake.close());

describe.each([
  ['node', nodeRelayCommand],
  ['deno', denoRelayCommand],
] as const)('%s: npm start -- --agent openai --base-url … --model …', (runtime, command) => {
  it('chats through the OpenAI-compatible server with the key from the environment', async () => {
    running = await startRelayProcess(
      command(['--port', '0', '--agent', 'openai', '--base-url', fake.baseUrl, '--model', 'gpt-4o']),
      { PARLEY_OPENAI_API_KEY: API_KEY, PARLEY_SYSTEM_PROMPT: `Runtime: ${runtime}` },
    );
    fake.replies.push({ kind: 'stream', events: textStream(['Hi from ', 'the model']) });
    // The chat's reply request; the bridge's title request for the chat comes after it.
    const before = fake.completions().length;
    const client = await TestClient.connect(running.wsBase);
    const { end, reply } = await ask(client, `cli-${runtime}`, { text: 'hello' });
    client.close();
    expect(end.status).toBe('done');
    expect(reply?.text).toBe('Hi from the model');
    const sent = fake.completions().at(before);
    expect(sent?.authorization).toBe(`Bearer ${API_KEY}`);
    expect(sent?.body).toMatchObject({
      model: 'gpt-4o',
      messages: [
        { role: 'system', content: `Runtime: ${runtime}` },
        { role: 'user', content: 'hello' },
      ],
    });
    expect(running.output()).not.toContain(API_KEY);
  });

  it('refuses a bad --base-url at start-up', async () => {
    const bad = await runToEnd(command(['--agent', 'openai', '--base-url', 'localhost:11434/v1']));
    expect(bad.code).toBe(2);
    expect(bad.out).toContain('--base-url (PARLEY_OPENAI_BASE_URL) must be an http(s) URL');
  });
});

describe('openai options', () => {
  const config = (argv: string[], env: Record<string, string> = {}) => {
    const r = parseConfig(argv, env);
    return r.ok ? r.config : r.error;
  };

  it('reads the key from PARLEY_OPENAI_API_KEY, else OPENAI_API_KEY, and accepts short local keys', () => {
    expect(config([], { OPENAI_API_KEY: 'sk-a', PARLEY_OPENAI_API_KEY: 'sk-b' })).toMatchObject({
      openaiApiKey: 'sk-b',
    });
    expect(config([], { OPENAI_API_KEY: 'token-abc123' })).toMatchObject({ openaiApiKey: 'token-abc123' });
    expect(config([], { OPENAI_API_KEY: 'has space' })).toBe('OPENAI_API_KEY must be printable ASCII without spaces');
  });

  it.each([
    [['--base-url', 'ftp://models.example/v1'], 'must be an http(s) URL'],
    [['--base-url', 'http://127.0.0.1:8000/v1?x=1'], 'must be an http(s) URL'],
    [['--base-url', 'https://user:pw@api.example/v1'], 'must not contain credentials'],
    [['--context-chars', '500000'], '--context-chars must be between 0 and 400000'],
    [['--agent', 'gpt'], '--agent must be one of demo, remote, openai'],
  ])('%j is refused: %s', (argv, message) => expect(config(argv)).toContain(message));

  it('accepts a base URL with a trailing slash and defaults to api.openai.com', () => {
    expect(config(['--agent', 'openai'])).toMatchObject({ openaiBaseUrl: 'https://api.openai.com/v1' });
    expect(config(['--base-url', 'http://127.0.0.1:11434/v1/'])).toMatchObject({
      openaiBaseUrl: 'http://127.0.0.1:11434/v1/',
    });
  });
});
