import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { main } from '../../cli/main.js';
import { trainCommand } from '../../cli/train-command.js';
import { loadExperimentFile } from '../../cli/experiment-file.js';
import { TrainConfigFileSchema, resolveTrainConfig } from '../../cli/train-config.js';
import { tempDir } from './support/run-cli.js';

const quietIo = { stdout: { write: () => true }, stderr: { write: () => true } };

/**
 * `canopy eval` of `checkpoint` twice with the same seed (into `dir`/eval-a and eval-b); asserts both exit 0 and
 * wrote the same episodes, and returns the first run's folder and its parsed episodes.
 */
async function evalTwice(checkpoint: string, dir: string, episodes: number, seed: number): Promise<{ out: string; episodes: { length: number }[] }> {
  const evals = [join(dir, 'eval-a'), join(dir, 'eval-b')];
  for (const e of evals) {
    let stderr = '';
    const code = await main(['eval', '--checkpoint', checkpoint, '--episodes', String(episodes), '--seed', String(seed), '--out', e, '--quiet', '--backend', 'wasm'], { stdout: { write: () => true }, stderr: { write: (t: string) => (stderr += t) } });
    assert.equal(code, 0, stderr);
  }
  const text = readFileSync(join(evals[0]!, 'episodes.jsonl'), 'utf8');
  assert.equal(readFileSync(join(evals[1]!, 'episodes.jsonl'), 'utf8'), text, 'the same seed gives the same episodes');
  return { out: evals[0]!, episodes: text.trim().split('\n').map((l) => JSON.parse(l) as { length: number }) };
}

/** Trains `cfg` into `cut`, stopped (SIGINT) on the `stopAt`-th manager update, and resumes it: metrics.jsonl must equal `straight`'s. */
async function assertResumesInManager(cfg: string, cut: string, straight: string, stopAt: number): Promise<void> {
  let updates = 0;
  assert.equal(await trainCommand({ config: cfg, out: cut, quiet: true, backend: 'wasm' }, quietIo, { onUpdate: () => ++updates === stopAt && process.emit('SIGINT') }), 130);
  assert.equal(readFileSync(join(cut, 'metrics.jsonl'), 'utf8').trim().split('\n').length, 1, 'one manager update before stopping');
  assert.equal(await trainCommand({ resume: cut, quiet: true }, quietIo), 0);
  assert.equal(readFileSync(join(cut, 'metrics.jsonl'), 'utf8'), readFileSync(join(straight, 'metrics.jsonl'), 'utf8'), 'metrics.jsonl equal byte for byte');
}

// A small room: the low level practises waypoints for 3 updates, then the manager learns over it for 2 updates.
const HRL = {
  world: 'navigation', layout: 'open-room', agents: 1, seed: 2, totalSteps: 32, checkpointEvery: 16,
  params: { width: 9, height: 9, maxSteps: 40 },
  ppo: { numEnvs: 2, numSteps: 8, hidden: [16], numMinibatches: 2 },
  intrinsic: [{ name: 'topological', weight: 0.1 }],
  hierarchy: { lowLevel: { steps: 192, ppo: { numEnvs: 2, numSteps: 32, hidden: [16] } }, manager: { maxOptionSteps: 12 } },
};

