/**
 * The rollout thread of a pipelined PPO (see {@link RolloutThread}): the envs, a replica of each policy group's
 * network on its own tfjs backend, and the sampling stream. Each `collect` command loads the behaviour weights
 * the main thread wrote, collects one rollout with {@link collectRollout} and posts its buffers (transferred, not
 * copied). Commands come through a shared control word (Atomics), as in the env and learner workers.
 */
import { receiveMessageOnPort, workerData } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../../../core/rng.js';
import { initBackend } from '../backend.js';
import { ActorCritic } from '../networks/actor-critic.js';
import { headOutput, headValues } from '../networks/network-input.js';
import { ObservationEncoder } from '../observation-encoder.js';
import { allocRolloutBuffers, collectRollout } from './collect-rollout.js';
import type { InferGroups } from './collect-rollout.js';
import { ROLLOUT_CMD, ROLLOUT_CTRL, ROLLOUT_STATE } from './rollout-protocol.js';
import type { RolloutMessage, RolloutPosition, RolloutWorkerInit } from './rollout-protocol.js';
import { VectorEnv } from './vector-env.js';
import type { DiscreteEnv, VectorEnvState } from './vector-env.js';

const init = workerData as RolloutWorkerInit;
const ctrl = new Int32Array(init.ctrl);

/** Builds everything; an error here is reported through the first command (the main thread is waiting on it). */
async function setup() {
  await initBackend(init.backend, { quiet: true });
  const mod = (await import(init.env.module)) as Record<string, (arg: unknown, index: number) => DiscreteEnv>;
  const make = mod[init.env.factory];
  if (typeof make !== 'function') throw new Error(`${init.env.module} has no export "${init.env.factory}"`);
  const envs = Array.from({ length: init.numEnvs }, (_, i) => make(init.env.arg, i));
  const first = envs[0] as DiscreteEnv;
  const encoder = new ObservationEncoder(first.observationSpace(first.possibleAgents[0] as string), init.encoder);
  const vec = new VectorEnv(envs, encoder, init.input, Rng.fromState(init.envRng));
  vec.reset();
  // The initial draws do not matter: the behaviour weights are loaded before each rollout.
  const nets = init.groups.map(() => new ActorCritic(init.spec, Rng.fromSeed(0)));
  return { vec, nets, width: init.input === 'dense' ? encoder.size : encoder.bagSize };
}

let built: Awaited<ReturnType<typeof setup>> | null = null;
let setupError: unknown = null;
try {
  built = await setup();
} catch (err) {
  setupError = err;
}
let rng = Rng.fromState(init.rolloutRng);
const weights = init.weights.map((b) => new Float32Array(b));
/** Where the last rollout started: a checkpoint taken while it is in flight resumes from there. */
let start: RolloutPosition | null = null;

function run(cmd: number): void {
  if (!built) throw setupError instanceof Error ? setupError : new Error(String(setupError));
  const { vec, nets, width } = built;
  if (cmd === ROLLOUT_CMD.collect) {
    nets.forEach((net, g) => {
      const flat = weights[g] as Float32Array;
      let off = 0;
      net.setWeights(net.variables.map((v) => flat.subarray(off, (off += v.size))));
    });
    start = { vec: vec.snapshot(), rng: rng.getState() };
    const A = vec.actions;
    const infer: InferGroups = (obs, use) => {
      init.groups.forEach((g, gi) => {
        const from = g.firstSlot * width;
        const rows = <T extends Float32Array | Int32Array>(a: T | null): T | null => (a ? (a.subarray(from, from + g.slotCount * width) as T) : null);
        const head = headOutput(nets[gi] as ActorCritic, g.slotCount, width, { dense: rows(obs.dense), idx: rows(obs.idx), val: rows(obs.val) });
        use(gi, head, headValues(head, g.slotCount, A));
      });
    };
    const buf = allocRolloutBuffers(init.settings.numSteps * vec.slots, width, A, init.input);
    const res = collectRollout(vec, buf, width, init.groups, init.settings, infer, rng);
    const msg: RolloutMessage = { buf, ...res };
    const transfer = [...Object.values(buf), res.lastValues].filter((a) => a !== null).map((a) => (a as Float32Array).buffer);
    init.port.postMessage(msg, transfer as ArrayBuffer[]);
  } else if (cmd === ROLLOUT_CMD.snapshot) {
    const atStart = (receiveMessageOnPort(init.port)?.message as { start: boolean } | undefined)?.start === true;
    const pos: RolloutPosition = atStart && start ? start : { vec: vec.snapshot(), rng: rng.getState() };
    init.port.postMessage(pos);
  } else if (cmd === ROLLOUT_CMD.restore) {
    const pos = receiveMessageOnPort(init.port)?.message as RolloutPosition;
    vec.restore(pos.vec as VectorEnvState);
    rng = Rng.fromState(pos.rng);
    start = null;
  }
}

for (;;) {
  let st = Atomics.load(ctrl, ROLLOUT_CTRL.state);
  while (st !== ROLLOUT_STATE.posted) {
    Atomics.wait(ctrl, ROLLOUT_CTRL.state, st);
    st = Atomics.load(ctrl, ROLLOUT_CTRL.state);
  }
  try {
    run(Atomics.load(ctrl, ROLLOUT_CTRL.cmd));
    Atomics.store(ctrl, ROLLOUT_CTRL.error, 0);
  } catch (err) {
    init.port.postMessage({ error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
    Atomics.store(ctrl, ROLLOUT_CTRL.error, 1);
  }
  Atomics.store(ctrl, ROLLOUT_CTRL.tensors, tf.memory().numTensors);
  Atomics.store(ctrl, ROLLOUT_CTRL.state, ROLLOUT_STATE.done);
  Atomics.notify(ctrl, ROLLOUT_CTRL.state);
}
