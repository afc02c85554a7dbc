// Kernel overhead of Simulation.runSync against a hand-written loop that calls the same controllers and
// world.step directly. Prints one line per variant; compare the ratios, absolute speeds vary +-20-30% here.
// Run: node --import tsx bench/lockstep-overhead.ts [steps]
import { box, discrete, Rng, Simulation, TrajectoryHasher } from '../core/index.js';
import type { AgentId, AgentInfo, Controller, DecisionContext, EnvMetadata, ParallelEnv, PerAgent, ResetArgs, ResetResult, Space, StepResult } from '../core/index.js';

const SIZE = 64;
const VIEW = 5;
const MOVES = [
  [0, 0],
  [-1, 0],
  [1, 0],
  [0, -1],
  [0, 1],
] as const;

/** A 64x64 gridworld with walls, N agents, a 5x5 local view (Uint8Array) per agent, episodes of 200 steps. */
class GridWorld implements ParallelEnv<Uint8Array, number> {
  readonly metadata: EnvMetadata = { name: 'bench-grid' };
  readonly possibleAgents: readonly AgentId[];
  agents: readonly AgentId[] = [];
  private readonly cells = new Uint8Array(SIZE * SIZE);
  private readonly xs: Int32Array;
  private readonly ys: Int32Array;
  private readonly obsSpace: Space = box([VIEW * VIEW], 0, 2, 'uint8');
  private readonly actSpace: Space = discrete(5);
  private rng = Rng.fromSeed(0);
  private t = 0;

  constructor(n: number) {
    this.possibleAgents = Array.from({ length: n }, (_, i) => `agent_${i}`);
    this.xs = new Int32Array(n);
    this.ys = new Int32Array(n);
  }
  observationSpace(): Space {
    return this.obsSpace;
  }
  actionSpace(): Space {
    return this.actSpace;
  }
  reset(args: ResetArgs = {}): ResetResult<Uint8Array> {
    if (args.seed !== undefined) this.rng = Rng.fromSeed(args.seed);
    for (let i = 0; i < this.cells.length; i++) this.cells[i] = this.rng.chance(0.15) ? 1 : 0;
    this.t = 0;
    this.agents = [...this.possibleAgents];
    const observations: PerAgent<Uint8Array> = {};
    const infos: PerAgent<AgentInfo> = {};
    this.agents.forEach((a, i) => {
      this.xs[i] = this.rng.int(0, SIZE - 1);
      this.ys[i] = this.rng.int(0, SIZE - 1);
      observations[a] = this.view(i);
      infos[a] = {};
    });
    return { observations, infos };
  }
  step(actions: Readonly<PerAgent<number>>): StepResult<Uint8Array> {
    this.t++;
    const observations: PerAgent<Uint8Array> = {};
    const rewards: PerAgent<number> = {};
    const terminations: PerAgent<boolean> = {};
    const truncations: PerAgent<boolean> = {};
    const infos: PerAgent<AgentInfo> = {};
    const done = this.t >= 200;
    for (let i = 0; i < this.agents.length; i++) {
      const a = this.agents[i] as AgentId;
      const [dx, dy] = MOVES[actions[a] ?? 0] as readonly [number, number];
      const x = this.xs[i]! + dx;
      const y = this.ys[i]! + dy;
      if (x >= 0 && y >= 0 && x < SIZE && y < SIZE && this.cells[y * SIZE + x] === 0) {
        this.xs[i] = x;
        this.ys[i] = y;
      }
      observations[a] = this.view(i);
      rewards[a] = this.cells[this.ys[i]! * SIZE + this.xs[i]!] === 0 ? 0.01 : 0;
      terminations[a] = false;
      truncations[a] = done;
      infos[a] = {};
    }
    if (done) this.agents = [];
    return { observations, rewards, terminations, truncations, infos };
  }
  state(): unknown {
    return null;
  }
  defaultAction(): number {
    return 0;
  }
  private view(i: number): Uint8Array {
    const out = new Uint8Array(VIEW * VIEW);
    const r = (VIEW - 1) / 2;
    for (let dy = -r; dy <= r; dy++) {
      for (let dx = -r; dx <= r; dx++) {
        const x = this.xs[i]! + dx;
        const y = this.ys[i]! + dy;
        out[(dy + r) * VIEW + dx + r] = x < 0 || y < 0 || x >= SIZE || y >= SIZE ? 2 : this.cells[y * SIZE + x]!;
      }
    }
    return out;
  }
}

