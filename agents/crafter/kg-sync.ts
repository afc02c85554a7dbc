/**
 * Turns what one Crafter agent sees into knowledge-graph writes, diff-based so writes stay small: new places,
 * new connections, frontier flags that changed, sightings that appeared and sightings proven wrong (invalidated
 * with a time, never deleted). Coordinates are the team frame (absolute cells, known from the public spawn layout).
 *
 * Places: `e<episode>:r<rx>,<ry>` regions of REGION x REGION cells connected by CONNECTS (cost REGION) when a
 * walkable cell of one touches a walkable cell of the other; `e<episode>:c<x>,<y>` cells for scarce things (coal,
 * iron, diamond, table, furnace), connected to their region at cost 0. Abundant things (tree, stone, water, cow) are
 * sighted on the region with a count. The episode in the keys keeps episodes (maps) apart in one graph.
 */
import type { Fact, KnowledgeGraph, Scope, Sighting } from '../../memory/knowledge-graph.js';
import { Id, SIDE, UNKNOWN, isWalkable } from './local-map.js';
import type { LocalMap } from './local-map.js';

/** Region side in cells. */
export const REGION = 4;
/** LocalMap index of team-frame cell (0, 0): the local grid keeps the team frame at an offset. */
export const FRAME = (SIDE - 64) >> 1;

export const CELL_THINGS: ReadonlyMap<number, string> = new Map([
  [Id.coal, 'coal'], [Id.iron, 'iron'], [Id.diamond, 'diamond'], [Id.table, 'table'], [Id.furnace, 'furnace'],
]);
export const REGION_THINGS: ReadonlyMap<number, string> = new Map([[Id.tree, 'tree'], [Id.stone, 'stone'], [Id.water, 'water']]);

export const regionKey = (ep: number, rx: number, ry: number) => `e${ep}:r${rx},${ry}`;
export const cellKey = (ep: number, x: number, y: number) => `e${ep}:c${x},${y}`;

/** Parses a place key of this module: `{ region, x, y }` in team-frame cells (a region's centre). */
export function parsePlace(key: string): { cell: boolean; x: number; y: number } | null {
  const m = /^e\d+:([rc])(-?\d+),(-?\d+)$/.exec(key);
  if (!m) return null;
  const a = Number(m[2]);
  const b = Number(m[3]);
  return m[1] === 'c' ? { cell: true, x: a, y: b } : { cell: false, x: a * REGION + (REGION >> 1), y: b * REGION + (REGION >> 1) };
}

export class KgSync {
  private readonly places = new Set<string>();
  private readonly links = new Set<string>();
  private readonly frontier = new Map<string, boolean>();
  /** Own valid sightings: key `what@place` -> sighting id. */
  private readonly own = new Map<string, string>();
  /** Teammates' valid sightings read back from the graph, by place. */
  private readonly team = new Map<string, Sighting[]>();
  writes = 0;

  constructor(
    private readonly kg: KnowledgeGraph,
    private readonly map: LocalMap,
    private readonly agent: string,
    private readonly team_: string,
    private readonly scope: Scope,
    private readonly episode: number,
  ) {}

  fact(step: number): Fact {
    return { observer: this.agent, step, scope: this.scope, team: this.team_ };
  }

  /** Team-frame cell of a local index. */
  teamCell(x: number, y: number): [number, number] {
    return [x - FRAME, y - FRAME];
  }

  regionOf(x: number, y: number): string {
    const [tx, ty] = this.teamCell(x, y);
    return regionKey(this.episode, Math.floor(tx / REGION), Math.floor(ty / REGION));
  }

  /** Remembers teammates' sightings (from a query) so that seeing them gone invalidates them. */
  noteTeamSightings(all: readonly Sighting[]): void {
    this.team.clear();
    for (const s of all) {
      if (!s.valid || s.observer === this.agent) continue;
      const list = this.team.get(s.place);
      if (list) list.push(s);
      else this.team.set(s.place, [s]);
    }
  }

  /** Writes what changed after the agent recorded a view at its current position. */
  update(step: number, cows: readonly [number, number][]): void {
    const m = this.map;
    const f = this.fact(step);
    const x0 = m.x - 4;
    const y0 = m.y - 3;
    const rx0 = Math.floor((x0 - FRAME) / REGION);
    const rx1 = Math.floor((x0 + 8 - FRAME) / REGION);
    const ry0 = Math.floor((y0 - FRAME) / REGION);
    const ry1 = Math.floor((y0 + 6 - FRAME) / REGION);
    for (let rx = rx0; rx <= rx1; rx++) {
      for (let ry = ry0; ry <= ry1; ry++) {
        if (rx < 0 || ry < 0 || rx >= 64 / REGION || ry >= 64 / REGION) continue;
        this.region(rx, ry, f, cows);
      }
    }
    // Scarce things per cell, for every cell in view.
    for (let dy = 0; dy < 7; dy++) {
      for (let dx = 0; dx < 9; dx++) {
        const x = x0 + dx;
        const y = y0 + dy;
        const [tx, ty] = this.teamCell(x, y);
        if (tx < 0 || ty < 0 || tx >= 64 || ty >= 64) continue;
        const mat = m.matAt(x, y);
        const place = cellKey(this.episode, tx, ty);
        for (const [id, what] of CELL_THINGS) {
          const k = `${what}@${place}`;
          if (mat === id && !this.own.has(k)) {
            this.ensureCell(place, tx, ty, x, y, f);
            this.own.set(k, this.kg.sight({ what, kind: 'material', place }, f));
            this.writes++;
          } else if (mat !== id && mat !== UNKNOWN) this.gone(k, what, place, f);
        }
      }
    }
  }

