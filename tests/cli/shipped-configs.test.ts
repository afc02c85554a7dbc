// Every config shipped in configs/ loads and validates as `canopy train --config` reads it, so a renamed or
// mistyped key in one of them fails here rather than in a user's first run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadTrainConfigFile, resolveTrainConfig } from '../../cli/train-config.js';

const dir = join(import.meta.dirname, '..', '..', 'configs');

test('every shipped train config validates; the fast Crafter config halves the epochs and doubles the lr of the 1M one; the hierarchy configs stock wood and stone; the learned-manager one clones the kg manager after 600k + 100k world steps', () => {
  const files = readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort();
  assert.ok(files.length >= 4, files.join(', '));
  const resolved = new Map(files.map((f) => [f, resolveTrainConfig(loadTrainConfigFile(join(dir, f)), {}, f, (n) => `/tmp/${n}`)]));
  const base = resolved.get('ppo-crafter-1m.yaml');
  const fast = resolved.get('ppo-crafter-1m-fast.yaml');
  assert.ok(base && fast);
  assert.deepEqual([base.ppo.updateEpochs, fast.ppo.updateEpochs], [4, 2]);
  assert.equal(fast.ppo.learningRate, 2 * base.ppo.learningRate);
  const { updateEpochs: _a, learningRate: _b, ...baseRest } = base.ppo;
  const { updateEpochs: _c, learningRate: _d, ...fastRest } = fast.ppo;
  assert.deepEqual(fastRest, baseRest, 'nothing else differs');
  const hrl = resolved.get('crafter-hrl-1m.yaml')?.hierarchy?.lowLevel as { stock?: Record<string, number> } | undefined;
  assert.deepEqual(hrl?.stock, { wood: 6, stone: 2 }, 'the Crafter hierarchy config keeps run S\'s stock');
  const learned = resolved.get('crafter-hrl-1m-learned.yaml')?.hierarchy as { lowLevel: { steps: number; stock: Record<string, number> }; manager: { imitation?: { steps: number } } } | undefined;
  assert.deepEqual(learned?.lowLevel.stock, { wood: 6, stone: 2 });
  assert.deepEqual([learned?.lowLevel.steps, learned?.manager.imitation?.steps], [600_000, 100_000], 'the bench\'s split: 600k low level, 100k demonstrations');
});
