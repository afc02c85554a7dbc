/**
 * Decoupled PPO (Hilton et al. 2021, "Batch size-invariance for policy optimization") for the pipelined rollout:
 * the data were collected by the behaviour policy (the weights before the last update), the update starts from the
 * current ones (the proximal policy). PPO's ratio and clip are taken against the proximal policy, and each sample's
 * advantage is weighted by pi_prox / pi_behaviour, the off-policy correction for the one update of lag.
 */
import type { ActorCritic } from '../networks/actor-critic.js';
import { headOutput } from '../networks/network-input.js';
import type { RolloutBuffers, SlotRange } from '../rollout/collect-rollout.js';

/**
 * The log-probability under each group's current network of every action of a rollout `buf` (`[T, S]`, one forward
 * pass per group over its samples), and the importance weight pi_prox / pi_behaviour (`buf.logp` is the
 * behaviour's).
 */
export function proximalLogp(groups: readonly (SlotRange & { readonly net: ActorCritic })[], buf: RolloutBuffers, input: 'dense' | 'embedding-bag', w: number, T: number, S: number, A: number): { logp: Float32Array; weight: Float32Array } {
  const logp = new Float32Array(T * S);
  const weight = new Float32Array(T * S);
  for (const g of groups) {
    const rows = T * g.slotCount;
    const at = (r: number) => Math.floor(r / g.slotCount) * S + g.firstSlot + (r % g.slotCount);
    const pick = <X extends Float32Array | Int32Array>(a: X | null): X | null => {
      if (!a) return null;
      const out = new (a.constructor as new (n: number) => X)(rows * w);
      for (let r = 0; r < rows; r++) out.set(a.subarray(at(r) * w, (at(r) + 1) * w), r * w);
      return out;
    };
    const head = headOutput(g.net, rows, w, { dense: pick(buf.obs), idx: pick(buf.idx), val: pick(buf.val) });
    for (let r = 0; r < rows; r++) {
      const i = at(r);
      let max = -Infinity;
      for (let a = 0; a < A; a++) max = Math.max(max, (head[r * (A + 1) + a] as number) + (buf.maskBias[i * A + a] as number));
      let sum = 0;
      for (let a = 0; a < A; a++) sum += Math.exp((head[r * (A + 1) + a] as number) + (buf.maskBias[i * A + a] as number) - max);
      const act = buf.actions[i] as number;
      const lp = (head[r * (A + 1) + act] as number) + (buf.maskBias[i * A + act] as number) - max - Math.log(sum);
      logp[i] = lp;
      weight[i] = Math.exp(lp - (buf.logp[i] as number));
    }
  }
  return { logp, weight };
}
