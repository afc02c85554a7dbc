"""Record differential-test fixtures from the reference Crafter (PyPI crafter 1.8.3).

Each scenario (see scenarios.py) is a hand-built 64x64 map, the player's start, some creatures and an
action sequence. The reference env is reset, then its world is overwritten with the map, every generated
object except the player is removed, the scenario's objects are added in order, chunk balancing is
disabled and rule overrides are patched into crafter.constants. Each step's player state is recorded.

Every scenario is recorded twice with different env seeds and the two recordings must be identical, so
a fixture never depends on the reference's random stream (only overridden probabilities may be 0 or 1).

Usage (through `npm run fixtures:crafter`, which runs run.sh):
  record.py                 write tests/fixtures/crafter/<name>.json for every scenario
  record.py --only NAME     record one scenario
  record.py --stats         write tests/fixtures/crafter/worldgen-stats.json (200 seeds)
"""
import argparse
import copy
import json
import pathlib
import sys

import numpy as np

import crafter
from crafter import constants, objects

sys.path.insert(0, str(pathlib.Path(__file__).parent))
import scenarios  # noqa: E402

OUT = pathlib.Path('tests/fixtures/crafter')
AREA = (64, 64)
CENTER = (32, 32)
LEGEND = {
    'g': 'grass', 's': 'stone', 't': 'tree', 'w': 'water', 'p': 'path', 'a': 'sand', 'l': 'lava',
    'c': 'coal', 'i': 'iron', 'd': 'diamond', 'T': 'table', 'F': 'furnace'}
# Patch-only markers: an object standing on the given material.
MARKERS = {'P': ('player', 'grass'), 'C': ('cow', 'grass'), 'Z': ('zombie', 'grass'),
           'K': ('skeleton', 'path'), 'N': ('plant', 'grass')}
# Canopy's override paths mapped to the reference's constants (the reference keys collect rules by the
# material, canopy by the item received).
OVERRIDE_PATHS = {'collect.sapling.probability': ('collect', 'grass', 'probability')}


def build_map(scn):
  """Returns (rows, player_pos, objects) from the scenario's patch placed so that P lands on its pos."""
  default = scn.get('default', 'g')
  grid = [[default] * AREA[0] for _ in range(AREA[1])]
  patch = scn['patch']
  anchor = None
  for py, line in enumerate(patch):
    if 'P' in line:
      anchor = (line.index('P'), py)
  assert anchor, scn['name']
  px, py0 = scn.get('pos', CENTER)
  objs = []
  player = None
  for dy, line in enumerate(patch):
    for dx, ch in enumerate(line):
      if ch == ' ':
        continue
      x, y = px + dx - anchor[0], py0 + dy - anchor[1]
      if not (0 <= x < AREA[0] and 0 <= y < AREA[1]):
        continue
      if ch in MARKERS:
        kind, mat = MARKERS[ch]
        grid[y][x] = {v: k for k, v in LEGEND.items()}[mat]
        if kind == 'player':
          player = [x, y]
        else:
          objs.append({'kind': kind, 'pos': [x, y]})
      else:
        assert ch in LEGEND, (scn['name'], ch)
        grid[y][x] = ch
  for kind, pos in scn.get('objects', []):
    objs.append({'kind': kind, 'pos': list(pos)})
  # Scenario-listed objects keep their order; patch objects follow in reading order unless reordered.
  order = scn.get('object_order')
  if order:
    objs = [objs[i] for i in order]
  for obj in objs:
    extra = scn.get('object_health', {}).get(tuple(obj['pos']))
    if extra is not None:
      obj['health'] = extra
  return [''.join(r) for r in grid], player, objs


def apply_overrides(overrides):
  saved = copy.deepcopy({'collect': constants.collect, 'place': constants.place, 'make': constants.make})
  for path, value in overrides.items():
    table, key, field = OVERRIDE_PATHS[path]
    getattr(constants, table)[key][field] = value
  return saved


def restore(saved):
  for table, value in saved.items():
    current = getattr(constants, table)
    current.clear()
    current.update(value)


def snapshot(player, unlocked):
  return {
      'pos': [int(player.pos[0]), int(player.pos[1])],
      'facing': [int(player.facing[0]), int(player.facing[1])],
      'sleeping': bool(player.sleeping),
      'inventory': {k: int(v) for k, v in player.inventory.items()},
      'achievements': sorted(unlocked),
  }


def setup(scn, rows, player_pos, objs, seed):
  env = crafter.Env(area=AREA, seed=seed)
  env._balance_chunk = lambda chunk, objs: None  # balancing disabled (the fixture's "balance": false)
  env._obs = lambda: None  # the image is irrelevant to the dynamics; skipping it makes recording fast
  env.reset()
  world, player = env._world, env._player
  for obj in world.objects:
    if obj is not player:
      world.remove(obj)
  for y, row in enumerate(rows):
    for x, ch in enumerate(row):
      world[x, y] = LEGEND[ch]
  if tuple(player.pos) != tuple(player_pos):
    world.move(player, np.array(player_pos))
  player.facing = tuple(scn.get('facing', (0, 1)))
  for k, v in scn.get('inventory', {}).items():
    player.inventory[k] = v
  for k, v in scn.get('vitals', {}).items():
    player.inventory[k] = v
  player._last_health = player.health
  env._last_health = player.health
  ctors = {
      'cow': lambda p: objects.Cow(world, p),
      'zombie': lambda p: objects.Zombie(world, p, player),
      'skeleton': lambda p: objects.Skeleton(world, p, player),
      'plant': lambda p: objects.Plant(world, p),
  }
  for spec in objs:
    obj = ctors[spec['kind']](np.array(spec['pos']))
    if 'health' in spec:
      obj.health = spec['health']
    world.add(obj)
  return env, world, player


