import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MessageChannel, MESSAGE_PREVIEW_CHARS, Simulation } from '../../core/index.js';
import type { AgentId, DecisionContext, Envelope, WorldEvent } from '../../core/index.js';
import { parseTeamMessage } from '../../memory/messages.js';
import type { TeamMessage } from '../../memory/messages.js';
import { LineWalkEnv } from './line-walk-env.js';

const STAY = 0;
const RIGHT = 2;

/** What one agent does at one step: sends through the channel, and picks an action (default: stay). */
type Script = (agent: AgentId, step: number, channel: MessageChannel<TeamMessage>) => number | void;

interface Harness {
  sim: Simulation<Int32Array, number>;
  channel: MessageChannel<TeamMessage>;
  events: WorldEvent[];
  /** What each agent found in its inbox, by step: `${agent}@${step}` -> envelopes. */
  inboxes: Map<string, readonly Envelope<TeamMessage>[]>;
  /** Return values of `send`, in call order. */
  sends: boolean[];
}

function harness(script: Script, opts: { budget?: number; teamOf?: (a: AgentId) => string | undefined; agents?: number; length?: number; maxSteps?: number; async?: (agent: AgentId) => number } = {}): Harness {
  const channel = new MessageChannel<TeamMessage>({
    parse: parseTeamMessage,
    ...(opts.budget !== undefined ? { budgetPerStep: opts.budget } : {}),
    ...(opts.teamOf ? { teamOf: opts.teamOf } : {}),
  });
  const sends: boolean[] = [];
  const tracked = new Proxy(channel, {
    get(target, key) {
      if (key === 'send') return (...args: Parameters<MessageChannel<TeamMessage>['send']>) => {
        const ok = target.send(...args);
        sends.push(ok);
        return ok;
      };
      const v = Reflect.get(target, key) as unknown;
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
  const inboxes = new Map<string, readonly Envelope<TeamMessage>[]>();
  const decide = (ctx: DecisionContext<Int32Array>) => {
    inboxes.set(`${ctx.agent}@${ctx.step}`, channel.inbox(ctx.agent));
    return script(ctx.agent, ctx.step, tracked) ?? STAY;
  };
  const env = new LineWalkEnv({ agents: opts.agents ?? 3, length: opts.length ?? 40, maxSteps: opts.maxSteps ?? 6 });
  const delay = opts.async;
  const sim = new Simulation<Int32Array, number>({
    env,
    seed: 3,
    channels: [channel],
    controllers: (agent) => ({
      act: (ctx) => (delay ? new Promise<number>((resolve) => setTimeout(() => resolve(decide(ctx)), delay(agent))) : decide(ctx)),
    }),
  });
  const events: WorldEvent[] = [];
  sim.events$.subscribe((e) => {
    if (e.type.startsWith('message')) events.push(e);
  });
  return { sim, channel, events, inboxes, sends };
}

const sighting = (what: string): TeamMessage => ({ kind: 'sighting', what, place: '3,4', count: 1 });

test('a message sent at step t is in the recipient inbox at step t + 1 only, with sent and delivered events', () => {
  const h = harness((agent, step, ch) => {
    if (agent === 'walker_0' && step === 1) ch.send(agent, 'walker_1', sighting('diamond'));
  });
  h.sim.runSync({ episodes: 1 });
  assert.deepEqual(h.inboxes.get('walker_1@1'), [], 'delivered before the world stepped');
  const got = h.inboxes.get('walker_1@2');
  assert.equal(got?.length, 1);
  assert.deepEqual(got?.[0], { id: 0, from: 'walker_0', to: ['walker_1'], step: 1, body: sighting('diamond') });
  assert.deepEqual(h.inboxes.get('walker_1@3'), [], 'the inbox was not cleared at the next step');
  assert.deepEqual(h.inboxes.get('walker_2@2'), [], 'a message to walker_1 reached walker_2');
  assert.deepEqual(h.events.map((e) => [e.type, e.step]), [['messageSent', 1], ['messageDelivered', 2]]);
  assert.deepEqual(h.events[1]?.data, { id: 0, from: 'walker_0', to: ['walker_1'], sentStep: 1, body: sighting('diamond') });
  assert.ok(Object.isFrozen(got?.[0]) && Object.isFrozen(got?.[0]?.body), 'a delivered envelope can be changed by its reader');
});

test('messages over the per-step budget are rejected with an event; the budget comes back next step', () => {
  const h = harness((agent, step, ch) => {
    if (agent !== 'walker_0' || step > 1) return;
    for (let i = 0; i < 4; i++) ch.send(agent, { team: true }, sighting(`thing${step}-${i}`));
  }, { budget: 2 });
  h.sim.runSync({ episodes: 1 });
  assert.deepEqual(h.sends, [true, true, false, false, true, true, false, false]);
  const rejected = h.events.filter((e) => e.type === 'messageRejected');
  assert.equal(rejected.length, 4);
  for (const e of rejected) {
    assert.equal(e.data.reason, 'over-budget');
    assert.equal(e.data.from, 'walker_0');
    assert.match(e.data.error, /budgetPerStep 2/);
  }
  const delivered = h.inboxes.get('walker_1@1')?.map((m) => (m.body.kind === 'sighting' ? m.body.what : ''));
  assert.deepEqual(delivered, ['thing0-0', 'thing0-1']);
  assert.deepEqual(h.inboxes.get('walker_2@2')?.map((m) => m.id), [2, 3], 'ids are not consecutive in acceptance order');
});

const cyclic: Record<string, unknown> = { kind: 'sighting', what: 'x', place: 'p' };
cyclic['self'] = cyclic;
const throwing = Object.defineProperty({}, 'kind', { enumerable: true, get: () => { throw new Error('boom'); } });

const JUNK: readonly [string, unknown][] = [
  ['undefined', undefined],
  ['null', null],
  ['a number', 42],
  ['prose', 'I found diamonds near the lake, come quick!'],
  ['a JSON string', '{"kind":"sighting","what":"diamond","place":"3,4"}'],
  ['a fenced LLM answer', '```json\n{"kind": "sighting", "what": "diamond", "place": "3,4"}\n```'],
  ['an array', [{ kind: 'sighting', what: 'diamond', place: '3,4' }]],
  ['an unknown kind', { kind: 'gossip', text: 'hi' }],
  ['a missing field', { kind: 'sighting', what: 'diamond' }],
  ['an extra field', { kind: 'claim', subgoal: 'collect:iron', reason: 'I am close' }],
  ['a wrong type', { kind: 'request', item: 'iron', count: '2' }],
  ['a negative count', { kind: 'offer', item: 'wood', count: -3 }],
  ['a bad status', { kind: 'goal-status', goal: 'diamond', status: 'almost' }],
  ['a huge string', 'x'.repeat(2_000_000)],
  ['a huge field', { kind: 'sighting', what: 'y'.repeat(100_000), place: '3,4' }],
  ['a huge array', { kind: 'sighting', what: Array.from({ length: 100_000 }, (_, i) => i), place: 'p' }],
  ['a cycle', cyclic],
  ['a throwing getter', throwing],
  ['a function', () => 'diamond'],
];

test('malformed bodies of many shapes are rejected with a short event and do not use the budget', () => {
  const h = harness((agent, step, ch) => {
    if (agent !== 'walker_0' || step !== 0) return;
    for (const [, body] of JUNK) ch.send(agent, 'walker_1', body);
    ch.send(agent, 'walker_1', sighting('iron'));
  }, { budget: 1 });
  h.sim.runSync({ steps: 2 });
  assert.deepEqual(h.sends, [...JUNK.map(() => false), true]);
  const rejected = h.events.filter((e) => e.type === 'messageRejected');
  assert.equal(rejected.length, JUNK.length);
  rejected.forEach((e, i) => {
    const what = JUNK[i]?.[0];
    assert.equal(e.data.reason, 'malformed', `${what}: reason`);
    assert.ok(e.data.error.length > 0 && e.data.error.length <= MESSAGE_PREVIEW_CHARS, `${what}: error of ${e.data.error.length} chars`);
    assert.ok(e.data.preview.length <= MESSAGE_PREVIEW_CHARS, `${what}: preview of ${e.data.preview.length} chars`);
    assert.equal(e.data.to, 'walker_1');
  });
  assert.match(rejected[8]?.data.error ?? '', /place/, 'the error does not name the missing field');
  assert.match(rejected[5]?.data.preview ?? '', /^"```json/, 'the preview does not start with the junk');
  assert.equal(h.inboxes.get('walker_1@1')?.length, 1, 'the valid message after the junk was not delivered');
});

test('recipients: team expands to live teammates; unknown, dead, self, teamless and odd recipients are rejected', () => {
  const teams: Record<string, string> = { walker_0: 'red', walker_1: 'red', walker_2: 'green', walker_5: 'green', walker_3: 'blue' };
  const h = harness((agent, step, ch) => {
    const send = (to: Parameters<typeof ch.send>[1], label: string, from: AgentId = agent) => ch.send(from, to, sighting(label));
    if (agent === 'walker_1' && step < 10) send('walker_2', `ping${step}`);
    if (agent === 'walker_2') return RIGHT; // reaches the end of the line within 5 steps and leaves
    if (step === 0) {
      if (agent === 'walker_0') {
        send({ team: true }, 'team');
        send('nobody', 'nobody');
        send('walker_0', 'self');
        send('walker_3', 'across teams');
        send({ team: false } as never, 'odd');
      }
      if (agent === 'walker_3') send({ team: true }, 'alone');
      if (agent === 'walker_4') send({ team: true }, 'teamless');
    }
    if (step === 10) {
      if (agent === 'walker_0') {
        send('walker_2', 'dead');
        send('walker_1', 'from the dead', 'walker_2');
        send({ team: true }, 'team again');
      }
      if (agent === 'walker_5') send({ team: true }, 'dead team');
    }
  }, { agents: 6, length: 6, maxSteps: 30, budget: 10, teamOf: (a) => teams[a] });
  h.sim.runSync({ steps: 12 });
  const rejections = h.events.filter((e) => e.type === 'messageRejected');
  const line = (e: WorldEvent<'messageRejected'>) => `${e.step}:${e.data.from}->${e.data.to}:${e.data.reason}`;
  assert.deepEqual(rejections.filter((e) => e.data.from !== 'walker_1').map(line), [
    '0:walker_0->nobody:unknown-recipient',
    '0:walker_0->walker_0:self',
    '0:walker_0->{"team":false}:unknown-recipient',
    '0:walker_3->team:unknown-recipient',
    '0:walker_4->team:unknown-recipient',
    '10:walker_0->walker_2:dead-recipient',
    '10:walker_2->walker_1:dead-sender',
    '10:walker_5->team:dead-recipient',
  ]);
  const sent = h.events.filter((e) => e.type === 'messageSent');
  const fromZero = sent.filter((e) => e.data.from === 'walker_0').map((e) => `${e.step}:${e.data.to.join('+')}`);
  assert.deepEqual(fromZero, ['0:walker_1', '0:walker_3', '10:walker_1'], 'a team message must go to live teammates only');
  // walker_1 pinged walker_2 until it left: every accepted ping is delivered, the last one to nobody.
  const pings = sent.filter((e) => e.data.from === 'walker_1').map((e) => e.data.id);
  const delivered = h.events.filter((e): e is WorldEvent<'messageDelivered'> => e.type === 'messageDelivered' && e.data.from === 'walker_1');
  assert.ok(pings.length >= 2 && pings.length <= 5, `walker_2 lived ${pings.length} steps`);
  assert.deepEqual(delivered.map((e) => e.data.id), pings);
  assert.deepEqual(delivered.map((e) => e.data.to.length), [...pings.map(() => 1).slice(1), 0]);
  assert.ok(rejections.filter((e) => e.data.from === 'walker_1').every((e) => e.data.reason === 'dead-recipient'));
});

/** A run where everyone talks every step; the message events as comparable lines. */
function chatter(opts: { async?: (agent: AgentId) => number } = {}) {
  return harness((agent, step, ch) => {
    ch.send(agent, { team: true }, { kind: 'claim', subgoal: `${agent}:${step}`, release: false });
    if (step % 3 === 0) ch.send(agent, 'walker_0', { kind: 'request', item: 'wood', count: 1 + step });
    if (step % 4 === 0) ch.send(agent, 'walker_1', 'not a message');
    return step % 5 === 4 ? RIGHT : STAY;
  }, { budget: 2, length: 8, maxSteps: 12, ...opts });
}

const lines = (events: readonly WorldEvent[]) => events.map((e) => JSON.stringify([e.type, e.episode, e.step, e.data]));

test('the same messages get the same ids and events in runSync, run() with async agents, and realtime', async () => {
  const sync = chatter();
  sync.sim.runSync({ episodes: 2 });
  assert.ok(sync.events.length > 50, `only ${sync.events.length} message events`);
  assert.deepEqual(lines(chatter().events), [], 'events before the run');
  const ids = (type: string) => sync.events.filter((e) => e.type === type).map((e) => (e.data as { id: number }).id);
  assert.deepEqual(ids('messageDelivered'), ids('messageSent'), 'a sent message was not delivered exactly once');
  const again = chatter();
  again.sim.runSync({ episodes: 2 });
  assert.deepEqual(lines(again.events), lines(sync.events), 'two runSync runs differ');
  // Later agents answer first, so sends arrive in the reverse of the world's agent order.
  const reversed = chatter({ async: (agent) => 6 - 2 * Number(agent.slice(-1)) });
  await reversed.sim.run({ episodes: 2 });
  assert.deepEqual(lines(reversed.events), lines(sync.events), 'run() with async agents numbered messages differently');
  const realtime = chatter();
  await realtime.sim.runRealtime({ stepsPerSecond: 1000, episodes: 2 });
  assert.deepEqual(lines(realtime.events), lines(sync.events), 'the realtime clock numbered messages differently');
  assert.deepEqual(realtime.channel.inbox('walker_0'), [], 'an inbox survived the end of the episode');
});

test('a send outside an episode is rejected at once; a channel serves one simulation', () => {
  const h = chatter();
  assert.equal(h.channel.send('walker_0', 'walker_1', sighting('x')), false);
  assert.equal(h.channel.send('z'.repeat(100_000), 'walker_1', sighting('x')), false);
  assert.deepEqual(h.events.map((e) => [e.type, e.episode, e.type === 'messageRejected' ? e.data.reason : '']), [
    ['messageRejected', -1, 'dead-sender'], ['messageRejected', -1, 'dead-sender'],
  ]);
  assert.ok(h.events.every((e) => e.type === 'messageRejected' && e.data.from.length <= 60), 'a junk sender id reached the stream whole');
  assert.throws(() => new Simulation({ env: new LineWalkEnv(), seed: 1, channels: [h.channel], controllers: () => ({ act: () => 0 }) }), /already bound/);
  assert.throws(() => new MessageChannel({ parse: parseTeamMessage, budgetPerStep: 1.5 }), /budgetPerStep/);
});

test('messages in flight when the episode ends are delivered to nobody; sends from observe after the last step are refused', () => {
  const channel = new MessageChannel<TeamMessage>({ parse: parseTeamMessage });
  const sim = new Simulation<Int32Array, number>({
    env: new LineWalkEnv({ agents: 2, length: 30, maxSteps: 3 }),
    seed: 1,
    channels: [channel],
    controllers: (agent) => ({
      act: () => 0,
      observe: () => void channel.send(agent, { team: true }, { kind: 'goal-status', goal: 'wood', status: 'active' }),
    }),
  });
  const events: WorldEvent[] = [];
  sim.events$.subscribe((e) => events.push(e));
  sim.runSync({ episodes: 1 });
  const msgs = events.filter((e) => e.type.startsWith('message') || e.type === 'episodeEnd');
  const what = (e: WorldEvent) => (e.type === 'messageDelivered' ? e.data.to.join('+') : e.type === 'messageRejected' ? e.data.reason : '');
  // observe runs after each step: what is sent there after step 1 and 2 arrives for steps 2 and 3, but the agents
  // left at step 3 (truncated), so that is delivered to nobody, and after step 3 they are no longer live senders.
  assert.deepEqual(msgs.map((e) => `${e.type}@${e.step}:${what(e)}`), [
    'messageSent@1:', 'messageSent@1:', 'messageDelivered@2:walker_1', 'messageDelivered@2:walker_0',
    'messageSent@2:', 'messageSent@2:', 'messageDelivered@3:', 'messageDelivered@3:',
    'messageRejected@3:dead-sender', 'messageRejected@3:dead-sender', 'episodeEnd@3:',
  ]);
});

test('reset between runs empties the inboxes: a new episode starts with no mail', () => {
  const h = harness((agent, step, ch) => void ch.send(agent, { team: true }, sighting(`${agent}@${step}`)));
  h.sim.runSync({ steps: 2 });
  assert.deepEqual(h.channel.inbox('walker_1').map((m) => m.from), ['walker_0', 'walker_2'], 'the mail of step 1 awaits step 2');
  h.sim.reset();
  assert.deepEqual(h.channel.inbox('walker_1'), []);
  h.sim.runSync({ steps: 1 });
  assert.deepEqual(h.inboxes.get('walker_1@0'), [], 'the first decision of the new episode saw old mail');
  assert.equal(h.sim.episode, 1);
});
