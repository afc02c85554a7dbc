/// <reference lib="dom" />
/**
 * The world canvas: tiles from the {@link TileAtlas}, zoom (wheel) around the cursor, pan (drag), follow an agent,
 * and day/night shading with light around the players. It draws what the page's model holds; it never asks the
 * server for anything, so a slow frame costs only this tab.
 */
import { context2d } from './dom.js';
import { TILE, TileAtlas } from './tiles.js';

/** One object on the map as the page knows it. Players carry `agent`. */
export interface MapObject {
  readonly kind: string;
  readonly pos: readonly [number, number];
  readonly facing?: readonly [number, number];
  readonly agent?: string;
  readonly sleeping?: boolean;
  /** Colour for kinds without a sprite (the legend's), or the agent's colour. */
  readonly color?: string;
}

/** The map: the legend's tiles and one tile index per cell, row-major (`y * width + x`). */
export interface MapGrid {
  readonly width: number;
  readonly height: number;
  readonly tiles: readonly { readonly name: string; readonly color: string }[];
  readonly cells: ArrayLike<number>;
}

export interface WorldScene {
  readonly grid: MapGrid | undefined;
  readonly objects: readonly MapObject[];
  /** 1 = full day, 0 = darkest night; undefined for worlds without a clock. */
  readonly daylight: number | undefined;
  readonly colorOf: (agent: string) => string;
  readonly selected: string | undefined;
}

const MIN_ZOOM = 4;
const MAX_ZOOM = 96;

export class WorldView {
  private readonly atlas = new TileAtlas();
  private readonly g: CanvasRenderingContext2D;
  private readonly shadow = document.createElement('canvas');
  /** The whole map at 16 px a cell, repainted only where cells changed: a draw is then one scaled copy. */
  private readonly map = document.createElement('canvas');
  private mapCells: Int32Array = new Int32Array(0);
  private mapTiles: MapGrid['tiles'] | undefined;
  /** Camera centre in cells and size of a cell in CSS pixels. */
  private cx = 0;
  private cy = 0;
  private zoom = 24;
  private fitted = false;
  private drag: { x: number; y: number; cx: number; cy: number; moved: boolean } | undefined;
  private scene: WorldScene | undefined;
  /** Agent the camera stays on, if any. Panning by hand stops following. */
  follow: string | undefined;
  /** Called with the agent under a click (or undefined for empty ground). */
  onPick: (agent: string | undefined) => void = () => {};
  onFollowChange: (agent: string | undefined) => void = () => {};

  constructor(readonly canvas: HTMLCanvasElement) {
    this.g = context2d(canvas);
    canvas.addEventListener('wheel', (e) => this.wheel(e), { passive: false });
    canvas.addEventListener('pointerdown', (e) => {
      this.drag = { x: e.clientX, y: e.clientY, cx: this.cx, cy: this.cy, moved: false };
      canvas.setPointerCapture(e.pointerId);
    });
    canvas.addEventListener('pointermove', (e) => {
      const d = this.drag;
      if (!d) return;
      const dx = e.clientX - d.x;
      const dy = e.clientY - d.y;
      if (Math.abs(dx) + Math.abs(dy) > 3) {
        d.moved = true;
        if (this.follow !== undefined) { this.follow = undefined; this.onFollowChange(undefined); }
      }
      if (d.moved) { this.cx = d.cx - dx / this.zoom; this.cy = d.cy - dy / this.zoom; this.draw(); }
    });
    canvas.addEventListener('pointerup', (e) => {
      const d = this.drag;
      this.drag = undefined;
      if (d && !d.moved) this.onPick(this.agentAt(e.offsetX, e.offsetY));
    });
    new ResizeObserver(([e]) => {
      if (!e) return;
      this.cssW = e.contentRect.width;
      this.cssH = e.contentRect.height;
      if (!this.fitted && this.scene?.grid && this.cssW > 1) { this.fitted = true; this.fit(); return; }
      this.draw();
    }).observe(canvas);
  }

