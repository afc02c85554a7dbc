import type { AgentId, AgentInfo, PerAgent } from '../parallel-env.js';
import { Rng } from '../rng.js';
import { whyNotContained, type Space } from '../spaces.js';
import { ConformanceError, ensure } from './conformance-error.js';
import { firstDifference } from './first-difference.js';
import { randomActions, type AnyEnv, type EnvFactory } from './random-actions.js';

export interface ApiTestOptions {
  /** Total steps to take, over as many episodes as they span (default 300). */
  readonly cycles?: number;
  /** Seed of the first reset and of the random legal actions (default 0). */
  readonly seed?: number;
}

/**
 * Checks the `ParallelEnv` invariants written in `core/parallel-env.ts` while stepping with random legal actions
 * (PettingZoo's `api_test`): agents lists, identical space objects, exactly the live agents' keys in every result,
 * observations in their spaces, finite rewards, boolean flags, action masks, no revived agents, an error when
 * stepping a finished episode or with an action for an agent that is not live, and a `state()` that changes nothing.
 * @throws ConformanceError saying in words what went wrong, for which agent, at which step.
 */
export function apiTest(makeEnv: EnvFactory, opts: ApiTestOptions = {}): void {
  const cycles = opts.cycles ?? 300;
  const seed = opts.seed ?? 0;
  const env = makeEnv();
  const possible = [...env.possibleAgents];
  ensure(possible.length > 0, 'apiTest: possibleAgents is empty');
  ensure(possible.every((a) => typeof a === 'string'), () => `apiTest: possibleAgents must be strings, got [${possible.map(String).join(', ')}]`);
  ensure(new Set(possible).size === possible.length, () => `apiTest: possibleAgents has duplicates: [${possible.join(', ')}]`);
  const obsSpaces = new Map<AgentId, Space>();
  const actSpaces = new Map<AgentId, Space>();
  for (const a of possible) {
    obsSpaces.set(a, env.observationSpace(a));
    actSpaces.set(a, env.actionSpace(a));
    const why = whyNotContained(env.actionSpace(a), env.defaultAction(a), `defaultAction("${a}")`);
    ensure(why === null, () => `apiTest: defaultAction is not in the action space of ${a}: ${why}`);
  }
  const checkSpaces = (when: string) => {
    for (const a of possible) {
      ensure(env.observationSpace(a) === obsSpaces.get(a), `apiTest: observationSpace("${a}") ${when} is not the same object as before (spaces must be created once and returned on every call)`);
      ensure(env.actionSpace(a) === actSpaces.get(a), `apiTest: actionSpace("${a}") ${when} is not the same object as before (spaces must be created once and returned on every call)`);
    }
    ensure(firstDifference(possible, [...env.possibleAgents]) === null, () => `apiTest: possibleAgents changed ${when}: [${possible.join(', ')}] became [${env.possibleAgents.join(', ')}]`);
  };
  checkSpaces('on a second call');

  const rng = Rng.fromSeed(seed).fork('conformance-actions');
  let episode = 0;
  let t = 0;
  let { observations, infos } = env.reset({ seed });
  const where = () => `episode ${episode}, step ${t}`;
  checkLive(env, possible, new Set(), `after reset (${where()})`);
  checkPerAgent(env, { observations, infos }, [...env.agents], `reset (${where()})`, obsSpaces, actSpaces);
  checkSpaces('after reset');
  let removed = new Set<AgentId>();
  let triedDeadAgent = false;
  for (let cycle = 0; cycle < cycles; cycle++) {
    if (env.agents.length === 0) {
      expectThrow(() => env.step({}), `apiTest: step({}) after the episode ended (${where()}, no live agents) should throw until reset()`);
      checkMetrics(env, where());
      ({ observations, infos } = env.reset());
      episode++;
      t = 0;
      removed = new Set();
      checkLive(env, possible, removed, `after reset() without seed (${where()})`);
      checkPerAgent(env, { observations, infos }, [...env.agents], `reset (${where()})`, obsSpaces, actSpaces);
      continue;
    }
    const before = [...env.agents];
    const actions = randomActions(env, infos, rng);
    if (!triedDeadAgent && removed.size > 0) {
      triedDeadAgent = true;
      const dead = [...removed][0] as AgentId;
      expectThrow(() => env.step({ ...actions, [dead]: env.defaultAction(dead) }), `apiTest: step() with an action for ${dead}, which left the episode, should throw (${where()})`);
    }
    t++;
    const res = env.step(actions);
    checkPerAgent(env, res, before, `step (${where()})`, obsSpaces, actSpaces);
    for (const a of before) {
      const r = res.rewards[a];
      ensure(typeof r === 'number' && Number.isFinite(r), () => `apiTest: reward of ${a} at ${where()} should be a finite number, got ${String(r)}`);
      ensure(typeof res.terminations[a] === 'boolean', () => `apiTest: terminations.${a} at ${where()} should be a boolean, got ${String(res.terminations[a])}`);
      ensure(typeof res.truncations[a] === 'boolean', () => `apiTest: truncations.${a} at ${where()} should be a boolean, got ${String(res.truncations[a])}`);
    }
    if (res.events !== undefined) {
      ensure(Array.isArray(res.events), `apiTest: events at ${where()} should be an array`);
      res.events.forEach((e, i) => ensure(typeof e?.type === 'string' && 'data' in e, `apiTest: events[${i}] at ${where()} should be { type: string, data }`));
    }
    const done = before.filter((a) => res.terminations[a] || res.truncations[a]);
    const after = [...env.agents];
    checkLive(env, possible, removed, `after ${where()}`);
    for (const a of done) ensure(!after.includes(a), `apiTest: ${a} was ${res.terminations[a] ? 'terminated' : 'truncated'} at ${where()} but is still in agents`);
    for (const a of before) {
      ensure(done.includes(a) || after.includes(a), `apiTest: ${a} left agents at ${where()} without being terminated or truncated`);
    }
    for (const a of done) removed.add(a);
    checkMetrics(env, where());
    observations = res.observations;
    infos = res.infos;
  }
  checkSpaces(`after ${cycles} steps`);
  void observations;
  statePureTest(makeEnv, seed, Math.min(cycles, 100));
  unknownAgentTest(makeEnv, seed);
}

