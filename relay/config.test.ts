/** Configuration from flags and environment: precedence, validation, and the refusals that protect users. */

import { describe, expect, it } from 'vitest';
import { DEFAULTS, OPTIONS, helpText, parseConfig } from './config.ts';

const ok = (argv: string[], env: Record<string, string> = {}) => {
  const r = parseConfig(argv, env);
  if (!r.ok) throw new Error(r.error);
  return r.config;
};
const error = (argv: string[], env: Record<string, string> = {}) => {
  const r = parseConfig(argv, env);
  return r.ok ? 'ok' : r.error;
};

describe('parseConfig', () => {
  it('uses defaults, then env, then flags', () => {
    expect(ok([])).toEqual(DEFAULTS);
    expect(ok([], { PARLEY_PORT: '9000' }).port).toBe(9000);
    expect(ok(['--port', '9100'], { PARLEY_PORT: '9000' }).port).toBe(9100);
    expect(ok(['--port=9200']).port).toBe(9200);
    expect(ok(['--allowed-origins', 'https://a.example, https://b.example']).allowedOrigins).toEqual([
      'https://a.example',
      'https://b.example',
    ]);
  });

  it('takes --title-model as a model name or off, and refuses anything else', () => {
    expect(ok([]).titleModel).toBe(undefined);
    expect(ok(['--title-model', 'gpt-4o-mini']).titleModel).toBe('gpt-4o-mini');
    expect(ok([], { PARLEY_TITLE_MODEL: 'off' }).titleModel).toBe('off');
    expect(error(['--title-model', 'two words'])).toContain('--title-model (PARLEY_TITLE_MODEL) must be a model name');
  });

  it.each([
    [['--port', '70000'], '--port must be between 0 and 65535'],
    [['--port'], '--port needs a value'],
    [['--bogus', '1'], 'unknown option --bogus'],
    [['serve'], 'unexpected argument "serve"'],
    [['--agent', 'gpt'], '--agent must be one of demo, remote'],
    [['--token', 'short'], '--token must be at least 16 characters'],
    [['--token', 'has space in the middle!'], 'printable ASCII without spaces'],
    [['--host', '0.0.0.0'], 'refusing to listen on 0.0.0.0 without authentication'],
    [['--host', '::'], 'refusing to listen on :: without authentication'],
    [['--tls-cert', '/c.pem'], '--tls-cert and --tls-key must be given together'],
    [['--agent', 'remote'], '--agent remote needs --agent-token'],
    [['--token', 'same-secret-0123456789', '--agent-token', 'same-secret-0123456789'], '--agent-token must differ'],
    [['--allowed-origins', 'https://a.example/path'], 'is not an origin'],
    [['--unix-socket', 'relative.sock'], 'must be an absolute path'],
    [['--rate-limit', '50', '--rate-burst', '10'], '--rate-burst must be at least --rate-limit'],
    [
      ['--agent-rate-limit', '50', '--agent-rate-burst', '10'],
      '--agent-rate-burst must be at least --agent-rate-limit',
    ],
    [['--max-buffered-bytes', '8388608'], '--max-buffered-bytes (8388608) must be at least twice --max-frame-bytes'],
  ])('%j is refused: %s', (argv, message) => expect(error(argv)).toContain(message));

  it('names the environment variable when the bad value came from there', () => {
    expect(error([], { PARLEY_REPLAY_MAX_EVENTS: 'lots' })).toContain(
      'PARLEY_REPLAY_MAX_EVENTS must be a whole number',
    );
  });

  it('allows any host once a token is set', () => {
    expect(ok(['--host', '0.0.0.0', '--token', 'a-long-enough-token-value']).host).toBe('0.0.0.0');
  });

  it('documents every option in --help', () => {
    const help = helpText('parley');
    for (const o of OPTIONS) expect(help).toContain(`--${o.flag}`);
    for (const o of OPTIONS) expect(help).toContain(o.env);
  });
});