def run(scn, seed):
  rows, player_pos, objs = build_map(scn)
  saved = apply_overrides(scn.get('overrides', {}))
  try:
    env, world, player = setup(scn, rows, player_pos, objs, seed)
    initial = snapshot(player, set())
    steps = []
    actions = scn['actions']
    policy = actions if callable(actions) else None
    limit = scn.get('steps', len(actions) if not policy else None)
    for t in range(limit):
      name = policy(env, world, player, t) if policy else actions[t]
      _, reward, done, _ = env.step(constants.actions.index(name))
      rec = {'action': name, 'reward': float(reward)}
      rec.update(snapshot(player, env._unlocked))
      rec['done'] = bool(done)
      steps.append(rec)
      if done:
        break
  finally:
    restore(saved)
  fixture = {
      'name': scn['name'],
      'area': list(AREA),
      'materials': rows,
      'legend': LEGEND,
      'player': {'pos': player_pos, 'facing': list(scn.get('facing', (0, 1)))},
      'objects': objs,
      'balance': False,
      'daylight': False,
  }
  if scn.get('inventory'):
    fixture['player']['inventory'] = scn['inventory']
  if scn.get('vitals'):
    fixture['player']['vitals'] = scn['vitals']
  if scn.get('overrides'):
    fixture['overrides'] = scn['overrides']
  fixture['steps'] = steps
  fixture['initial'] = initial
  return fixture


def dump(fixture):
  """JSON with one step per line: small diffs, still plain JSON."""
  head = {k: v for k, v in fixture.items() if k not in ('steps', 'materials')}
  parts = ['{']
  for k, v in head.items():
    parts.append(f'  {json.dumps(k)}: {json.dumps(v)},')
  parts.append('  "materials": [')
  parts.append(',\n'.join('    ' + json.dumps(r) for r in fixture['materials']))
  parts.append('  ],')
  parts.append('  "steps": [')
  parts.append(',\n'.join('    ' + json.dumps(s, separators=(',', ':')) for s in fixture['steps']))
  parts.append('  ]')
  parts.append('}')
  text = '\n'.join(parts) + '\n'
  json.loads(text)
  return text


def record(only=None):
  OUT.mkdir(parents=True, exist_ok=True)
  for scn in scenarios.SCENARIOS:
    if only and scn['name'] != only:
      continue
    a = run(scn, seed=0)
    b = run(scn, seed=12345)
    if a != b:
      for i, (x, y) in enumerate(zip(a['steps'], b['steps'])):
        if x != y:
          raise SystemExit(f'{scn["name"]}: depends on the random stream at step {i + 1}: {x} vs {y}')
      raise SystemExit(f'{scn["name"]}: depends on the random stream (length)')
    (OUT / f'{scn["name"]}.json').write_text(dump(a))
    last = a['steps'][-1]
    print(f'{scn["name"]}: {len(a["steps"])} steps, achievements={last["achievements"]}, '
          f'done={last["done"]}, inv={ {k: v for k, v in last["inventory"].items() if v} }')


def stats(seeds=200):
  names = list(constants.materials)
  shares = {n: [] for n in names}
  counts = {k: [] for k in ('cow', 'zombie', 'skeleton')}
  cls = {'cow': objects.Cow, 'zombie': objects.Zombie, 'skeleton': objects.Skeleton}
  total = AREA[0] * AREA[1]
  for seed in range(seeds):
    env = crafter.Env(area=AREA, seed=seed)
    env.reset()
    world = env._world
    for n in names:
      shares[n].append(float(world.count(n)) / total)
    objs = world.objects
    for k, c in cls.items():
      counts[k].append(sum(isinstance(o, c) for o in objs))
  def summary(values):
    arr = np.array(values, dtype=np.float64)
    return {'mean': float(arr.mean()), 'std': float(arr.std()), 'min': float(arr.min()),
            'max': float(arr.max())}
  result = {
      'reference': 'crafter==1.8.3',
      'seeds': f'crafter.Env(seed=s).reset() for s in 0..{seeds - 1}',
      'area': list(AREA),
      'materials': {n: summary(v) for n, v in shares.items()},
      'creatures': {k: summary(v) for k, v in counts.items()},
  }
  (OUT / 'worldgen-stats.json').write_text(json.dumps(result, indent=2) + '\n')
  print(json.dumps(result, indent=2))


if __name__ == '__main__':
  parser = argparse.ArgumentParser()
  parser.add_argument('--only')
  parser.add_argument('--stats', action='store_true')
  parser.add_argument('--seeds', type=int, default=200)
  args = parser.parse_args()
  if args.stats:
    stats(args.seeds)
  else:
    record(args.only)