/** Moves towards open cells, else randomly, from its own stream. */
function controller(rng: Rng): Controller<Uint8Array, number> {
  return {
    act: (ctx: DecisionContext<Uint8Array>) => {
      const o = ctx.observation;
      for (let m = 1; m < 5; m++) if (o[[11, 13, 7, 17][m - 1] as number] === 0 && rng.chance(0.5)) return m;
      return rng.int(0, 4);
    },
  };
}

const AGENTS = 6;
const STEPS = Number(process.argv[2] ?? 50_000);

function direct(): number {
  const env = new GridWorld(AGENTS);
  const rng = Rng.fromSeed(1);
  const controllers = new Map(env.possibleAgents.map((a) => [a, controller(rng.fork(a))]));
  const worldState = () => env.state();
  let obs = env.reset({ seed: rng.seed() });
  let observations = obs.observations;
  let infos = obs.infos;
  let episode = 0;
  let t = 0;
  const start = performance.now();
  for (let s = 0; s < STEPS; s++) {
    const actions: PerAgent<number> = {};
    for (const agent of env.agents) {
      actions[agent] = controllers.get(agent)!.act({ agent, observation: observations[agent]!, info: infos[agent]!, step: t, episode, worldState }) as number;
    }
    const r = env.step(actions);
    t++;
    observations = r.observations;
    infos = r.infos;
    if (env.agents.length === 0) {
      obs = env.reset({ seed: rng.seed() });
      observations = obs.observations;
      infos = obs.infos;
      episode++;
      t = 0;
    }
  }
  return performance.now() - start;
}

function simulated(listen: 'none' | 'events' | 'hash'): number {
  const sim = new Simulation({ env: new GridWorld(AGENTS), seed: 1, controllers: (_a, { rng }) => controller(rng) });
  let n = 0;
  if (listen === 'events') sim.events$.subscribe(() => n++);
  if (listen === 'hash') new TrajectoryHasher().follow(sim);
  const start = performance.now();
  const summary = sim.runSync({ steps: STEPS });
  const ms = performance.now() - start;
  if (summary.steps !== STEPS) throw new Error(`expected ${STEPS} steps, ran ${summary.steps}`);
  return ms;
}

// Alternate the variants over many short rounds and compare medians: this machine's speed drifts within seconds.
const variants: Record<string, () => number> = { direct, runSync: () => simulated('none'), 'runSync+events$': () => simulated('events') };
const times: Record<string, number[]> = {};
const ROUNDS = 15;
for (let round = 0; round < ROUNDS + 2; round++) {
  for (const [name, fn] of Object.entries(variants)) {
    const ms = fn();
    if (round >= 2) (times[name] ??= []).push(ms);
  }
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1] as number;
const base = median(times.direct as number[]);
const line = (name: string, ms: number) =>
  console.log(`${name.padEnd(16)} ${((STEPS / ms) * 1000).toFixed(0).padStart(9)} steps/s  (${AGENTS} agents, median of ${ROUNDS})  overhead vs direct ${(((ms - base) / base) * 100).toFixed(1)}%`);
for (const [name, xs] of Object.entries(times)) line(name, median(xs));
// Hashing allocates; measured last so its garbage does not slow the others.
line('runSync+hash', median([simulated('hash'), simulated('hash'), simulated('hash')]));
