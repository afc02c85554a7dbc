import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, runMain, tempDir } from './support/run-cli.js';

const dir = tempDir('bad');
after(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, text: string): string => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};
const base = ['run', '--layout', 'open-room', '--steps', '20', '--seed', '1'];

/** Each case: the arguments, and a pattern the single error line must match. */
const cases: { name: string; args: string[]; message: RegExp; spawn?: true }[] = [
  { name: 'unknown world', args: ['run', '--world', 'atlantis'], message: /--world: unknown world "atlantis"; expected "navigation"/, spawn: true },
  { name: 'unknown layout', args: ['run', '--layout', 'castle'], message: /--layout: world "navigation" has no layout "castle"; expected .*"four-rooms"/, spawn: true },
  { name: 'negative agent count', args: ['run', '--agents', '-3'], message: /--agents must be a positive integer, got "-3"/, spawn: true },
  { name: 'non-numeric step count', args: ['run', '--steps', 'lots'], message: /--steps must be a positive integer, got "lots"/ },
  { name: 'fractional episode count', args: ['run', '--episodes', '2.5'], message: /--episodes must be a positive integer, got "2.5"/ },
  { name: 'non-numeric seed', args: ['run', '--seed', 'abc'], message: /--seed must be a non-negative integer, got "abc"/ },
  { name: 'unknown agent', args: ['run', '--agent', 'genius'], message: /--agent: world "navigation" has no agent "genius"; expected "random", "oracle" or "explorer"/, spawn: true },
  { name: 'both --steps and --episodes', args: ['run', '--steps', '10', '--episodes', '2'], message: /give either --steps or --episodes, not both/ },
  { name: 'unknown flag', args: ['run', '--speed', '3'], message: /unknown option '--speed'/ },
  { name: 'missing config file', args: ['run', '--config', join(dir, 'nope.yaml')], message: /--config: cannot read ".*nope\.yaml": no such file/ },
  {
    name: 'malformed YAML config',
    args: ['run', '--config', file('broken.yaml', 'world: navigation\nagents: [1, 2\nseed: 3\n')],
    message: /broken\.yaml: invalid YAML: .*line \d+/,
    spawn: true,
  },
  { name: 'malformed JSON config', args: ['run', '--config', file('broken.json', '{"world": "navigation",}')], message: /broken\.json: invalid JSON: / },
  {
    name: 'unknown config field',
    args: ['run', '--config', file('typo.yaml', 'world: navigation\nagnets: 3\n')],
    message: /typo\.yaml: unknown field "agnets" \(allowed: world, layout, rules, agents, agent, steps, episodes, seed, out, events, memory, shareMemory, messages, params, llm\)/,
  },
  { name: 'config field of the wrong type', args: ['run', '--config', file('type.yaml', 'agents: two\n')], message: /type\.yaml: field "agents": .*number/ },
  { name: 'config that is not a mapping', args: ['run', '--config', file('list.yaml', '- world\n- navigation\n')], message: /list\.yaml: a run config must be a mapping/ },
  {
    name: 'world parameter out of range',
    args: [...base, '--config', file('params.yaml', 'params:\n  width: 2\n')],
    message: /navigation: invalid navigation config: width = 2/,
  },
  {
    name: 'a map too small for the agents',
    args: [...base, '--agents', '40', '--config', file('crowded.yaml', 'params:\n  width: 5\n  height: 5\n')],
    message: /navigation: .*too few for 40 agents/,
  },
  {
    name: 'a run field inside params',
    args: [...base, '--config', file('shadow.yaml', 'params:\n  agents: 3\n')],
    message: /params\.agents: set "agents" as a top-level field or with --agents, not inside params/,
  },
  { name: 'unknown memory store', args: ['run', '--memory', 'redis'], message: /--memory: unknown store "redis"; expected "graphology", "neo4j" or "off"/ },
  { name: 'bad on/off switch', args: ['run', '--share-memory', 'maybe'], message: /--share-memory must be on or off, got "maybe"/ },
  { name: 'memory store of the wrong kind in a config', args: ['run', '--config', file('mem.yaml', 'memory: sqlite\n')], message: /mem\.yaml: field "memory": / },
  { name: 'kg-planner without memory', args: ['run', '--world', 'crafter', '--rules', 'mac', '--agent', 'kg-planner', '--memory', 'off'], message: /--memory off: agent "kg-planner" plans over the knowledge graph; use --memory graphology/ },
  { name: 'crafter: unknown rules', args: ['run', '--world', 'crafter', '--rules', 'foo'], message: /--rules: world "crafter" has no rules "foo"; expected "crafter" or "mac"/ },
  { name: 'crafter: too many agents', args: ['run', '--world', 'crafter', '--agents', '101'], message: /--agents: world "crafter" takes 1\.\.100 agents, got 101/ },
  { name: 'crafter: an agent of another world', args: ['run', '--world', 'crafter', '--agent', 'oracle'], message: /--agent: world "crafter" has no agent "oracle"; expected "random", "scripted", "kg-planner" or "llm"/ },
  { name: 'crafter: --layout is navigation\'s flag', args: ['run', '--world', 'crafter', '--layout', 'maze'], message: /--layout: world "crafter" has no layout; it takes --rules \("crafter" or "mac"\)/ },
  { name: 'navigation: --rules is crafter\'s flag', args: ['run', '--rules', 'mac'], message: /--rules: world "navigation" has no rules; it takes --layout/ },
  {
    name: 'crafter: bad world parameter',
    args: ['run', '--world', 'crafter', '--steps', '5', '--config', file('crafter-params.yaml', 'params:\n  pixels: yes please\n')],
    message: /crafter: pixels: .*boolean/,
  },
  {
    name: 'crafter: unknown rule override',
    args: ['run', '--world', 'crafter', '--steps', '5', '--config', file('crafter-override.yaml', 'params:\n  overrides:\n    world.lenght: 50\n')],
    message: /crafter: .*world: Unrecognized key: "lenght"/,
  },
  {
    name: 'crafter: rules inside params',
    args: ['run', '--world', 'crafter', '--steps', '5', '--config', file('crafter-shadow.yaml', 'params:\n  ruleset: mac\n')],
    message: /params\.ruleset: set "rules" as a top-level field or with --rules, not inside params/,
  },
  { name: 'out folder below a file', args: [...base, '--out', join(file('plain.txt', 'x'), 'run')], message: /--out: cannot write to ".*plain\.txt\/run": a part of the path is a file/, spawn: true },
];

