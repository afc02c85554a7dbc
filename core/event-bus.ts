import { Subject } from 'rxjs';
import type { Observable } from 'rxjs';
import type { WorldEvent, WorldEventInput, WorldEventType, WorldEvents } from './events.js';

/** Where the simulation is in time; the bus stamps every event with it. */
export interface SimulationTime {
  /** Episode index, 0-based; -1 before the first reset. */
  episode: number;
  /** Steps taken in the current episode. */
  step: number;
  /** Steps taken in the whole run. */
  totalSteps: number;
}

/**
 * The kernel's event stream. Emitting costs nothing but a property check while nobody listens, so the hot
 * lockstep loop can call `emit` unconditionally for rare events and test {@link EventBus.observed} before building
 * the payload of frequent ones.
 */
export class EventBus {
  private readonly subject = new Subject<WorldEvent>();
  readonly events$: Observable<WorldEvent> = this.subject.asObservable();

  constructor(private readonly time: Readonly<SimulationTime>) {}

  get observed(): boolean {
    return this.subject.observed;
  }

  emit<K extends WorldEventType>(type: K, data: WorldEvents[K]): void {
    if (!this.subject.observed) return;
    const t = this.time;
    this.subject.next({ type, data, episode: t.episode, step: t.step, totalSteps: t.totalSteps } as WorldEvent);
  }

  /** Stamps and forwards an event a world returned from `step`. */
  forward(event: WorldEventInput): void {
    if (!this.subject.observed) return;
    const t = this.time;
    this.subject.next({ type: event.type, data: event.data, episode: t.episode, step: t.step, totalSteps: t.totalSteps } as WorldEvent);
  }

  complete(): void {
    this.subject.complete();
  }
}
