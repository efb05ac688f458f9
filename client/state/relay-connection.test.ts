/** The connection a user watches in the status pill: honest about the network, quick to come back, fresh tokens each time. */

/// <reference types="mocha" />
import { expect } from '@esm-bundle/chai';
import { FakeRelay, until } from '../test-support/fake-relay.ts';
import { RelayConnection, type ConnectionState } from './relay-connection.ts';

function open(relay: FakeRelay, tokenSource?: () => Promise<string>) {
  const states: ConnectionState[] = [];
  const conn = new RelayConnection(
    {
      url: 'ws://relay.test/ws',
      clientId: 'tab',
      socketFactory: relay.factory,
      backoff: { baseMs: 60_000, capMs: 60_000, minUptimeMs: 0, random: () => 0.5 },
      ...(tokenSource ? { tokenSource } : {}),
    },
    { onFrame: () => {}, onReady: () => {}, onState: (s) => states.push(s) },
  );
  conn.start();
  return { conn, states };
}

describe('RelayConnection', () => {
  it('drops the socket as soon as the browser says it is offline, and tries again the moment it is back', async () => {
    const relay = new FakeRelay();
    relay.up = true;
    const { conn } = open(relay);
    await until(() => relay.current?.readyState === 1, 'open');
    relay.current?.ready();
    expect(conn.state).to.equal('connected');

    dispatchEvent(new Event('offline'));
    expect(conn.state).to.equal('offline');
    expect(conn.lastError).to.equal('the browser is offline');
    expect(relay.current?.readyState).to.equal(3);
    // The next attempt waits for the backoff (a minute here), shown to the user as a countdown.
    expect(conn.retryAt).to.be.greaterThan(Date.now());

    dispatchEvent(new Event('online'));
    await until(() => relay.sockets.length === 2 && relay.current?.readyState === 1, 'reconnected at once');
    relay.current?.ready();
    expect(conn.state).to.equal('connected');
    conn.stop();
  });

  it('asks for a fresh single-use token before every attempt', async () => {
    const relay = new FakeRelay();
    relay.up = true;
    let issued = 0;
    const { conn } = open(relay, async () => `tok-${++issued}`);
    await until(() => relay.current?.readyState === 1, 'open');
    expect(new URL(relay.current?.url ?? '').searchParams.get('token')).to.equal('tok-1');
    relay.current?.drop();
    conn.retryNow();
    await until(() => relay.sockets.length === 2, 'second attempt');
    expect(new URL(relay.current?.url ?? '').searchParams.get('token')).to.equal('tok-2');
    conn.stop();
  });

  it('says why when no token can be had, and does not open a socket without one', async () => {
    const relay = new FakeRelay();
    relay.up = true;
    const { conn } = open(relay, () => Promise.reject(new Error('the token endpoint answered HTTP 403')));
    await until(() => conn.state === 'offline', 'offline');
    expect(conn.lastError).to.equal('could not get a token: the token endpoint answered HTTP 403');
    expect(relay.sockets).to.deep.equal([]);
    conn.stop();
  });
});
