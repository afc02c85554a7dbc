import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createNavigationEnv, NavigationConfigError, parseNavigationConfig } from '../../../worlds/navigation/index.js';

const fails = (input: unknown, ...patterns: RegExp[]) => {
  assert.throws(() => parseNavigationConfig(input), (e: unknown) => {
    assert.ok(e instanceof NavigationConfigError, `expected NavigationConfigError, got ${String(e)}`);
    for (const p of patterns) assert.match(e.message, p);
    return true;
  });
};

test('defaults are filled in and the result is frozen', () => {
  const c = parseNavigationConfig({ layout: 'maze' });
  assert.equal(c.layout, 'maze');
  assert.ok(c.layout === 'maze' && c.width === 21 && c.height === 21);
  assert.equal(c.agents, 1);
  assert.equal(c.viewSize, 7);
  assert.equal(c.goalMode, 'shared');
  assert.equal(c.stepPenalty, 0);
  assert.ok(Object.isFrozen(c));
});

test('errors name the field, the value given and what is allowed', () => {
  fails({ layout: 'maze', width: 20 }, /width = 20/, /must be odd/);
  fails({ layout: 'open-room', obstacleDensity: 0.9 }, /obstacleDensity = 0\.9/, /0\.6/);
  fails({ layout: 'four-rooms', agents: 0 }, /agents = 0/, />=\s*1/);
  fails({ layout: 'key-door', viewSize: 4 }, /viewSize = 4/, /must be odd/);
  fails({ layout: 'multi-room', rooms: 2.5 }, /rooms = 2\.5/, /int/i);
  fails({ layout: 'maze', goalMode: 'both' }, /goalMode = "both"/, /shared/, /each/);
});

test('an unknown layout lists the known ones; an unknown field is named', () => {
  fails({ layout: 'labyrinth' }, /layout = "labyrinth"/, /open-room, four-rooms, multi-room, maze, key-door/);
  fails({ layout: 'maze', widht: 11 }, /widht/);
});

test('a map too small for the agents is reported at reset with the numbers', () => {
  const env = createNavigationEnv({ layout: 'ascii', map: ['#####', '#   #', '#####'], agents: 3, goalMode: 'each' });
  assert.throws(() => env.reset({ seed: 1 }), /too few for 3 agents/);
});

test('a hand-drawn map with an unknown character names row and column', () => {
  assert.throws(() => createNavigationEnv({ layout: 'ascii', map: ['###', '#x#', '###'] }).reset(), /map\[1\]\[1\] = "x"/);
});