  private ensureCell(place: string, tx: number, ty: number, x: number, y: number, f: Fact): void {
    if (this.places.has(place)) return;
    this.places.add(place);
    this.kg.addPlace({ id: place, kind: 'cell', x: tx, y: ty }, f);
    this.kg.connect(place, this.regionOf(x, y), 0, f);
    this.writes += 2;
  }

  private gone(k: string, what: string, place: string, f: Fact): void {
    const id = this.own.get(k);
    if (id) {
      this.kg.invalidateSighting(id, f);
      this.own.delete(k);
      this.writes++;
    }
    const list = this.team.get(place);
    if (!list) return;
    for (const s of list) {
      if (s.what !== what) continue;
      this.kg.invalidateSighting(s.id, f);
      this.writes++;
    }
    this.team.set(place, list.filter((s) => s.what !== what));
  }

  private region(rx: number, ry: number, f: Fact, cows: readonly [number, number][]): void {
    const m = this.map;
    const key = regionKey(this.episode, rx, ry);
    const bx = FRAME + rx * REGION;
    const by = FRAME + ry * REGION;
    let unknown = 0;
    let walkable = 0;
    const counts = new Map<string, number>();
    for (let x = bx; x < bx + REGION; x++) {
      for (let y = by; y < by + REGION; y++) {
        const mat = m.matAt(x, y);
        if (mat === UNKNOWN) unknown++;
        else if (isWalkable(mat)) walkable++;
        const what = REGION_THINGS.get(mat);
        if (what) counts.set(what, (counts.get(what) ?? 0) + 1);
      }
    }
    if (unknown === REGION * REGION) return;
    const isFrontier = unknown > 0;
    if (!this.places.has(key)) {
      this.places.add(key);
      this.frontier.set(key, isFrontier);
      this.kg.addPlace({ id: key, kind: 'region', x: rx * REGION, y: ry * REGION, frontier: isFrontier }, f);
      this.writes++;
    } else if (this.frontier.get(key) !== isFrontier) {
      this.frontier.set(key, isFrontier);
      this.kg.setFrontier(key, isFrontier, f);
      this.writes++;
    }
    if (walkable > 0) {
      for (const [dx, dy] of [[1, 0], [0, 1], [-1, 0], [0, -1]] as const) this.link(rx, ry, rx + dx, ry + dy, f);
    }
    for (const what of REGION_THINGS.values()) {
      const k = `${what}@${key}`;
      const n = counts.get(what) ?? 0;
      if (n > 0 && !this.own.has(k)) {
        this.own.set(k, this.kg.sight({ what, kind: 'material', place: key, count: n }, f));
        this.writes++;
      } else if (n === 0) this.gone(k, what, key, f);
    }
    // Cows move: sighted where seen, invalidated once the whole region is in view without one.
    const cowHere = cows.some(([x, y]) => x >= bx && x < bx + REGION && y >= by && y < by + REGION);
    const k = `cow@${key}`;
    if (cowHere && !this.own.has(k)) {
      this.own.set(k, this.kg.sight({ what: 'cow', kind: 'creature', place: key }, f));
      this.writes++;
    } else if (!cowHere && this.own.has(k) && this.inView(bx, by)) this.gone(k, 'cow', key, f);
  }

  private inView(bx: number, by: number): boolean {
    const m = this.map;
    return bx >= m.x - 4 && bx + REGION - 1 <= m.x + 4 && by >= m.y - 3 && by + REGION - 1 <= m.y + 3;
  }

  /** Connects two neighbouring known regions once, when walkable cells touch across their border. */
  private link(ax: number, ay: number, bx: number, by: number, f: Fact): void {
    const a = regionKey(this.episode, ax, ay);
    const b = regionKey(this.episode, bx, by);
    if (!this.places.has(b)) return;
    const pair = a < b ? `${a}|${b}` : `${b}|${a}`;
    if (this.links.has(pair)) return;
    if (!crossable(this.map, ax, ay, bx, by)) return;
    this.links.add(pair);
    this.kg.connect(a, b, REGION, f);
    this.writes++;
  }
}

/** True when a walkable cell of region a is 4-adjacent to a walkable cell of neighbouring region b (local map). */
export function crossable(map: LocalMap, ax: number, ay: number, bx: number, by: number): boolean {
  const walk = (x: number, y: number) => isWalkable(map.matAt(FRAME + x, FRAME + y));
  return crossableBy(walk, ax, ay, bx, by);
}

/** The same test over any walkability function of team-frame cells (tests check it against the true world). */
export function crossableBy(walk: (x: number, y: number) => boolean, ax: number, ay: number, bx: number, by: number): boolean {
  const dx = bx - ax;
  const dy = by - ay;
  for (let i = 0; i < REGION; i++) {
    let x1: number, y1: number;
    if (dx !== 0) {
      x1 = dx > 0 ? ax * REGION + REGION - 1 : ax * REGION;
      y1 = ay * REGION + i;
    } else {
      x1 = ax * REGION + i;
      y1 = dy > 0 ? ay * REGION + REGION - 1 : ay * REGION;
    }
    if (walk(x1, y1) && walk(x1 + dx, y1 + dy)) return true;
  }
  return false;
}
