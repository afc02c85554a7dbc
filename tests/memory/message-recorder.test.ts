import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MessageChannel, Simulation } from '../../core/index.js';
import type { WorldEvent } from '../../core/index.js';
import { GraphologyStore } from '../../memory/graphology-store.js';
import { KnowledgeGraph } from '../../memory/knowledge-graph.js';
import { recordMessages } from '../../memory/message-recorder.js';
import { parseTeamMessage } from '../../memory/messages.js';
import type { TeamMessage } from '../../memory/messages.js';
import { LineWalkEnv } from '../core/line-walk-env.js';

const teams: Record<string, string> = { walker_0: 'red', walker_1: 'red', walker_2: 'blue' };

test('delivered and rejected messages appear in the episodic level, in order, shared with the team', async () => {
  const kg = await KnowledgeGraph.open(new GraphologyStore());
  const channel = new MessageChannel<TeamMessage>({ parse: parseTeamMessage, budgetPerStep: 2, teamOf: (a) => teams[a] });
  const sim = new Simulation<Int32Array, number>({
    env: new LineWalkEnv({ agents: 3, length: 30, maxSteps: 5 }),
    seed: 2,
    channels: [channel],
    controllers: (agent) => ({
      act: ({ step }) => {
        if (agent === 'walker_0') channel.send(agent, { team: true }, { kind: 'sighting', what: 'iron', place: `${step},0`, count: 1 });
        if (agent === 'walker_2' && step % 2 === 0) channel.send(agent, 'walker_1', { kind: 'offer', item: 'wood', count: step + 1 });
        if (agent === 'walker_1' && step === 3) channel.send(agent, 'walker_0', '{"kind": "claim"} <- I take iron');
        return 0;
      },
    }),
  });
  const delivered: WorldEvent<'messageDelivered'>[] = [];
  sim.events$.subscribe((e) => {
    if (e.type === 'messageDelivered') delivered.push(e);
  });
  const sub = recordMessages(kg, sim.events$, { teamOf: (a) => teams[a] });
  sim.runSync({ episodes: 1 });
  sub.unsubscribe();

  const inbox = (await kg.events('walker_1', 0)).filter((e) => e.name.startsWith('received'));
  const expected = delivered.filter((e) => e.data.to.includes('walker_1'));
  // Steps 0..4; what is sent at the last step finds nobody live (the episode is over).
  assert.equal(expected.length, 4 + 2, 'walker_1 should have had four sightings and two offers delivered');
  assert.deepEqual(inbox.map((e) => [e.kind, e.step, e.name, JSON.parse(e.text)]), expected.map((e) => [
    'message', e.step, `received ${(e.data.body as TeamMessage).kind} from ${e.data.from}`, e.data.body,
  ]));
  assert.deepEqual(inbox.map((e) => e.seq), [...inbox.map((e) => e.seq)].sort((a, b) => a - b), 'events out of order');

  const sent = (await kg.events('walker_0', 0)).filter((e) => e.name.startsWith('sent'));
  assert.deepEqual(sent.map((e) => [e.step, e.name]), [
    ...[0, 1, 2, 3].map((s) => [s, 'sent sighting to walker_1']), [4, 'sent sighting to nobody'],
  ]);
  const rejected = (await kg.events('walker_1', 0)).filter((e) => e.name.startsWith('rejected'));
  assert.deepEqual(rejected.map((e) => [e.step, e.name]), [[3, 'rejected malformed (to walker_0)']]);
  assert.match(rejected[0]?.text ?? '', /I take iron/);

  // Team scope: the red team sees walker_1's received sightings; blue's walker_2 sees only its own facts.
  const nodes = await kg.store.findNodes('Event', { agent: 'walker_1' });
  assert.ok(nodes.length > 0 && nodes.every((n) => n.props.scope === 'team' && n.props.team === 'red'));
  assert.ok((await kg.store.findNodes('Event', { agent: 'walker_2' })).every((n) => n.props.team === 'blue'));
  await kg.close();
});
