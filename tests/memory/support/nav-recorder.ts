// Feeds knowledge graphs from a navigation run: wraps each controller to see what its agent sees (places visited,
// moves between them, keys, locked doors and goals in view) and listens to the kernel's events (episodes, keys
// picked, doors opened, goals reached). Every write goes to every graph given, in the same order.
import type { Controller, DecisionContext } from '../../../core/controller.js';
import type { WorldEvent } from '../../../core/events.js';
import type { KnowledgeGraph, Fact } from '../../../memory/knowledge-graph.js';
import { ViewCategory, type NavigationInfo, type NavigationObservation } from '../../../worlds/navigation/index.js';

type NavCtl = Controller<NavigationObservation, number, NavigationInfo, unknown>;

export class NavRecorder {
  private readonly last = new Map<string, string>();
  private episode = 0;
  /** Writes made (one per knowledge-graph call), to show the feed did something. */
  writes = 0;

  constructor(private readonly kgs: readonly KnowledgeGraph[], private readonly viewSize: number, private readonly team = 'blue') {}

  private fact(agent: string, step: number): Fact {
    return { observer: agent, step, scope: 'team', team: this.team };
  }

  private each(write: (kg: KnowledgeGraph) => void): void {
    for (const kg of this.kgs) write(kg);
    this.writes++;
  }

  /** A controller that records what its agent sees, then lets `inner` decide. */
  wrap(inner: NavCtl): NavCtl {
    return {
      reset: (ctx) => { this.last.delete(ctx.agent); inner.reset?.(ctx); },
      act: (ctx) => { this.see(ctx); return inner.act(ctx); },
      observe: (t) => inner.observe?.(t),
    };
  }

  private see(ctx: DecisionContext<NavigationObservation, NavigationInfo, unknown>): void {
    const [x, y] = [ctx.observation.position[0] as number, ctx.observation.position[1] as number];
    const here = `${x},${y}`;
    const f = this.fact(ctx.agent, ctx.step);
    const prev = this.last.get(ctx.agent);
    // Only on arriving somewhere: standing still adds nothing new.
    if (prev === here) return;
    this.each((kg) => kg.addPlace({ id: here, kind: 'cell', x, y }, f));
    if (prev !== undefined) this.each((kg) => kg.connect(prev, here, 1, f));
    this.last.set(ctx.agent, here);
    const r = (this.viewSize - 1) / 2;
    const view = ctx.observation.view;
    for (let i = 0; i < view.length; i++) {
      const c = view[i];
      const what = c === ViewCategory.key ? 'key' : c === ViewCategory.doorLocked ? 'locked_door' : c === ViewCategory.goal ? 'goal' : undefined;
      if (!what) continue;
      const place = `${x + (i % this.viewSize) - r},${y + Math.floor(i / this.viewSize) - r}`;
      this.each((kg) => { kg.addPlace({ id: place, kind: 'cell', frontier: true }, f); kg.sight({ what, kind: 'item', place }, f); });
    }
  }

  /** Records the kernel's events as episodic facts. */
  onEvent(e: WorldEvent): void {
    if (e.type === 'episodeStart') { this.episode = e.episode; return; }
    const agent = (e.data as { agent?: string }).agent;
    if (!agent) return;
    const kind = e.type === 'goalReached' ? 'achievement' : e.type === 'keyPicked' ? 'collect' : 'other';
    this.each((kg) => kg.recordEvent({ agent, episode: this.episode, kind, name: e.type }, this.fact(agent, e.step)));
  }
}
