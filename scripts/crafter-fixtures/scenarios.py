"""Hand-built scenarios recorded by record.py.

A patch is a list of rows placed on a 64x64 map of `default` (grass) so that its `P` lands on `pos`
(default (32, 32)). Patch chars: the fixture legend, plus markers standing for an object on a material:
P player (grass), C cow (grass), Z zombie (grass), K skeleton (path), N plant (grass). ' ' = default.
Objects update after the player in the order they are listed (patch reading order unless object_order).
Creatures are walled in by stone (or by the player) so their random moves can never succeed.
"""
from crafter import constants

L, R, U, D = (-1, 0), (1, 0), (0, -1), (0, 1)
TABLE_WOOD = constants.place['table']['uses']['wood']
FURNACE_STONE = constants.place['furnace']['uses']['stone']


def rep(action, n):
  return [action] * n


def sleep_wake_policy(env, world, player, t):
  if t == 0:
    return 'sleep'
  if player.sleeping:
    if t == 5:
      return 'move_left'  # ignored while asleep
    if player.inventory['energy'] >= 9:
      return 'move_right'  # the player wakes at the start of this update, then moves
    return 'noop'
  if t in (60, 61):
    return 'sleep'  # energy is full: sleep does nothing
  return 'noop'


def exhausted_policy(env, world, player, t):
  if t < 40:
    return 'noop'
  if t == 40:
    return 'sleep'
  return 'noop'


def survival_policy(env, world, player, t):
  """Keeps the player alive next to water and three plants with noop/sleep mixes."""
  if player.sleeping:
    return 'noop'
  inv = player.inventory
  facing = tuple(player.facing)
  dirs = {L: 'move_left', R: 'move_right', U: 'move_up', D: 'move_down'}

  def face_and_do(d):
    return 'do' if facing == d else dirs[d]

  if inv['food'] <= 5:
    for d in (U, R, D):
      obj = world[player.pos + d][1]
      if obj is not None and getattr(obj, 'ripe', False):
        return face_and_do(d)
  if inv['drink'] <= 5:
    return face_and_do(L)
  if inv['energy'] <= 3:
    return 'sleep'
  if t % 500 < 3 and inv['energy'] < 9:
    return 'sleep'
  return 'noop'