  /** Zoom by a factor around the canvas centre (the +/- buttons). */
  zoomBy(f: number): void {
    this.zoom = Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, this.zoom * f));
    this.draw();
  }

  /** Fit the whole map in the canvas. */
  fit(): void {
    const grid = this.scene?.grid;
    if (!grid) return;
    const { w, h } = this.size();
    this.zoom = Math.max(MIN_ZOOM, Math.min(MAX_ZOOM, Math.min(w / grid.width, h / grid.height)));
    this.cx = grid.width / 2;
    this.cy = grid.height / 2;
    this.draw();
  }

  render(scene: WorldScene): void {
    this.scene = scene;
    if (!this.fitted && scene.grid && this.cssW > 1) { this.fitted = true; this.fit(); return; }
    this.draw();
  }

  /** CSS size from the ResizeObserver: reading clientWidth while drawing would force a layout on every frame. */
  private cssW = 1;
  private cssH = 1;
  private size(): { w: number; h: number } {
    return { w: Math.max(1, this.cssW), h: Math.max(1, this.cssH) };
  }

  private wheel(e: WheelEvent): void {
    e.preventDefault();
    const before = this.toCell(e.offsetX, e.offsetY);
    this.zoom = Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, this.zoom * Math.exp(-e.deltaY * 0.0015)));
    const after = this.toCell(e.offsetX, e.offsetY);
    if (this.follow === undefined) { this.cx += before[0] - after[0]; this.cy += before[1] - after[1]; }
    this.draw();
  }

  private toCell(px: number, py: number): [number, number] {
    const { w, h } = this.size();
    return [this.cx + (px - w / 2) / this.zoom, this.cy + (py - h / 2) / this.zoom];
  }

  private agentAt(px: number, py: number): string | undefined {
    const [x, y] = this.toCell(px, py);
    const hit = this.scene?.objects.find((o) => o.agent !== undefined && Math.floor(x) === o.pos[0] && Math.floor(y) === o.pos[1]);
    return hit?.agent;
  }

  private draw(): void {
    const scene = this.scene;
    const { w, h } = this.size();
    const dpr = window.devicePixelRatio || 1;
    if (this.canvas.width !== Math.round(w * dpr) || this.canvas.height !== Math.round(h * dpr)) {
      this.canvas.width = Math.round(w * dpr);
      this.canvas.height = Math.round(h * dpr);
    }
    const g = this.g;
    g.setTransform(dpr, 0, 0, dpr, 0, 0);
    g.imageSmoothingEnabled = false;
    g.fillStyle = '#10141c';
    g.fillRect(0, 0, w, h);
    const grid = scene?.grid;
    // A legend without a size (taken before the world's first reset) has nothing to draw yet.
    if (!scene || !grid || grid.width <= 0 || grid.height <= 0) return;
    if (this.follow !== undefined) {
      const me = scene.objects.find((o) => o.agent === this.follow);
      if (me) { this.cx = me.pos[0] + 0.5; this.cy = me.pos[1] + 0.5; }
    }
    const z = this.zoom;
    const ox = w / 2 - this.cx * z;
    const oy = h / 2 - this.cy * z;
    this.paintMap(grid);
    // One scaled copy of the cached map, snapped to whole pixels so the grid never shimmers while panning.
    const dx = Math.round(ox);
    const dy = Math.round(oy);
    g.drawImage(this.map, dx, dy, Math.round(grid.width * z), Math.round(grid.height * z));
    const x0 = Math.max(0, Math.floor(-ox / z));
    const y0 = Math.max(0, Math.floor(-oy / z));
    const x1 = Math.min(grid.width, Math.ceil((w - ox) / z));
    const y1 = Math.min(grid.height, Math.ceil((h - oy) / z));
    const px = (v: number, o: number): number => Math.round(Math.round(o) + v * z);
    for (const o of scene.objects) {
      const [x, y] = o.pos;
      if (x < x0 - 1 || y < y0 - 1 || x > x1 || y > y1) continue;
      const color = o.agent !== undefined ? scene.colorOf(o.agent) : o.color;
      const sx = px(x, ox);
      const sy = px(y, oy);
      const sz = px(x + 1, ox) - sx;
      g.globalAlpha = o.sleeping ? 0.6 : 1;
      g.drawImage(this.atlas.sprite(o.kind, color, o.facing ?? [0, 1]), sx, sy, sz, sz);
      g.globalAlpha = 1;
      if (o.agent !== undefined) this.marker(o, sx, sy, sz, color!, o.agent === scene.selected);
    }
    if (scene.daylight !== undefined) this.night(scene, ox, oy, w, h);
  }

  /** Repaints the cells that changed since the last call (all of them for a new map or legend). */
  private paintMap(grid: MapGrid): void {
    const n = grid.width * grid.height;
    const fresh = this.mapTiles !== grid.tiles || this.mapCells.length !== n || this.map.width !== grid.width * TILE;
    if (fresh) {
      this.map.width = grid.width * TILE;
      this.map.height = grid.height * TILE;
      this.mapCells = new Int32Array(n).fill(-1);
      this.mapTiles = grid.tiles;
    }
    const mg = context2d(this.map);
    for (let i = 0; i < n; i++) {
      const v = grid.cells[i] ?? 0;
      if (this.mapCells[i] === v) continue;
      this.mapCells[i] = v;
      const tile = grid.tiles[v];
      mg.drawImage(this.atlas.material(tile?.name ?? 'unknown', tile?.color), (i % grid.width) * TILE, Math.floor(i / grid.width) * TILE);
    }
  }

  /**
   * A ring in the agent's colour (white outside it when selected) and its name. Zoomed out, where a cell is a few
   * pixels, a halo keeps every agent findable at a glance.
   */
  private marker(o: MapObject, sx: number, sy: number, sz: number, color: string, selected: boolean): void {
    const g = this.g;
    const cx = sx + sz / 2;
    const cy = sy + sz / 2;
    if (sz < 14) {
      g.fillStyle = color;
      g.globalAlpha = 0.35;
      g.beginPath(); g.arc(cx, cy, 9, 0, 2 * Math.PI); g.fill();
      g.globalAlpha = 1;
      g.strokeStyle = selected ? '#fff' : color;
      g.lineWidth = 2;
      g.beginPath(); g.arc(cx, cy, 9, 0, 2 * Math.PI); g.stroke();
    } else {
      g.strokeStyle = color;
      g.lineWidth = selected ? 3 : 1.5;
      g.strokeRect(sx + 0.5, sy + 0.5, sz - 1, sz - 1);
      if (selected) { g.strokeStyle = '#fff'; g.lineWidth = 1; g.strokeRect(sx - 2.5, sy - 2.5, sz + 5, sz + 5); }
    }
    const small = sz < 18;
    g.font = small ? '600 10px system-ui, sans-serif' : '600 11px system-ui, sans-serif';
    const label = o.sleeping ? `${o.agent} z` : o.agent!;
    const tw = g.measureText(label).width;
    const top = sz < 14 ? cy - 24 : sy - 15;
    g.fillStyle = 'rgba(10,14,22,0.75)';
    g.fillRect(cx - tw / 2 - 3, top, tw + 6, 13);
    g.fillStyle = '#fff';
    g.fillText(label, cx - tw / 2, top + 10);
  }

  /** Night: a dark blue veil, with soft light around each player (Crafter's players see less at night). */
  private night(scene: WorldScene, ox: number, oy: number, w: number, h: number): void {
    const dark = Math.max(0, Math.min(1, 1 - scene.daylight!));
    if (dark < 0.02) return;
    const s = this.shadow;
    if (s.width !== this.canvas.width || s.height !== this.canvas.height) { s.width = this.canvas.width; s.height = this.canvas.height; }
    const sg = context2d(s);
    const dpr = this.canvas.width / w;
    sg.setTransform(dpr, 0, 0, dpr, 0, 0);
    sg.globalCompositeOperation = 'source-over';
    sg.clearRect(0, 0, w, h);
    sg.fillStyle = `rgba(8, 12, 40, ${0.72 * dark})`;
    sg.fillRect(0, 0, w, h);
    sg.globalCompositeOperation = 'destination-out';
    const r = 4.5 * this.zoom;
    for (const o of scene.objects) {
      if (o.agent === undefined) continue;
      const x = ox + (o.pos[0] + 0.5) * this.zoom;
      const y = oy + (o.pos[1] + 0.5) * this.zoom;
      const grad = sg.createRadialGradient(x, y, 0, x, y, r);
      grad.addColorStop(0, 'rgba(0,0,0,0.85)');
      grad.addColorStop(1, 'rgba(0,0,0,0)');
      sg.fillStyle = grad;
      sg.fillRect(x - r, y - r, 2 * r, 2 * r);
    }
    this.g.setTransform(1, 0, 0, 1, 0, 0);
    this.g.drawImage(s, 0, 0);
  }
}
