"""Steps per second of the reference Crafter (PyPI crafter 1.8.3) under uniformly random actions.

Modes:
  image     crafter.Env() as shipped: every step renders the 64x64x3 image and (in info) the semantic map.
  semantic  the same env with the image rendering skipped, so a step costs the world update plus the
            semantic map copy the reference puts in info['semantic'] (what a symbolic agent would read).
Resets (10,000-step episodes or death) are included in the timing, as they are in training.

Prints one JSON object per mode on stdout, e.g.
  {"mode": "image", "steps": 5000, "seconds": 2.9, "steps_per_second": 1700.0, "crafter": "1.8.3"}
Run: .cache/crafter-venv/bin/python scripts/crafter-fixtures/bench_reference.py [--steps N] [--modes image,semantic]
(`npm run fixtures:crafter` creates that venv.)
"""
import argparse
import json
from importlib import metadata
import time

import numpy as np

import crafter


def bench(mode, steps, seed):
  env = crafter.Env(seed=seed)
  if mode == 'semantic':
    env._obs = lambda: None
  rng = np.random.RandomState(seed)
  actions = rng.randint(0, env.action_space.n, size=steps)
  env.reset()
  start = time.perf_counter()
  for action in actions:
    _, _, done, info = env.step(int(action))
    if done:
      env.reset()
  seconds = time.perf_counter() - start
  return {'mode': mode, 'steps': steps, 'seconds': round(seconds, 3),
          'steps_per_second': round(steps / seconds, 1), 'crafter': metadata.version('crafter')}


def main():
  parser = argparse.ArgumentParser()
  parser.add_argument('--steps', type=int, default=5000)
  parser.add_argument('--seed', type=int, default=0)
  parser.add_argument('--modes', default='image,semantic')
  args = parser.parse_args()
  for mode in args.modes.split(','):
    print(json.dumps(bench(mode, args.steps, args.seed)), flush=True)


if __name__ == '__main__':
  main()