SCENARIOS = [
    dict(name='collect-wood', patch=[' t', 'tPt', ' t'], facing=L, inventory={'wood': 7},
         actions=['do', 'move_up', 'do', 'move_right', 'do', 'move_down', 'do', 'move_left', 'noop']),
    dict(name='collect-sapling', patch=[' s', ' Pg', ' a', ' a'], facing=R,
         overrides={'collect.sapling.probability': 1.0},
         actions=['place_plant', 'do', 'do', 'place_plant', 'do', 'place_plant', 'move_right', 'move_up',
                  'place_plant', 'move_down', 'place_plant', 'do', 'noop']),
    dict(name='collect-sapling-never', patch=['Pg'], facing=R,
         overrides={'collect.sapling.probability': 0.0}, actions=['do', 'do', 'do', 'place_plant']),
    dict(name='collect-stone-coal', patch=['T', ' Psc'], facing=R, inventory={'wood': 2},
         actions=['do', 'make_wood_pickaxe', 'do', 'move_right', 'do', 'move_right', 'move_right', 'noop']),
    dict(name='collect-iron', patch=[' s', 'TPi'], facing=R, inventory={'wood': 2, 'wood_pickaxe': 1},
         actions=['do', 'move_up', 'do', 'make_stone_pickaxe', 'move_right', 'do', 'move_right', 'noop']),
    dict(name='collect-diamond', patch=['T', ' Pd', 'F'], facing=R,
         inventory={'wood': 1, 'coal': 1, 'iron': 1, 'wood_pickaxe': 1, 'stone_pickaxe': 1},
         actions=['do', 'make_iron_pickaxe', 'do', 'make_iron_sword', 'move_right', 'make_iron_sword',
                  'noop']),
    dict(name='drink-water', patch=['wPs'], facing=L, inventory={'stone': 1}, vitals={'drink': 5},
         actions=rep('do', 5) + ['move_left', 'place_stone', 'do', 'move_left', 'noop']),
    dict(name='place-stone', patch=['  a', '  g', ' wPgp', '  lg', '   g'], facing=D,
         inventory={'stone': 5},
         actions=['place_stone', 'move_left', 'place_stone', 'place_stone', 'move_right', 'place_stone',
                  'move_down', 'place_stone', 'move_up', 'move_left', 'move_up', 'place_stone',
                  'move_right', 'place_stone', 'noop']),
    dict(name='place-table-furnace', patch=[' s', 'tPg'], facing=R,
         inventory={'wood_pickaxe': 1, 'wood': TABLE_WOOD - 1, 'stone': FURNACE_STONE - 1},
         actions=['place_table', 'place_furnace', 'move_left', 'do', 'move_up', 'place_table', 'do',
                  'place_table', 'move_right', 'place_furnace', 'place_table', 'move_down', 'noop']),
    dict(name='make-wood-tools', patch=['P  T'], facing=R, inventory={'wood': 3},
         actions=['make_wood_pickaxe', 'move_right', 'make_wood_sword', 'move_right', 'make_wood_pickaxe',
                  'make_wood_sword', 'make_wood_sword', 'make_wood_pickaxe', 'noop']),
    dict(name='make-stone-tools', patch=['  T', ' sP'], facing=D,
         inventory={'wood': 3, 'stone': 1, 'wood_pickaxe': 1},
         actions=['make_stone_pickaxe', 'make_stone_sword', 'move_left', 'do', 'make_stone_sword',
                  'make_stone_pickaxe', 'noop']),
    dict(name='make-iron-tools', patch=['T', ' Pg'], facing=R,
         inventory={'wood': 3, 'coal': 2, 'iron': 2, 'stone': 9},
         actions=['make_iron_pickaxe', 'make_iron_sword', 'place_furnace', 'make_iron_pickaxe',
                  'make_iron_sword', 'make_iron_sword', 'noop']),
    dict(name='move-obstacles', patch=['  t', ' wPs', '  p', '  a', '  T'], facing=D,
         actions=['move_up', 'move_left', 'move_right', 'move_down', 'move_down', 'move_down',
                  'move_down', 'move_left', 'move_right', 'move_right', 'move_up', 'noop']),
    dict(name='map-edge', patch=['P'], pos=(0, 1), facing=L, inventory={'stone': 1},
         actions=['move_left', 'do', 'place_stone', 'move_up', 'move_up', 'place_stone', 'move_right',
                  'noop']),
    dict(name='quirk-nearby-low-edge', patch=['PT'], pos=(0, 5), facing=D, inventory={'wood': 2},
         actions=['make_wood_pickaxe', 'move_down', 'make_wood_pickaxe', 'move_right', 'make_wood_pickaxe',
                  'noop']),
    dict(name='sleep-wake', patch=['P'], facing=D, vitals={'energy': 6}, actions=sleep_wake_policy,
         steps=70),
    dict(name='sleep-exhausted', patch=['P'], facing=D, vitals={'energy': 1, 'health': 5},
         actions=exhausted_policy, steps=170),
    dict(name='zombie-sleeping', patch=[' s', 'PZs', ' s'], facing=R, vitals={'energy': 3},
         actions=['sleep', 'noop', 'sleep'] + rep('noop', 12)),
    dict(name='zombie-fight', patch=[' s', 'PZs', ' s'], facing=R,
         actions=rep('do', 5) + ['noop', 'move_right', 'noop']),
    dict(name='zombie-dying-attack', patch=[' s', 'PZs', ' s'], facing=R, inventory={'stone_sword': 1},
         actions=rep('noop', 5) + ['do', 'do'] + rep('noop', 6) + ['move_right']),
    dict(name='skeleton-fight', patch=[' s', 'PKs', ' s'], facing=R,
         actions=rep('noop', 6) + rep('do', 3) + ['noop', 'move_right', 'noop']),
    dict(name='cow-eat', patch=[' s', 'PCs', ' s'], facing=R, vitals={'food': 2},
         actions=['move_right'] + rep('do', 3) + ['move_right'] + rep('noop', 30)),
    dict(name='plant-eat', patch=['wPg'], facing=R, inventory={'sapling': 1},
         actions=['place_plant'] + rep('noop', 148) + ['move_left'] + rep('do', 9) + ['move_right']
         + rep('noop', 140) + rep('do', 4) + rep('noop', 2)),
    dict(name='plant-trampled', patch=['  s', 'PNCs', '  s'], facing=R, object_order=[1, 0],
         actions=['noop', 'move_right', 'noop', 'noop']),
    dict(name='lava-death', patch=['Pl'], facing=D, actions=['noop', 'move_right', 'noop']),
    dict(name='starvation-thirst', patch=['P'], facing=D, vitals={'food': 1, 'drink': 1},
         actions=lambda env, world, player, t: 'noop', steps=400),
    dict(name='reward-combo', patch=['Pt'], facing=R, vitals={'health': 5},
         actions=rep('noop', 25) + ['do', 'noop']),
    dict(name='failed-actions', patch=[' t', 'aPT', ' w'], facing=U, inventory={'sapling': 1, 'wood': 9},
         actions=['place_plant', 'place_table', 'move_right', 'place_table', 'do', 'make_stone_pickaxe',
                  'make_iron_pickaxe', 'move_down', 'place_table', 'place_furnace', 'place_plant', 'sleep',
                  'move_left', 'place_plant', 'do', 'noop']),
    dict(name='cow-wood-sword', patch=[' s', 'PCs', ' s'], facing=R, inventory={'wood_sword': 1},
         actions=['do', 'do', 'move_right', 'noop']),
    dict(name='zombie-iron-sword', patch=[' s', 'PZs', ' s'], facing=R, inventory={'wood_sword': 1, 'iron_sword': 1},
         actions=['do', 'noop', 'move_right', 'noop']),
    # Plant A starts at Manhattan distance 18 (outside the update range < 18) and B at 17: B ripens while the
    # player waits, A only grows once the player walks back within range.
    dict(name='update-range', patch=['wP'], facing=D, objects=[('plant', (32, 14)), ('plant', (32, 49))],
         actions=rep('noop', 148) + ['move_left'] + rep('do', 9) + rep('noop', 305 - 158) + rep('move_down', 16)
         + ['do'] + rep('move_up', 33) + ['do', 'noop', 'noop']),
    dict(name='survival-2000', patch=[' N', 'wPN', ' N'], facing=L, actions=survival_policy, steps=2000),
]
