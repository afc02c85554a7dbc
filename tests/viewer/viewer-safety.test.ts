import { test } from 'node:test';
import assert from 'node:assert/strict';
import { io } from 'socket.io-client';
import { Simulation } from '../../core/simulation.js';
import { CrafterEnv } from '../../worlds/crafter/crafter-env.js';
import type { CrafterState } from '../../worlds/crafter/crafter-env.js';
import { crafterViewAdapter } from '../../worlds/crafter/crafter-view.js';
import { RandomController } from '../../agents/random-controller.js';
import { serveSimulation } from '../../viewer/server/serve-simulation.js';
import { LIMITS } from '../../viewer/protocol.js';
import { TestViewer } from './support.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('invalid, oversized, unknown and tokenless control messages are rejected, logged, and change nothing', async () => {
  const env = new CrafterEnv({ players: 2, oneHot: false });
  const sim = new Simulation({ env, seed: 3, controllers: () => new RandomController() as never });
  const log: string[] = [];
  const served = await serveSimulation<CrafterState>({ sim, adapter: crafterViewAdapter(env), seed: 3, log: (l) => log.push(l) });
  const ctl = new TestViewer(served.server.viewUrl, { token: served.server.token });
  const guest = new TestViewer(served.server.viewUrl, { token: 'not-the-token' });
  const run = sim.realtime$({ stepsPerSecond: 50 }).subscribe();
  try {
    await ctl.until(() => ctl.picture !== null && guest.picture !== null, 5000, 'snapshots');
    ctl.send({ id: 1, command: { type: 'pause' } });
    await ctl.until(() => ctl.acks.some((a) => a.id === 1), 3000, 'pause ack');
    const steps = sim.totalSteps;
    const expectError = async (v: TestViewer, msg: unknown, code: string, what: string) => {
      const before = v.errors.length;
      v.send(msg);
      await v.until(() => v.errors.length > before, 3000, `an error for ${what}`);
      assert.equal(v.errors.at(-1)!.code, code, `${what}: error code`);
    };
    await expectError(guest, { id: 2, command: { type: 'resume' } }, 'forbidden', 'resume without the token');
    assert.equal(guest.errors.at(-1)!.id, 2, 'the error names the message id');
    await expectError(guest, { command: { type: 'step' } }, 'forbidden', 'step without the token');
    await expectError(guest, { command: { type: 'act', agent: 'player_0', action: 1 } }, 'forbidden', 'act without the token');
    await expectError(ctl, { command: { type: 'speed', stepsPerSecond: -5 } }, 'invalid', 'a negative speed');
    await expectError(ctl, { command: { type: 'resume', extra: 'x' } }, 'invalid', 'an unknown field');
    await expectError(ctl, { command: { type: 'eval', code: 'process.exit(1)' } }, 'invalid', 'an unknown command');
    await expectError(ctl, 'resume', 'invalid', 'a bare string');
    await expectError(ctl, { command: { type: 'follow', agent: 'x'.repeat(LIMITS.maxMessageBytes + 10) } }, 'too-large', 'an oversized message');
    await expectError(ctl, { command: { type: 'act', agent: 'player_9', action: 1 } }, 'failed', 'an unknown agent');
    const before = ctl.errors.length;
    (ctl.socket as unknown as { emit: (event: string) => void }).emit('resume');
    await ctl.until(() => ctl.errors.length > before, 3000, 'an error for an unknown event');
    assert.equal(ctl.errors.at(-1)!.code, 'invalid');
    await sleep(150);
    assert.equal(sim.totalSteps, steps, 'no rejected message moved the simulation');
    assert.equal(ctl.picture!.clock.paused, true, 'the clock is still paused');
    assert.ok(log.filter((l) => l.includes('rejected')).length >= 10, 'every rejection is logged');

    // The same connection with the token does control it.
    ctl.send({ id: 9, command: { type: 'step' } });
    await ctl.until(() => sim.totalSteps === steps + 1, 3000, 'one step');

    // Flooding: beyond the rate, messages are refused.
    for (let i = 0; i < LIMITS.messagesPerSecond * 2; i++) guest.send({ command: { type: 'follow', agent: null } });
    await guest.until(() => guest.errors.some((e) => e.code === 'rate-limited'), 3000, 'rate limiting');
  } finally {
    run.unsubscribe();
    ctl.close();
    guest.close();
    await served.close();
    sim.close();
  }
});

test('with viewers not allowed, a socket without the token cannot connect', async () => {
  const env = new CrafterEnv({ players: 1, oneHot: false });
  const sim = new Simulation({ env, seed: 1, controllers: () => new RandomController() as never });
  const served = await serveSimulation<CrafterState>({ sim, adapter: crafterViewAdapter(env), seed: 1, allowViewers: false, log: () => {} });
  try {
    const refused = await new Promise<string>((resolve) => {
      const s = io(served.server.viewUrl, { transports: ['websocket'], reconnection: false, forceNew: true });
      s.on('connect_error', (e) => (s.close(), resolve(e.message)));
      s.on('hello', () => (s.close(), resolve('connected')));
    });
    assert.match(refused, /token is required/);
    assert.match(served.server.viewUrl, /^http:\/\/127\.0\.0\.1:\d+\/$/, 'listens on 127.0.0.1 by default');
    const res = await fetch(new URL('/../../etc/passwd', served.server.viewUrl));
    assert.notEqual(res.status, 200, 'no file outside the page folder');
  } finally {
    await served.close();
    sim.close();
  }
});
