/** Where the app connects: a bad `?relay=` must say why instead of silently connecting elsewhere. */

/// <reference types="mocha" />
import { expect } from '@esm-bundle/chai';
import {
  checkRelayUrl,
  defaultRelayUrl,
  keepFileConfig,
  keptFileConfig,
  loadFileConfig,
  parseFileConfig,
  resolveRelay,
} from './config.ts';
import { DEFAULT_SETTINGS } from './types.ts';

describe('relay config', () => {
  it('defaults to ./ws beside the page, so the app works from a sub-path', () => {
    expect(defaultRelayUrl('https://example.com/apps/parley/index.html?x=1#/c/a')).to.equal(
      'wss://example.com/apps/parley/ws',
    );
    expect(defaultRelayUrl('http://127.0.0.1:8787/')).to.equal('ws://127.0.0.1:8787/ws');
  });

  it('takes ?relay= first, turning http(s) into ws(s)', () => {
    const r = resolveRelay(
      'https://host/app/?relay=https://relay.example/ws',
      { ...DEFAULT_SETTINGS, relayUrl: 'wss://other/ws' },
      {},
    );
    expect(r).to.include({ url: 'wss://relay.example/ws', source: 'url parameter' });
    expect(r.error).to.equal(undefined);
  });

  it('rejects a bad ?relay= with a clear error and falls back to the next source', () => {
    const r = resolveRelay('https://host/app/?relay=ftp://nope', DEFAULT_SETTINGS, { relay: 'wss://from-config/ws' });
    expect(r.url).to.equal('wss://from-config/ws');
    expect(r.source).to.equal('config.json');
    expect(r.error).to.match(/url parameter.*ftp:/);
  });

  it('uses settings over config.json, and config.json over the default', () => {
    expect(
      resolveRelay('https://h/', { ...DEFAULT_SETTINGS, relayUrl: 'wss://s/ws' }, { relay: 'wss://c/ws' }).source,
    ).to.equal('settings');
    expect(resolveRelay('https://h/', DEFAULT_SETTINGS, { relay: 'wss://c/ws', token: 'tok' })).to.include({
      source: 'config.json',
      token: 'tok',
    });
    expect(resolveRelay('https://h/', DEFAULT_SETTINGS, 'config.json is not valid JSON; it was ignored.')).to.include({
      source: 'this server',
      error: 'config.json is not valid JSON; it was ignored.',
    });
  });

  it('never sends the saved token or an issued token to a relay named only by a link', () => {
    const settings = {
      ...DEFAULT_SETTINGS,
      relayUrl: 'wss://mine.example/ws',
      token: 'secret-token',
      tokenUrl: '/auth/parley',
    };
    const evil = resolveRelay('https://mine.example/?relay=wss://evil.example/ws', settings, {});
    expect(evil).to.include({ url: 'wss://evil.example/ws', token: '' });
    expect(evil.tokenUrl).to.equal(undefined);
    expect(evil.error).to.match(/saved token is for another relay and was not sent/);
    // A link to the relay the token belongs to keeps it.
    const own = resolveRelay('https://mine.example/?relay=wss://mine.example/ws', settings, {});
    expect(own).to.include({ token: 'secret-token', tokenUrl: 'https://mine.example/auth/parley' });
    // Without a saved relay, the token belongs to this server's relay.
    const served = resolveRelay('https://app.example/', { ...DEFAULT_SETTINGS, token: 'served-token' }, {});
    expect(served).to.include({ url: 'wss://app.example/ws', token: 'served-token' });
    const away = resolveRelay(
      'https://app.example/?relay=wss://elsewhere.example/ws',
      { ...DEFAULT_SETTINGS, token: 'served-token' },
      {},
    );
    expect(away.token).to.equal('');
  });

  it('explains what is wrong with a URL', () => {
    const bad = checkRelayUrl('http://[::1', 'https://h/');
    expect(bad.ok).to.equal(false);
    if (!bad.ok) expect(bad.error).to.match(/not a valid URL/);
    expect(checkRelayUrl('', 'https://h/').ok).to.equal(false);
  });
});

describe('config.json', () => {
  afterEach(() => localStorage.removeItem('parley-config-json'));

  const answering =
    (res: Response | Error): typeof fetch =>
    () =>
      res instanceof Error ? Promise.reject(res) : Promise.resolve(res);

  it('reads the file, says why a malformed one is ignored, and says nothing when it could not be fetched', async () => {
    const ok = new Response(JSON.stringify({ relay: 'wss://r/ws', token: 7 }));
    expect(await loadFileConfig('https://h/', answering(ok))).to.deep.equal({ relay: 'wss://r/ws' });
    expect(await loadFileConfig('https://h/', answering(new Response('', { status: 404 })))).to.deep.equal({});
    expect(await loadFileConfig('https://h/', answering(new Response('{')))).to.match(/not valid JSON/);
    expect(await loadFileConfig('https://h/', answering(new TypeError('offline')))).to.equal(undefined);
    expect(parseFileConfig([1])).to.match(/JSON object/);
  });

  it('keeps what the file said for the next start, and no malformed copy', () => {
    expect(keptFileConfig()).to.equal(undefined);
    keepFileConfig({ relay: 'wss://r/ws', tokenUrl: '/t' });
    expect(keptFileConfig()).to.deep.equal({ relay: 'wss://r/ws', tokenUrl: '/t' });
    keepFileConfig('config.json must be a JSON object.');
    expect(keptFileConfig()).to.equal(undefined);
    localStorage.setItem('parley-config-json', '{"relay": 5');
    expect(keptFileConfig()).to.equal(undefined);
  });
});
