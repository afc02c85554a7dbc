import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, tempDir } from './support/run-cli.js';

const dir = tempDir('bad');
const file = (name: string, text: string): string => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};
const base = ['run', '--layout', 'open-room', '--steps', '20', '--seed', '1'];

/** Each case: the arguments, and a pattern the single error line must match. */
const cases: { name: string; args: string[]; message: RegExp }[] = [
  { name: 'unknown world', args: ['run', '--world', 'atlantis'], message: /--world: unknown world "atlantis"; expected "navigation"/ },
  { name: 'unknown layout', args: ['run', '--layout', 'castle'], message: /--layout: world "navigation" has no layout "castle"; expected .*"four-rooms"/ },
  { name: 'negative agent count', args: ['run', '--agents', '-3'], message: /--agents must be a positive integer, got "-3"/ },
  { name: 'non-numeric step count', args: ['run', '--steps', 'lots'], message: /--steps must be a positive integer, got "lots"/ },
  { name: 'fractional episode count', args: ['run', '--episodes', '2.5'], message: /--episodes must be a positive integer, got "2.5"/ },
  { name: 'non-numeric seed', args: ['run', '--seed', 'abc'], message: /--seed must be a non-negative integer, got "abc"/ },
  { name: 'unknown agent', args: ['run', '--agent', 'genius'], message: /--agent: unknown agent "genius"; expected "random", "oracle" or "explorer"/ },
  { name: 'both --steps and --episodes', args: ['run', '--steps', '10', '--episodes', '2'], message: /give either --steps or --episodes, not both/ },
  { name: 'unknown flag', args: ['run', '--speed', '3'], message: /unknown option '--speed'/ },
  { name: 'missing config file', args: ['run', '--config', join(dir, 'nope.yaml')], message: /--config: cannot read ".*nope\.yaml": no such file/ },
  {
    name: 'malformed YAML config',
    args: ['run', '--config', file('broken.yaml', 'world: navigation\nagents: [1, 2\nseed: 3\n')],
    message: /broken\.yaml: invalid YAML: .*line \d+/,
  },
  { name: 'malformed JSON config', args: ['run', '--config', file('broken.json', '{"world": "navigation",}')], message: /broken\.json: invalid JSON: / },
  {
    name: 'unknown config field',
    args: ['run', '--config', file('typo.yaml', 'world: navigation\nagnets: 3\n')],
    message: /typo\.yaml: unknown field "agnets" \(allowed: world, layout, agents, agent, steps, episodes, seed, out, events, params\)/,
  },
  { name: 'config field of the wrong type', args: ['run', '--config', file('type.yaml', 'agents: two\n')], message: /type\.yaml: field "agents": .*number/ },
  { name: 'config that is not a mapping', args: ['run', '--config', file('list.yaml', '- world\n- navigation\n')], message: /list\.yaml: a run config must be a mapping/ },
  {
    name: 'world parameter out of range',
    args: [...base, '--config', file('params.yaml', 'params:\n  width: 2\n')],
    message: /params: .*width/,
  },
  { name: 'out folder below a file', args: [...base, '--out', join(file('plain.txt', 'x'), 'run')], message: /--out: cannot write to ".*plain\.txt\/run": a part of the path is a file/ },
];

describe('canopy run rejects bad input with one clear line', { concurrency: 4 }, () => {
  for (const c of cases) {
    it(c.name, async () => {
      const res = await runCli(c.args, dir);
      assert.equal(res.code, 2, `exit code should be 2 for ${c.name}; stderr: ${res.stderr}`);
      const lines = res.stderr.trimEnd().split('\n');
      assert.equal(lines.length, 1, `stderr should be exactly one line, got:\n${res.stderr}`);
      assert.match(lines[0] ?? '', /^error: /, 'the line starts with "error: "');
      assert.match(lines[0] ?? '', c.message);
      assert.doesNotMatch(res.stderr, /\n\s+at /, 'no stack trace');
    });
  }

  it('leaves no out folder behind when the world rejects its parameters', async () => {
    const out = join(dir, 'never-created');
    const res = await runCli([...base, '--out', out, '--config', file('params2.yaml', 'params:\n  viewSize: 4\n')], dir);
    assert.equal(res.code, 2);
    assert.match(res.stderr, /viewSize/);
    assert.equal(existsSync(out), false, 'a rejected run must not create its out folder');
  });

  it('refuses to overwrite an out folder that already holds a run', async () => {
    const out = join(dir, 'taken');
    const first = await runCli([...base, '--out', out, '--quiet'], dir);
    assert.equal(first.code, 0, first.stderr);
    const second = await runCli([...base, '--out', out, '--quiet'], dir);
    assert.equal(second.code, 2);
    assert.match(second.stderr, /^error: --out: ".*taken" already holds a run/);
  });
});
