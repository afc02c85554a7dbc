import type { Controller } from '../../../../core/controller.js';
import { ofType } from '../../../../core/operators/of-type.js';
import { Simulation } from '../../../../core/simulation.js';
import { createNavigationEnv } from '../../../../worlds/navigation/index.js';
import type { NavigationConfigInput } from '../../../../worlds/navigation/index.js';

/**
 * The PPO learning tests' task: a 5x5 open room (7x7 with walls) whose goal and start move every episode; the 9x9
 * view shows the whole room. 16 steps are twice the longest shortest path, so a random walk often runs out of time.
 */
export const ROOM: NavigationConfigInput = { layout: 'open-room', width: 7, height: 7, obstacleDensity: 0, viewSize: 9, maxSteps: 16 };

/** Share of `episodes` episodes in {@link ROOM} that the controllers solve, run through the kernel's Simulation on fresh maps. */
export function successRate(makeController: (agent: string) => Controller, episodes: number, seed: number): number {
  const sim = new Simulation({ env: createNavigationEnv(ROOM), seed, controllers: (agent) => makeController(agent) as never });
  let solved = 0;
  sim.events$.pipe(ofType('episodeEnd')).subscribe((e) => (solved += e.data.metrics.success ?? 0));
  const summary = sim.runSync({ episodes });
  if (summary.status !== 'completed') throw new Error(`the evaluation run ended ${summary.status}`);
  return solved / episodes;
}
