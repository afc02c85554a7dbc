"""Steps per second of the reference Crafter (PyPI crafter 1.8.3) under uniformly random actions.

Modes:
  image     crafter.Env() as shipped: every step renders the 64x64x3 image and (in info) the semantic map.
  semantic  the same env with the image rendering skipped, so a step costs the world update plus the
            semantic map copy the reference puts in info['semantic'] (what a symbolic agent would read).
Random actions die often, and a reset (pure-Python world generation) costs one to several seconds, so step time and
reset time are reported apart: steps_per_second counts env.step only, steps_per_second_with_resets both.

Prints one JSON object per mode on stdout with the fields mode, steps, resets, step_seconds, reset_seconds,
steps_per_second, steps_per_cpu_second (process CPU time: steadier on a shared machine),
steps_per_second_with_resets and crafter (the installed version).
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
  stepping = resetting = step_cpu = 0.0
  resets = 0
  for action in actions:
    t0, c0 = time.perf_counter(), time.process_time()
    _, _, done, info = env.step(int(action))
    t1, c1 = time.perf_counter(), time.process_time()
    stepping += t1 - t0
    step_cpu += c1 - c0
    if done:
      env.reset()
      resetting += time.perf_counter() - t1
      resets += 1
  return {'mode': mode, 'steps': steps, 'resets': resets, 'step_seconds': round(stepping, 3),
          'reset_seconds': round(resetting, 3), 'steps_per_second': round(steps / stepping, 1),
          'steps_per_cpu_second': round(steps / step_cpu, 1),
          'steps_per_second_with_resets': round(steps / (stepping + resetting), 1),
          'crafter': metadata.version('crafter')}


def main():
  parser = argparse.ArgumentParser()
  parser.add_argument('--steps', type=int, default=2000)
  parser.add_argument('--seed', type=int, default=0)
  parser.add_argument('--modes', default='image,semantic')
  args = parser.parse_args()
  for mode in args.modes.split(','):
    print(json.dumps(bench(mode, args.steps, args.seed)), flush=True)


if __name__ == '__main__':
  main()
