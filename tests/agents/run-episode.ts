// Test helper: one episode of a navigation env driven by controllers, in plain lockstep without the kernel.
import type { Controller } from '../../core/controller.js';
import type { AgentId } from '../../core/parallel-env.js';
import { Rng } from '../../core/rng.js';
import type { NavigationEnv, NavigationInfo, NavigationObservation, NavigationState } from '../../worlds/navigation/index.js';

export interface EpisodeOutcome {
  readonly steps: number;
  readonly metrics: Readonly<Record<string, number>>;
  readonly returns: Record<AgentId, number>;
  readonly eventTypes: string[];
}

type NavController = Controller<NavigationObservation, number, NavigationInfo, NavigationState>;

/** Resets `env` with `seed` and steps it until no agent is live; controllers answer synchronously. */
export function runEpisode(env: NavigationEnv, controllers: Record<AgentId, NavController>, seed: number, episode = 0): EpisodeOutcome {
  let { observations, infos } = env.reset({ seed });
  const rng = Rng.fromSeed(seed).fork('controllers');
  for (const a of env.agents) {
    const c = controllers[a] as NavController;
    c.reset?.({ agent: a, episode, observationSpace: env.observationSpace(a), actionSpace: env.actionSpace(a), rng: rng.fork(a) });
  }
  const returns: Record<AgentId, number> = {};
  const eventTypes: string[] = [];
  let steps = 0;
  while (env.agents.length > 0) {
    const actions: Record<AgentId, number> = {};
    for (const a of env.agents) {
      const decision = (controllers[a] as NavController).act({
        agent: a, observation: observations[a] as NavigationObservation, info: infos[a] as NavigationInfo,
        step: steps, episode, worldState: () => env.state(),
      });
      if (typeof decision !== 'number') throw new Error('baseline controllers answer synchronously');
      actions[a] = decision;
    }
    const res = env.step(actions);
    steps++;
    for (const [a, r] of Object.entries(res.rewards)) returns[a] = (returns[a] ?? 0) + r;
    for (const e of res.events ?? []) eventTypes.push(e.type);
    observations = res.observations;
    infos = res.infos;
  }
  return { steps, metrics: env.episodeMetrics(), returns, eventTypes };
}