/** `state()` never changes the world: a trajectory is the same whether or not `state()` is called before each step. */
function statePureTest(makeEnv: EnvFactory, seed: number, steps: number): void {
  const plain = makeEnv();
  const probed = makeEnv();
  const r0 = plain.reset({ seed });
  probed.state();
  const r1 = probed.reset({ seed });
  let d = firstDifference(r0, r1, 'reset');
  ensure(d === null, () => `apiTest: two environments reset with seed ${seed} differ (${d}), so state() purity cannot be checked`);
  const rng = Rng.fromSeed(seed).fork('conformance-state');
  let infos: Readonly<PerAgent<AgentInfo>> = r0.infos;
  for (let t = 1; t <= steps && plain.agents.length > 0; t++) {
    const s1 = probed.state();
    const s2 = probed.state();
    d = firstDifference(s1, s2, 'state()');
    ensure(d === null, () => `apiTest: two state() calls in a row differ before step ${t} (${d}): state() must not change the world`);
    const actions = randomActions(plain, infos, rng);
    const a = plain.step(actions);
    const b = probed.step(actions);
    d = firstDifference(a, b, `step ${t}`);
    ensure(d === null, () => `apiTest: calling state() changed the trajectory: at ${d} (without state() calls vs with them)`);
    infos = a.infos;
  }
}

/** An action for an agent that does not exist is an error, not silently ignored. */
function unknownAgentTest(makeEnv: EnvFactory, seed: number): void {
  const env = makeEnv();
  const { infos } = env.reset({ seed });
  const actions = randomActions(env, infos, Rng.fromSeed(seed));
  const first = env.agents[0];
  if (first === undefined) return;
  expectThrow(() => env.step({ ...actions, ['__no_such_agent__']: env.defaultAction(first) }), 'apiTest: step() with an action for an unknown agent "__no_such_agent__" should throw');
}