describe('canopy train with a hierarchy', () => {
  it('trains the goal-conditioned low level, then the manager with semi-MDP options; resumes exactly from either stage', async () => {
    const dir = tempDir('train-hrl');
    try {
      const cfg = join(dir, 'hrl.json');
      writeFileSync(cfg, JSON.stringify(HRL));
      const straight = join(dir, 'straight');
      assert.equal(await trainCommand({ config: cfg, out: straight, quiet: true, backend: 'wasm' }, quietIo), 0);
      const low = readFileSync(join(straight, 'low-level.jsonl'), 'utf8');
      const lowLines = low.trim().split('\n').map((l) => JSON.parse(l) as Record<string, number>);
      assert.equal(lowLines.length, 3, 'three low-level updates');
      assert.ok(lowLines.some((l) => (l['episode/goalsReached'] ?? 0) > 0), 'the low level reaches waypoints (its success is its hit rate)');
      const managerLines = readFileSync(join(straight, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, number>);
      assert.equal(managerLines.length, 2, 'two manager updates');
      const withEpisodes = managerLines.filter((l) => (l.episodes as number) > 0);
      assert.ok(withEpisodes.length > 0, 'manager episodes ended');
      for (const l of withEpisodes) {
        assert.ok((l['episode/optionLength'] as number) > 1, 'an option lasts several world steps');
        assert.equal(typeof l['intrinsic/topological'], 'number', 'the intrinsic modules apply to the manager\'s world');
      }
      assert.ok(existsSync(join(straight, 'low-level', 'tensors.bin')), 'the trained low level is kept');

      // The trained hierarchy acts in canopy eval (and so as --agent policy:DIR): its manager over its low level.
      const { out: evalOut, episodes } = await evalTwice(join(straight, 'checkpoint'), dir, 3, 5);
      assert.equal(episodes.length, 3, 'three evaluation episodes');
      assert.ok(episodes.every((e) => e.length > 0 && e.length <= 40), 'each within the room\'s step limit');
      assert.equal(JSON.parse(readFileSync(join(evalOut, 'config.json'), 'utf8')).agent, `policy:${join(straight, 'checkpoint')}`);

      // Stopped inside the low level's training: the resumed run finishes both stages as the straight one did.
      const cutLow = join(dir, 'cut-low');
      assert.equal(await trainCommand({ config: cfg, out: cutLow, quiet: true, backend: 'wasm' }, quietIo, { onUpdate: (s) => s.update === 2 && s.envSteps === 128 && process.emit('SIGINT') }), 130);
      let lowErr = '';
      assert.equal(await main(['eval', '--checkpoint', cutLow, '--episodes', '1', '--out', join(dir, 'eval-cut'), '--quiet', '--backend', 'wasm'], { stdout: { write: () => true }, stderr: { write: (t: string) => (lowErr += t) } }), 2);
      assert.match(lowErr, /stopped while its low level was training; finish it first \(canopy train --resume /);
      assert.equal(await trainCommand({ resume: cutLow, quiet: true }, quietIo), 0);
      assert.equal(readFileSync(join(cutLow, 'low-level.jsonl'), 'utf8'), low, 'low-level.jsonl equal byte for byte');
      assert.equal(readFileSync(join(cutLow, 'metrics.jsonl'), 'utf8'), readFileSync(join(straight, 'metrics.jsonl'), 'utf8'), 'metrics.jsonl equal byte for byte');

      // Stopped inside the manager's training (after the low level's 3 updates and the manager's first).
      await assertResumesInManager(cfg, join(dir, 'cut-manager'), straight, 4);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('crafter: trains the subgoal low level, then a manager over its subgoal slots; resumes exactly from either stage', async () => {
    const dir = tempDir('train-crafter-hrl');
    try {
      const cfg = join(dir, 'crafter-hrl.json');
      writeFileSync(cfg, JSON.stringify({
        world: 'crafter', agents: 1, seed: 3, totalSteps: 8, checkpointEvery: 1000,
        params: { oneHot: false, overrides: { 'world.length': 48 } },
        ppo: { numEnvs: 1, numSteps: 4, hidden: [8], numMinibatches: 1 },
        hierarchy: { lowLevel: { steps: 128, timeouts: { collect: 8, place: 4, make: 4 }, ppo: { numEnvs: 2, numSteps: 32, hidden: [16], observationKeys: ['map', 'inventory', 'goal'] } }, manager: { maxOptionSteps: 12 } },
      }));
      const out = join(dir, 'out');
      assert.equal(await trainCommand({ config: cfg, out, quiet: true, backend: 'wasm' }, quietIo), 0);
      const low = readFileSync(join(out, 'low-level.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, number>);
      assert.equal(low.length, 2, 'two low-level updates');
      assert.ok(low.some((l) => typeof l['episode/goalsTimedOut'] === 'number' && typeof l['episode/success'] === 'number'), 'the low level logs its goals and hit rate');
      const manager = readFileSync(join(out, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, number>);
      assert.equal(manager.length, 2, 'two manager updates of 4 decisions');
      const config = JSON.parse(readFileSync(join(out, 'config.json'), 'utf8')) as { hierarchy: { world: string; lowLevel: { randomShare: number } } };
      assert.equal(config.hierarchy.world, 'crafter');
      assert.equal(config.hierarchy.lowLevel.randomShare, 0.3, 'defaults are written into the run config');

      // The trained Crafter hierarchy acts in canopy eval (and so as --agent policy:DIR); the same seed, the same episodes.
      const { episodes } = await evalTwice(join(out, 'checkpoint'), dir, 2, 5);
      assert.equal(episodes.length, 2, 'two evaluation episodes');
      assert.ok(episodes.every((e) => e.length > 0 && e.length <= 48), "each within the world's length");

      // Stopped in either stage (Crafter's goal task keeps its own RNG and counters), resumed: the same files.
      const cutLow = join(dir, 'cut-low');
      assert.equal(await trainCommand({ config: cfg, out: cutLow, quiet: true, backend: 'wasm' }, quietIo, { onUpdate: (s) => s.update === 1 && s.envSteps === 64 && process.emit('SIGINT') }), 130);
      assert.equal(await trainCommand({ resume: cutLow, quiet: true }, quietIo), 0);
      for (const file of ['low-level.jsonl', 'metrics.jsonl']) {
        assert.equal(readFileSync(join(cutLow, file), 'utf8'), readFileSync(join(out, file), 'utf8'), `${file} equal byte for byte after a stop in the low level`);
      }
      await assertResumesInManager(cfg, join(dir, 'cut-manager'), out, 3);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('crafter with survival rules and one-step options: the goals and slots gain eat / defeat / sleep', async () => {
    const dir = tempDir('train-crafter-hrl-survival');
    try {
      const cfg = join(dir, 'crafter-hrl.json');
      writeFileSync(cfg, JSON.stringify({
        world: 'crafter', agents: 1, seed: 3, totalSteps: 4, checkpointEvery: 1000,
        params: { oneHot: false, overrides: { 'world.length': 48 } },
        ppo: { numEnvs: 1, numSteps: 4, hidden: [8], numMinibatches: 1 },
        hierarchy: { lowLevel: { steps: 128, survival: true, primitives: 'options', strikes: true, collects: true, readyCraftsFirst: true, milestones: ['stone_pickaxe'], stock: { wood: 5 }, ppo: { numEnvs: 2, numSteps: 32, hidden: [16], observationKeys: ['map', 'inventory', 'goal'] } }, manager: { maxOptionSteps: 12, interrupts: true } },
      }));
      const out = join(dir, 'out');
      assert.equal(await trainCommand({ config: cfg, out, quiet: true, backend: 'wasm' }, quietIo), 0);
      const low = readFileSync(join(out, 'low-level.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, number>);
      assert.ok(low.some((l) => typeof l['episode/goalsInterrupted'] === 'number'), 'the low level logs interrupted goals');
      const entropy = (low[0] as Record<string, number>).entropy as number;
      assert.ok(entropy <= Math.log(7) + 1e-6, `the policy samples among at most 7 actions (noop, moves, do, place_stone), entropy ${entropy}`);
      const config = JSON.parse(readFileSync(join(out, 'config.json'), 'utf8')) as { hierarchy: { lowLevel: { survival: boolean; primitives: string } } };
      assert.equal(config.hierarchy.lowLevel.survival, true);
      assert.equal(config.hierarchy.lowLevel.primitives, 'options');
      assert.deepEqual((config.hierarchy.lowLevel as unknown as { milestones: string[] }).milestones, ['stone_pickaxe']);
      assert.deepEqual((config.hierarchy.lowLevel as unknown as { stock: Record<string, number> }).stock, { wood: 5 });
      assert.equal((config.hierarchy as unknown as { manager: { interrupts: boolean } }).manager.interrupts, true);
      assert.deepEqual([(config.hierarchy.lowLevel as unknown as { strikes: boolean }).strikes, (config.hierarchy.lowLevel as unknown as { collects: boolean }).collects], [true, true]);
      // It acts under the kernel too (one-step options and survival slots in the executor): same seed, same episodes.
      const { episodes } = await evalTwice(out, dir, 1, 2);
      assert.equal(episodes.length, 1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('crafter manager warm start: the kg manager decisions are cloned before PPO (imitation.json); with a sampling low level, resumes exactly', async () => {
    const dir = tempDir('train-crafter-hrl-imitation');
    try {
      const base = {
        // 16 options per update of up to 12 world steps: the first update already spans several 48-step episodes.
        world: 'crafter', agents: 1, seed: 4, totalSteps: 32, checkpointEvery: 1000,
        params: { oneHot: false, overrides: { 'world.length': 48 } },
        ppo: { numEnvs: 1, numSteps: 16, hidden: [8], numMinibatches: 1 },
        hierarchy: { lowLevel: { steps: 128, survival: true, primitives: 'options', readyCraftsFirst: true, ppo: { numEnvs: 2, numSteps: 32, hidden: [16], observationKeys: ['map', 'inventory', 'goal'] } }, manager: { maxOptionSteps: 12, interrupts: true, sampleLowLevel: true } },
      };
      const cfg = join(dir, 'imitation.json');
      writeFileSync(cfg, JSON.stringify({ ...base, hierarchy: { ...base.hierarchy, manager: { ...base.hierarchy.manager, imitation: { steps: 150, epochs: 3 } } } }));
      const plainCfg = join(dir, 'plain.json');
      writeFileSync(plainCfg, JSON.stringify(base));
      const out = join(dir, 'out');
      let printed = '';
      assert.equal(await trainCommand({ config: cfg, out, backend: 'wasm' }, { stdout: { write: (t: string) => ((printed += t), true) }, stderr: { write: () => true } }), 0);
      assert.match(printed, /manager warm start: \d+ kg-manager decisions over \d+ world steps/);
      const im = JSON.parse(readFileSync(join(out, 'imitation.json'), 'utf8')) as { worldSteps: number; decisions: number; fit: { crossEntropy: number[]; accuracy: number[]; valueLoss: number[] } };
      assert.ok(im.worldSteps >= 150, `the teacher ran at least its steps, then to an episode's end: ${im.worldSteps}`);
      assert.ok(im.decisions > 0 && im.decisions <= im.worldSteps, `one decision per option: ${im.decisions}`);
      assert.deepEqual([im.fit.crossEntropy.length, im.fit.accuracy.length, im.fit.valueLoss.length], [3, 3, 3], 'stats per epoch');
      assert.ok((im.fit.crossEntropy[2] as number) < (im.fit.crossEntropy[0] as number), `the fit improves: ${im.fit.crossEntropy.join(', ')}`);
      const plain = join(dir, 'plain');
      assert.equal(await trainCommand({ config: plainCfg, out: plain, quiet: true, backend: 'wasm' }, quietIo), 0);
      assert.equal(readFileSync(join(plain, 'low-level.jsonl'), 'utf8'), readFileSync(join(out, 'low-level.jsonl'), 'utf8'), 'the same low level');
      assert.ok(!existsSync(join(plain, 'imitation.json')));
      assert.notEqual(readFileSync(join(plain, 'metrics.jsonl'), 'utf8'), readFileSync(join(out, 'metrics.jsonl'), 'utf8'), 'the warm start changes the manager PPO starts from');
      // It acts in canopy eval with its sampling low level: the same seed, the same episodes.
      const { episodes } = await evalTwice(out, dir, 1, 3);
      assert.equal(episodes.length, 1);
      // Stopped in the manager's PPO and resumed: its checkpoint holds the cloned weights, nothing is cloned twice, and
      // the sampling low level replays each episode from its seed.
      await assertResumesInManager(cfg, join(dir, 'cut-manager'), out, 3);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a subgoal the world does not offer, or a world without a low level, fails with one clear line', async () => {
    const dir = tempDir('train-hrl-bad');
    try {
      const out = join(dir, 'out');
      const cases: [unknown, RegExp][] = [
        [{ ...HRL, hierarchy: { lowLevel: { steps: 10 }, manager: { subgoals: ['goal', 'key'] } } }, /hierarchy\.manager\.subgoals\[1\]: navigation \(open-room\) offers no subgoal "key"; it offers place, frontier, goal/],
        [{ ...HRL, hierarchy: { lowLevel: { steps: 10 }, manager: { subgoals: ['teleport'] } } }, /offers no subgoal "teleport"/],
        [{ world: 'crafter', hierarchy: { lowLevel: { steps: 10, milestones: ['stone_pickaxe', 'gold'] } } }, /hierarchy\.lowLevel\.milestones\[1\]: "gold" is not an item this world's rules make or collect/],
        [{ world: 'crafter', hierarchy: { lowLevel: { steps: 10, stock: { wood_pickaxe: 1 } } } }, /hierarchy\.lowLevel\.stock\.wood_pickaxe: "wood_pickaxe" is not an item this world's rules collect/],
        [{ world: 'crafter', hierarchy: { lowLevel: { steps: 10, stock: { wood: -2 } } } }, /hierarchy\.lowLevel\.stock\.wood: /],
        [{ ...HRL, hierarchy: { manager: {} } }, /hierarchy\.lowLevel: /],
        [{ world: 'crafter', params: { events: false }, hierarchy: { lowLevel: { steps: 10 } } }, /hierarchy: crafter subgoals are reached from the world's events: remove params\.events: false/],
        [{ world: 'crafter', hierarchy: { lowLevel: { steps: 10, reach: 4 } } }, /hierarchy\.lowLevel: Unrecognized key: "reach"/],
        [{ world: 'crafter', hierarchy: { lowLevel: { steps: 10, strikes: true } } }, /hierarchy\.lowLevel\.strikes: needs one-step options \(set primitives: options\)/],
        [{ world: 'crafter', hierarchy: { lowLevel: { steps: 10 }, manager: { interrupts: true } } }, /hierarchy\.manager\.interrupts: the interrupts are the survival rules' \(set lowLevel\.survival: true\)/],
        [{ world: 'crafter', hierarchy: { lowLevel: { steps: 10 }, manager: { imitation: { steps: 100, epochs: 0 } } } }, /hierarchy\.manager\.imitation\.epochs: /],
        [{ world: 'crafter', hierarchy: { lowLevel: { steps: 10 }, manager: { imitation: { epochs: 3 } } } }, /hierarchy\.manager\.imitation\.steps: /],
      ];
      for (const [i, [cfg, want]] of cases.entries()) {
        const file = join(dir, `c${i}.json`);
        writeFileSync(file, JSON.stringify(cfg));
        let stderr = '';
        const code = await main(['train', '--config', file, '--out', out, '--quiet', '--backend', 'wasm'], { stdout: { write: () => true }, stderr: { write: (t: string) => (stderr += t) } });
        assert.equal(code, 2, `case ${i}: ${stderr}`);
        assert.match(stderr, want);
        assert.equal(stderr.trim().split('\n').length, 1, 'one line');
        assert.equal(existsSync(out), false, 'no out folder');
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the shipped train experiments hold real train configs, and a tiny nav-hrl runs every condition', async () => {
    const dir = tempDir('train-experiments');
    try {
      const crafter = loadExperimentFile(new URL('../../experiments/crafter-1m.yaml', import.meta.url).pathname, {});
      for (const c of crafter.conditions) resolveTrainConfig(TrainConfigFileSchema.parse(c.config), {}, `crafter-1m ${c.id}`, (n) => join(dir, n));
      for (const name of ['crafter-hrl.yaml', 'crafter-hrl-1m.yaml']) {
        const path = new URL(`../../configs/${name}`, import.meta.url).pathname;
        const resolved = resolveTrainConfig(TrainConfigFileSchema.parse(parseYaml(readFileSync(path, 'utf8'))), {}, path, (n) => join(dir, n));
        assert.equal(resolved.hierarchy?.world, 'crafter', `${name} is a Crafter hierarchy config`);
      }
      const plan = loadExperimentFile(new URL('../../experiments/nav-hrl.yaml', import.meta.url).pathname, {});
      assert.deepEqual(plan.conditions.map((c) => c.id), ['multi-room,ppo', 'multi-room,ppo+novelty', 'multi-room,hrl+topological', 'maze25,ppo', 'maze25,ppo+novelty', 'maze25,hrl+topological']);
      for (const c of plan.conditions) {
        // The condition's own config, made tiny: fewer steps, smaller batches and nets; everything else as shipped.
        const cfg = structuredClone(c.config) as Record<string, Record<string, unknown>>;
        const h = cfg.hierarchy as { lowLevel: Record<string, unknown> } | undefined;
        const tiny = {
          ...cfg, totalSteps: h ? 16 : 64, checkpointEvery: 1000,
          params: { ...cfg.params, maxSteps: 24 },
          ppo: { ...cfg.ppo, numEnvs: 2, numSteps: h ? 8 : 32, hidden: [8] },
          ...(h && { hierarchy: { ...h, lowLevel: { ...h.lowLevel, steps: 64, ppo: { numEnvs: 2, numSteps: 32, hidden: [8] } } } }),
        };
        const file = join(dir, `${c.id}.json`);
        writeFileSync(file, JSON.stringify(tiny));
        const out = join(dir, c.id);
        assert.equal(await trainCommand({ config: file, out, quiet: true, backend: 'wasm', seed: '0' }, quietIo), 0, c.id);
        const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as { status: string; last: Record<string, number> };
        assert.equal(summary.status, 'completed', c.id);
        if (c.id.includes('novelty')) assert.equal(typeof summary.last['intrinsic/count-novelty'], 'number', `${c.id} logs its novelty`);
        if (h) assert.ok(existsSync(join(out, 'low-level.jsonl')), `${c.id} trained a low level`);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
