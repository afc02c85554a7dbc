/// <reference lib="dom" />
/**
 * The event log: the latest kernel and world events, newest on top, one line each with a short summary of the
 * payload, filterable by text (type, agent, anything in the line).
 */
import type { EventView } from '../protocol.js';
import { el } from './dom.js';

/** Rows kept in the DOM; older events stay in the model but are not drawn. */
const ROWS = 150;

/** A short, readable summary of an event's payload: `agent` first, then the other scalar fields. */
export function summarize(e: EventView): string {
  const d = e.data;
  if (d === null || typeof d !== 'object') return d === undefined ? '' : String(d);
  const parts: string[] = [];
  const rec = d as Record<string, unknown>;
  // Who to whom reads best as an arrow (shares, messages).
  if (typeof rec.from === 'string' && rec.to !== undefined) parts.push(`${rec.from} → ${Array.isArray(rec.to) ? rec.to.join(',') : String(rec.to)}`);
  for (const [k, v] of Object.entries(rec)) {
    if (v === undefined || v === null || (parts.length > 0 && (k === 'from' || k === 'to'))) continue;
    if (typeof v === 'object') {
      if (Array.isArray(v) && v.length <= 3 && v.every((x) => typeof x !== 'object')) parts.push(`${k} ${v.join(',')}`);
      else if (!Array.isArray(v)) {
        const inner = Object.entries(v as Record<string, unknown>).filter(([, x]) => typeof x !== 'object').slice(0, 4);
        if (inner.length) parts.push(`${k} {${inner.map(([a, b]) => `${a}:${typeof b === 'number' ? +b.toFixed(3) : String(b)}`).join(' ')}}`);
      }
      continue;
    }
    parts.push(k === 'agent' || k === 'from' ? String(v) : `${k} ${typeof v === 'number' ? +v.toFixed(3) : String(v)}`);
  }
  return parts.join(' · ');
}

/** Colour class per event family, so deaths and achievements stand out while scrolling. */
function family(type: string): string {
  if (/achievement|goal|make|place/i.test(type)) return 'ev-good';
  if (/death|error|failed|late|rejected|defeat/i.test(type)) return 'ev-bad';
  if (/episode|clock|reset/i.test(type)) return 'ev-kernel';
  if (/message|share/i.test(type)) return 'ev-msg';
  return '';
}

export class EventLog {
  private filter = '';
  private shownKey = '';

  constructor(readonly list: HTMLElement, filterInput: HTMLInputElement) {
    filterInput.addEventListener('input', () => { this.filter = filterInput.value.trim().toLowerCase(); this.shownKey = ''; });
  }

  render(events: readonly EventView[]): void {
    const last = events[events.length - 1];
    const key = `${events.length}:${last?.totalSteps ?? -1}:${last?.type ?? ''}:${this.filter}`;
    if (key === this.shownKey) return;
    this.shownKey = key;
    const rows: HTMLElement[] = [];
    for (let i = events.length - 1; i >= 0 && rows.length < ROWS; i--) {
      const e = events[i]!;
      const text = summarize(e);
      if (this.filter && !`${e.type} ${text}`.toLowerCase().includes(this.filter)) continue;
      rows.push(el('li', { class: family(e.type), title: `episode ${e.episode}, step ${e.step}: ${e.type} ${text}` },
        el('span', { class: 'ev-step' }, `${e.episode}:${e.step}`),
        el('span', { class: 'ev-type' }, e.type),
        el('span', { class: 'ev-text' }, text)));
    }
    if (rows.length === 0) rows.push(el('li', { class: 'muted' }, events.length ? 'no event matches the filter' : 'no events yet'));
    this.list.replaceChildren(...rows);
  }
}
