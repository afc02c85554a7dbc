import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadExperimentFile, parseExperiment } from '../../cli/experiment-file.js';
import { CliError } from '../../cli/errors.js';

const BASE = 'config: { world: navigation, layout: open-room, agent: explorer, steps: 100 }\n';
const parse = (text: string, env: NodeJS.ProcessEnv = {}) => parseExperiment('exp.yaml', text, env);
const rejects = (text: string, message: RegExp) =>
  assert.throws(() => parse(text), (err: unknown) => err instanceof CliError && message.test(err.message) && err.message.startsWith('exp.yaml: '), `expected ${message}`);

describe('experiment files', () => {
  it('expands the grid into every combination, minus the excluded ones, in file order', () => {
    const plan = parse(`${BASE}grid:\n  agents: [1, 2, 6]\n  shareMemory: [on, off]\nexclude:\n  - { agents: 1, shareMemory: off }\nseeds: 3\n`);
    assert.deepEqual(plan.conditions.map((c) => c.id), [
      'agents=1,shareMemory=on', 'agents=2,shareMemory=on', 'agents=2,shareMemory=off', 'agents=6,shareMemory=on', 'agents=6,shareMemory=off',
    ]);
    assert.deepEqual(plan.seeds, [0, 1, 2]);
    assert.equal(plan.name, 'exp', 'the name defaults to the file name');
    const c = plan.conditions[2]!;
    assert.deepEqual(c.values, { agents: 2, shareMemory: 'off' }, 'values as written, for tables');
    assert.deepEqual(c.config, { world: 'navigation', layout: 'open-room', agent: 'explorer', steps: 100, agents: 2, shareMemory: false }, 'switches become booleans in the config');
  });

  it('keeps on/off as words where the field takes words, and passes --flags and dotted fields', () => {
    const plan = parse(`${BASE}grid:\n  memory: [off]\n  params.maxSteps: [50]\n  --events: [on]\nseeds: { first: 100, count: 2 }\n`);
    const c = plan.conditions[0]!;
    assert.equal(c.config['memory'], 'off', 'memory: off is the store named "off", not false');
    assert.deepEqual(c.config['params'], { maxSteps: 50 });
    assert.deepEqual(c.flags, ['--events', 'on']);
    assert.deepEqual(plan.seeds, [100, 101]);
  });

  it('adds extra conditions, and leaves out those whose server variable is not set', () => {
    const text = `${BASE}grid: { agents: [2] }\nconditions:\n  - set: { agents: 4, agent: random }\n  - name: llm\n    set: { agent: llm }\n    when: { env: OPENAI_BASE_URL }\nseeds: [5, 9]\n`;
    const without = parse(text);
    assert.deepEqual(without.conditions.map((c) => c.id), ['agents=2', 'agents=4,agent=random']);
    assert.deepEqual(without.skipped, [{ id: 'llm', env: 'OPENAI_BASE_URL' }]);
    assert.deepEqual(without.axes, ['agents', 'agent']);
    const withServer = parse(text, { OPENAI_BASE_URL: 'http://127.0.0.1:1/v1' });
    assert.deepEqual(withServer.conditions.map((c) => c.id), ['agents=2', 'agents=4,agent=random', 'llm']);
    assert.equal(withServer.conditions[2]!.config['agent'], 'llm');
  });

  it('rejects bad files with one line naming the file, the field and what is expected', () => {
    rejects(`${BASE}grid: { agents: [1] }\nseeds: 2\nrepeats: 3\n`, /unknown field "repeats" \(allowed: name, description, command, config, grid/);
    rejects(`${BASE}grid: {}\nseeds: 2\n`, /the grid is empty/);
    rejects(`${BASE}seeds: 2\n`, /the grid is empty/);
    rejects(`${BASE}grid: { agents: [] }\nseeds: 2\n`, /field "grid.agents": an axis needs at least one value/);
    rejects(`${BASE}grid: { agnets: [1, 2] }\nseeds: 2\n`, /grid: unknown field "agnets" for canopy run \(allowed: world, layout/);
    rejects(`config: { wrld: crafter }\ngrid: { agents: [1] }\nseeds: 2\n`, /config: unknown field "wrld"/);
    rejects(`${BASE}grid: { agents: [1] }\n`, /field "seeds" is missing: give a count/);
    rejects(`${BASE}grid: { agents: [1] }\nseeds: 0\n`, /field "seeds"/);
    rejects(`${BASE}grid: { agents: [1] }\nseeds: [1, 1]\n`, /a seed is listed twice/);
    rejects(`${BASE}grid: { seed: [1, 2] }\nseeds: 2\n`, /"seed" is set for each run by the experiment/);
    rejects(`${BASE}grid: { agents: [1] }\nexclude: [{ agent: random }]\nseeds: 2\n`, /exclude.0: "agent" is not a grid axis/);
    rejects(`${BASE}grid: { agents: [1] }\nexclude: [{ agents: 1 }]\nseeds: 2\n`, /leaves no condition/);
    rejects(`${BASE}grid: { agents: [1] }\nconditions: [{ set: { agents: 1 } }]\nseeds: 2\n`, /two conditions are both "agents=1"/);
    rejects(`${BASE}grid: { agents: [{ a: 1 }] }\nseeds: 2\n`, /field "grid.agents.0"/);
    rejects(`${BASE}grid: { agents: [1] }\nseeds: 2\ncommand: Run!\n`, /field "command": a canopy command name/);
    rejects(`${BASE}grid: [1, 2]\nseeds: 2\n`, /field "grid"/);
    rejects('grid: { agents: [1]\n', /invalid YAML/);
    rejects('- 1\n', /an experiment file is a mapping/);
    assert.throws(() => loadExperimentFile('/nonexistent/exp.yaml'), /experiment file "\/nonexistent\/exp.yaml": cannot read it: no such file/);
  });

  it('does not check fields of a command it does not know (the command checks its own config)', () => {
    const plan = parse('command: tune\nconfig: { world: crafter, learningRate: 0.0003 }\ngrid: { algo: [ppo, hrl] }\nseeds: 1\n');
    assert.equal(plan.command, 'tune');
    assert.equal(plan.conditions[1]!.config['algo'], 'hrl');
  });

  it('checks the fields of canopy train, and a numeric part of a dotted name indexes a list', () => {
    assert.throws(() => parse('command: train\nconfig: { world: crafter, agent: ppo }\ngrid: { seedx: [1] }\nseeds: 1\n'), /config: unknown field "agent" for canopy train \(allowed: world, layout/);
    const plan = parse('command: train\nconfig: { world: navigation }\nconditions:\n  - set: { intrinsic.0.name: count-novelty, intrinsic.0.weight: 0.05, ppo.numSteps: 16 }\nseeds: 1\n');
    assert.deepEqual(plan.conditions[0]!.config, { world: 'navigation', intrinsic: [{ name: 'count-novelty', weight: 0.05 }], ppo: { numSteps: 16 } });
  });

  it('every shipped experiment file is valid', () => {
    const dir = new URL('../../experiments/', import.meta.url).pathname;
    const files = readdirSync(dir).filter((f) => f.endsWith('.yaml'));
    assert.ok(files.length >= 3, `expected the shipped experiments, found ${files.join(', ')}`);
    for (const f of files) {
      const plan = loadExperimentFile(join(dir, f), {});
      assert.ok(plan.conditions.length > 0, `${f}: no condition`);
    }
  });
});
