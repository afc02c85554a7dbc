/**
 * Semi-MDP returns for a manager whose decisions last several steps (Sutton, Precup & Singh 1999): an option that
 * ran `k` env steps and collected `R` (the sum of extrinsic rewards over the option) discounts what follows by
 * `gamma^k`, not by `gamma`. Arrays hold one entry per manager decision, in order.
 */

/**
 * Discounted return of each decision: `G_i = R_i + gamma^{k_i} * G_{i+1}`, cut at `dones` (the episode ended with
 * that option), with `bootstrap` as the value after the last decision (0 when it ended an episode).
 *
 * @example
 * smdpReturns([1, 0, 2], [2, 3, 1], [0, 0, 1], 0.5); // [1 + 0.25 * (0 + 0.125 * 2), 0.125 * 2, 2] = [1.0625, 0.25, 2]
 */
export function smdpReturns(rewards: ArrayLike<number>, steps: ArrayLike<number>, dones: ArrayLike<number>, gamma: number, bootstrap = 0): Float64Array {
  const n = rewards.length;
  if (steps.length !== n || dones.length !== n) throw new RangeError(`smdpReturns: rewards, steps and dones need one entry per decision (${n}, ${steps.length}, ${dones.length})`);
  const out = new Float64Array(n);
  let next = bootstrap;
  for (let i = n - 1; i >= 0; i--) {
    const k = steps[i] as number;
    if (!(k >= 1)) throw new RangeError(`smdpReturns: option ${i} lasted ${k} steps; options last at least 1`);
    next = (rewards[i] as number) + ((dones[i] as number) ? 0 : gamma ** k * next);
    out[i] = next;
  }
  return out;
}

/**
 * The option's reward as the manager sees it when it discounts inside the option too:
 * `sum_{j<k} gamma^j r_j` for the option's per-step extrinsic rewards `r`.
 */
export function discountedOptionReward(stepRewards: ArrayLike<number>, gamma: number): number {
  let r = 0;
  for (let j = stepRewards.length - 1; j >= 0; j--) r = (stepRewards[j] as number) + gamma * r;
  return r;
}

/**
 * GAE over `[T, N]` manager decisions (as `ppo.ts`'s `gae`), with semi-MDP discounting: the discount from decision
 * t to t+1 of slot n is `gamma^{steps[t, n]}` (and lambda likewise per env step, `(gamma * lambda)^k`), so a
 * 10-step option looks ten steps ahead. With every `steps` 1 it equals plain GAE. This is the one change PPO
 * needs to train a manager exactly: pass the options' lengths (`infos[a].optionSteps` of a {@link ManagerEnv}).
 */
export function smdpGae(rewards: Float32Array, values: Float32Array, dones: Uint8Array, steps: Float32Array | Int32Array, lastValues: Float32Array, T: number, N: number, gamma: number, lambda: number): { advantages: Float32Array; returns: Float32Array } {
  const advantages = new Float32Array(T * N);
  const returns = new Float32Array(T * N);
  for (let n = 0; n < N; n++) {
    let next = 0;
    for (let t = T - 1; t >= 0; t--) {
      const i = t * N + n;
      const nonTerminal = 1 - (dones[i] as number);
      const k = Math.max(1, steps[i] as number);
      const discount = gamma ** k;
      const nextValue = t === T - 1 ? (lastValues[n] as number) : (values[i + N] as number);
      const delta = (rewards[i] as number) + discount * nextValue * nonTerminal - (values[i] as number);
      next = delta + discount * lambda ** k * nonTerminal * next;
      advantages[i] = next;
      returns[i] = next + (values[i] as number);
    }
  }
  return { advantages, returns };
}
