/// <reference lib="dom" />
/**
 * A small live line plot on a canvas: a few named series over a shared x axis (steps), autoscaled, with nice
 * ticks and a legend. Drawn by hand so the page carries no plotting library and redraws in well under a frame.
 */
import { context2d } from './dom.js';

export interface Series {
  readonly name: string;
  readonly color: string;
  readonly points: readonly (readonly [number, number])[];
}

/** Round tick steps (1, 2, 5 x 10^k) so axis labels read as numbers a person would pick. */
export function niceStep(range: number, ticks: number): number {
  if (!(range > 0)) return 1;
  const raw = range / ticks;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const f = raw / mag;
  return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * mag;
}

function fmt(v: number): string {
  const a = Math.abs(v);
  if (a >= 1e6) return `${(v / 1e6).toFixed(1)}M`;
  if (a >= 1e4) return `${(v / 1e3).toFixed(0)}k`;
  if (a >= 1e3) return `${(v / 1e3).toFixed(1)}k`;
  if (Number.isInteger(v)) return String(v);
  return a >= 10 ? v.toFixed(0) : a >= 1 ? v.toFixed(1) : v.toFixed(2);
}

export class LinePlot {
  private readonly g: CanvasRenderingContext2D;

  /** CSS size from a ResizeObserver: reading clientWidth while drawing would force a layout on every frame. */
  private w = 0;
  private h = 0;
  private last: readonly Series[] = [];

  constructor(readonly canvas: HTMLCanvasElement, readonly title: string, readonly yMinZero = true) {
    this.g = context2d(canvas);
    new ResizeObserver(([e]) => {
      if (!e) return;
      this.w = e.contentRect.width;
      this.h = e.contentRect.height;
      this.draw(this.last);
    }).observe(canvas);
  }

  draw(series: readonly Series[]): void {
    this.last = series;
    const w = this.w;
    const h = this.h;
    if (w < 2 || h < 2) return;
    const dpr = window.devicePixelRatio || 1;
    if (this.canvas.width !== Math.round(w * dpr)) this.canvas.width = Math.round(w * dpr);
    if (this.canvas.height !== Math.round(h * dpr)) this.canvas.height = Math.round(h * dpr);
    const g = this.g;
    g.setTransform(dpr, 0, 0, dpr, 0, 0);
    g.clearRect(0, 0, w, h);
    g.font = '600 11px system-ui, sans-serif';
    g.fillStyle = '#c8d0dc';
    g.fillText(this.title, 6, 13);

    const pts = series.flatMap((s) => s.points);
    const L = 38, R = 8, T = 22, B = 18;
    const pw = w - L - R;
    const ph = h - T - B;
    if (pts.length === 0) {
      g.fillStyle = '#6b7688';
      g.fillText('waiting for data', L + pw / 2 - 45, T + ph / 2);
      return;
    }
    let xMin = Infinity, xMax = -Infinity, yMin = Infinity, yMax = -Infinity;
    for (const [x, y] of pts) {
      if (x < xMin) xMin = x; if (x > xMax) xMax = x;
      if (y < yMin) yMin = y; if (y > yMax) yMax = y;
    }
    if (this.yMinZero) yMin = Math.min(0, yMin);
    if (yMax - yMin < 1e-9) yMax = yMin + 1;
    if (xMax - xMin < 1e-9) xMax = xMin + 1;
    const ys = niceStep(yMax - yMin, 3);
    yMin = Math.floor(yMin / ys) * ys;
    yMax = Math.ceil(yMax / ys) * ys;
    const X = (x: number): number => L + ((x - xMin) / (xMax - xMin)) * pw;
    const Y = (y: number): number => T + ph - ((y - yMin) / (yMax - yMin)) * ph;

    g.strokeStyle = '#2a3342';
    g.lineWidth = 1;
    g.fillStyle = '#8591a3';
    g.font = '10px system-ui, sans-serif';
    for (let v = yMin; v <= yMax + ys / 2; v += ys) {
      const y = Math.round(Y(v)) + 0.5;
      g.beginPath(); g.moveTo(L, y); g.lineTo(L + pw, y); g.stroke();
      const label = fmt(v);
      g.fillText(label, L - 4 - g.measureText(label).width, y + 3);
    }
    const xs = niceStep(xMax - xMin, 4);
    for (let v = Math.ceil(xMin / xs) * xs; v <= xMax; v += xs) {
      const x = Math.round(X(v)) + 0.5;
      const label = fmt(v);
      g.fillText(label, x - g.measureText(label).width / 2, h - 5);
    }

    for (const s of series) {
      if (s.points.length === 0) continue;
      g.strokeStyle = s.color;
      g.lineWidth = 1.6;
      g.beginPath();
      s.points.forEach(([x, y], i) => (i === 0 ? g.moveTo(X(x), Y(y)) : g.lineTo(X(x), Y(y))));
      g.stroke();
    }
    // Legend, right-aligned on the title row, with each series' latest value.
    let lx = w - R;
    g.font = '10px system-ui, sans-serif';
    for (const s of [...series].reverse()) {
      const last = s.points[s.points.length - 1];
      // One series: the title names it, so the legend is just its latest value.
      const value = last ? fmt(last[1]) : '';
      const label = series.length === 1 ? value : `${s.name} ${value}`;
      const tw = g.measureText(label).width;
      lx -= tw;
      g.fillStyle = '#c8d0dc';
      g.fillText(label, lx, 13);
      lx -= 12;
      g.fillStyle = s.color;
      g.fillRect(lx, 6, 8, 8);
      lx -= 10;
    }
  }
}