function checkLive(env: AnyEnv, possible: readonly AgentId[], removed: ReadonlySet<AgentId>, when: string): void {
  const live = [...env.agents];
  let last = -1;
  for (const a of live) {
    const i = possible.indexOf(a);
    ensure(i >= 0, `apiTest: agents ${when} contains ${a}, which is not in possibleAgents [${possible.join(', ')}]`);
    ensure(i > last, `apiTest: agents ${when} is [${live.join(', ')}], not in the order of possibleAgents [${possible.join(', ')}] (or has duplicates)`);
    ensure(!removed.has(a), `apiTest: ${a} came back ${when} after it was terminated or truncated earlier in the episode`);
    last = i;
  }
}

function checkPerAgent(
  env: AnyEnv,
  res: object,
  expected: readonly AgentId[],
  when: string,
  obsSpaces: ReadonlyMap<AgentId, Space>,
  actSpaces: ReadonlyMap<AgentId, Space>,
): void {
  const fields = 'rewards' in res ? ['observations', 'rewards', 'terminations', 'truncations', 'infos'] : ['observations', 'infos'];
  for (const f of fields) {
    const rec = (res as Record<string, unknown>)[f];
    ensure(typeof rec === 'object' && rec !== null, `apiTest: ${f} from ${when} should be a record, got ${String(rec)}`);
    const keys = Object.keys(rec);
    const missing = expected.filter((a) => !keys.includes(a));
    const extra = keys.filter((k) => !expected.includes(k));
    ensure(missing.length === 0 && extra.length === 0, () =>
      `apiTest: ${f} from ${when} should have exactly the live agents [${expected.join(', ')}]` +
      (missing.length ? `; missing ${missing.join(', ')}` : '') + (extra.length ? `; unexpected ${extra.join(', ')}` : ''));
  }
  const observations = (res as Record<string, unknown>)['observations'] as PerAgent<unknown>;
  const infos = (res as Record<string, unknown>)['infos'] as PerAgent<unknown>;
  for (const a of expected) {
    const why = whyNotContained(obsSpaces.get(a) as Space, observations[a], `observations.${a}`);
    ensure(why === null, () => `apiTest: observation of ${a} from ${when} is not in its observation space: ${why}`);
    const info = infos[a];
    ensure(typeof info === 'object' && info !== null, `apiTest: info of ${a} from ${when} should be an object, got ${String(info)}`);
    const mask = (info as AgentInfo).actionMask;
    if (mask === undefined) continue;
    const space = actSpaces.get(a) as Space;
    ensure(mask instanceof Uint8Array, () => `apiTest: infos.${a}.actionMask from ${when} should be a Uint8Array, got ${String((mask as object)?.constructor?.name ?? mask)}`);
    ensure(space.kind === 'discrete', `apiTest: infos.${a}.actionMask from ${when} is given, but the action space is ${space.kind}, not discrete`);
    ensure(mask.length === space.n, `apiTest: infos.${a}.actionMask from ${when} has length ${mask.length}, the action space has n = ${space.n}`);
    const bad = mask.findIndex((v) => v !== 0 && v !== 1);
    ensure(bad < 0, () => `apiTest: infos.${a}.actionMask[${bad}] from ${when} is ${mask[bad]}, should be 0 or 1`);
  }
  void env;
}

function checkMetrics(env: AnyEnv, when: string): void {
  if (!env.episodeMetrics) return;
  const m = env.episodeMetrics();
  for (const [k, v] of Object.entries(m)) ensure(typeof v === 'number' && Number.isFinite(v), `apiTest: episodeMetrics().${k} at ${when} should be a finite number, got ${String(v)}`);
}

function expectThrow(fn: () => unknown, message: string): void {
  try {
    fn();
  } catch (e) {
    if (e instanceof ConformanceError) throw e;
    return;
  }
  throw new ConformanceError(message);
}