/** Checks the one-line contract: exit code 2, one line starting "error: ", matching `message`, no stack. */
function assertOneLineError(res: { code: number | null; stderr: string }, name: string, message: RegExp): void {
  assert.equal(res.code, 2, `exit code should be 2 for ${name}; stderr: ${res.stderr}`);
  const lines = res.stderr.trimEnd().split('\n');
  assert.equal(lines.length, 1, `stderr should be exactly one line, got:\n${res.stderr}`);
  assert.match(lines[0] ?? '', /^error: /, 'the line starts with "error: "');
  assert.match(lines[0] ?? '', message);
  assert.doesNotMatch(res.stderr, /\n\s+at /, 'no stack trace');
}

// Spawning bin/canopy.js costs ~1 s of start-up each; the real binary is checked on a representative set and the
// remaining cases go through the same `main` in this process.
describe('canopy run (spawned) rejects bad input with one clear line', { concurrency: 3 }, () => {
  for (const c of cases.filter((c) => c.spawn)) {
    it(c.name, async () => assertOneLineError(await runCli(c.args, dir), c.name, c.message));
  }
});

describe('canopy run (in process) rejects bad input with one clear line', () => {
  const cwd = process.cwd();
  for (const c of cases.filter((c) => !c.spawn)) {
    it(c.name, async () => {
      process.chdir(dir);
      try {
        assertOneLineError(await runMain(c.args), c.name, c.message);
      } finally {
        process.chdir(cwd);
      }
    });
  }

  it('leaves no out folder behind when the world rejects its parameters', async () => {
    const out = join(dir, 'never-created');
    const res = await runMain([...base, '--out', out, '--config', file('params2.yaml', 'params:\n  viewSize: 4\n')]);
    assertOneLineError(res, 'bad viewSize', /viewSize/);
    assert.equal(existsSync(out), false, 'a rejected run must not create its out folder');
  });

  it('names the Neo4j it could not reach (nothing listens on NEO4J_URI) and writes no config.json', async () => {
    const out = join(dir, 'no-neo4j');
    const saved = process.env.NEO4J_URI;
    process.env.NEO4J_URI = 'bolt://127.0.0.1:1';
    try {
      const res = await runMain([...base, '--memory', 'neo4j', '--out', out]);
      assertOneLineError(res, 'unreachable Neo4j', /--memory neo4j: cannot use Neo4j at bolt:\/\/127\.0\.0\.1:1: /);
      assert.equal(existsSync(join(out, 'config.json')), false, 'a run that could not open its memory must not look like a run');
    } finally {
      if (saved === undefined) delete process.env.NEO4J_URI;
      else process.env.NEO4J_URI = saved;
    }
  });

  it('refuses to overwrite an out folder that already holds a run', async () => {
    const out = join(dir, 'taken');
    const first = await runMain([...base, '--out', out, '--quiet']);
    assert.equal(first.code, 0, first.stderr);
    assert.ok(existsSync(join(out, 'summary.json')));
    assertOneLineError(await runMain([...base, '--out', out, '--quiet']), 'taken out folder', /--out: ".*taken" already holds a run/);
  });
});
