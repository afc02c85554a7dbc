import type { AgentId } from './parallel-env.js';

/**
 * A world's semantic picture for a viewer: what is where, not pixels. A world that wants to be watched gives a
 * {@link WorldViewAdapter}; the viewer sends its legend once and then only what changed, and draws the tiles itself.
 * Plain data (numbers, strings, arrays), so it goes over a socket and into a replay file as JSON.
 */
export interface WorldView {
  /** Cell values, row-major: the cell at `(x, y)` is `cells[y * width + x]`, an index into the legend. */
  readonly cells: readonly number[];
  /**
   * Non-agent things on the map, flat, {@link ENTITY_FIELDS} numbers each: `[kind, x, y, health, owner]` where
   * `kind` indexes `WorldLegend.entityKinds` and `owner` indexes the agents (-1: nobody). In the world's own order.
   */
  readonly entities: readonly number[];
  /** Every possible agent, in `possibleAgents` order. */
  readonly agents: readonly AgentBody[];
  /** The world's step counter. */
  readonly step: number;
  /** 1 at noon, 0 at midnight; 1 in worlds without a day. */
  readonly daylight: number;
}

/** Numbers per entity in {@link WorldView.entities}. */
export const ENTITY_FIELDS = 5;

/** An agent's body as the world sees it (its mind, goals and rewards, comes from elsewhere). */
export interface AgentBody {
  readonly id: AgentId;
  readonly x: number;
  readonly y: number;
  /** Unit vector the agent faces, `[0, 0]` in worlds without facing. */
  readonly facing: readonly [number, number];
  readonly alive: boolean;
  /** Item counts, vitals included (see `WorldLegend.vitals`). */
  readonly inventory: Readonly<Record<string, number>>;
  /** Achievements unlocked this episode, in the world's order. */
  readonly achievements: readonly string[];
  /** World-specific flags (`sleeping`, `hasKey`, ...). */
  readonly flags: Readonly<Record<string, boolean | number | string>>;
}

/** What does not change during a run: sent once. */
export interface WorldLegend {
  /** World name, e.g. `crafter`. */
  readonly kind: string;
  readonly width: number;
  readonly height: number;
  /** One entry per cell value: `tiles[v]` describes cell value `v`. Colours are CSS hex. */
  readonly tiles: readonly { readonly name: string; readonly color: string; readonly walkable: boolean }[];
  readonly entityKinds: readonly { readonly name: string; readonly color: string }[];
  /** Inventory keys that are vitals (health, food, ...), with their maximum. */
  readonly vitals: readonly { readonly name: string; readonly max: number }[];
  /** Action names by index, for the inspector and keyboard play. */
  readonly actions: readonly string[];
  /** Agents' view radius in cells `[x, y]` (half-widths), if agents see only part of the map. */
  readonly viewRadius?: readonly [number, number];
  /** Fixed settings of the run the world reports (layout, step limit, goal mode, ...). */
  readonly params: Readonly<Record<string, boolean | number | string>>;
}

/**
 * Turns a world's `state()` into a {@link WorldView} and back. `state(view(s))` must hash like `s` (the viewer's
 * tests rebuild the state from a snapshot and diffs and compare its hash with the world's).
 */
export interface WorldViewAdapter<State = unknown> {
  legend(state: State): WorldLegend;
  view(state: State): WorldView;
  /** The state a view was made from (given the same legend). */
  state(view: WorldView, legend: WorldLegend): State;
}
