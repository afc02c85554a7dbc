/// <reference lib="dom" />
/**
 * The agent inspector: vitals as bars, inventory, long-term goal -> current subgoal, last actions, rewards split
 * into extrinsic and intrinsic, messages sent and received, achievements. Rebuilt from the model on each frame
 * (a few dozen elements; cheaper than diffing).
 */
import type { AgentView, EventView, Legend } from '../protocol.js';
import { el } from './dom.js';

function fmt(v: number): string {
  return Number.isInteger(v) ? String(v) : v.toFixed(Math.abs(v) >= 10 ? 1 : 2);
}

function section(title: string, ...children: (Node | string)[]): HTMLElement {
  return el('section', { class: 'insp-section' }, el('h3', {}, title), ...children);
}

function bodyText(body: unknown): string {
  const text = typeof body === 'string' ? body : JSON.stringify(body) ?? '';
  return text.length > 60 ? `${text.slice(0, 59)}…` : text;
}

/**
 * Messages (core's `messageSent`) and item shares this agent sent or received, newest first, from the events the
 * page holds: the agent view carries only counts, the events carry the words.
 */
function messageLines(agent: string, events: readonly EventView[]): HTMLElement[] {
  const out: HTMLElement[] = [];
  for (let i = events.length - 1; i >= 0 && out.length < 3; i--) {
    const e = events[i]!;
    if (e.type !== 'messageSent' && e.type !== 'share') continue;
    const d = e.data as { from?: string; to?: string | readonly string[]; body?: unknown; item?: string };
    const to = Array.isArray(d.to) ? d.to : [d.to];
    if (d.from !== agent && !to.includes(agent)) continue;
    const what = e.type === 'share' ? `gives ${d.item ?? '?'}` : bodyText(d.body);
    const dir = d.from === agent ? `→ ${to.join(', ') || 'team'}` : `← ${d.from ?? '?'}`;
    out.push(el('div', { class: 'msg' }, el('span', { class: 'msg-dir' }, dir), el('span', { class: 'muted' }, ` @${e.step} `), what));
  }
  return out;
}

export class Inspector {
  private shown = '';

  constructor(readonly root: HTMLElement) {}

  /** Rebuilds the panel only when the agent's view (or the messages it would list) changed. */
  render(agent: AgentView | undefined, legend: Legend | undefined, color: string, events: readonly EventView[]): void {
    const key = `${JSON.stringify(agent)}|${legend?.kind}|${color}|${events.length}:${events[events.length - 1]?.totalSteps}`;
    if (key === this.shown) return;
    this.shown = key;
    if (!agent || !legend) {
      this.root.replaceChildren(el('div', { class: 'empty' }, 'Click an agent on the map, or pick one above, to inspect it.'));
      return;
    }
    const vitalNames = new Set(legend.vitals.map((v) => v.name));
    const vitals = legend.vitals.map((v) => {
      const value = agent.inventory[v.name] ?? 0;
      const pct = Math.max(0, Math.min(100, (100 * value) / (v.max || 1)));
      return el('div', { class: 'vital' },
        el('span', { class: 'vital-name' }, v.name),
        el('span', { class: 'bar' }, el('span', { class: `fill vital-${v.name}`, style: `width:${pct}%` })),
        el('span', { class: 'vital-val' }, `${fmt(value)}/${v.max}`));
    });
    const items = Object.entries(agent.inventory).filter(([k, v]) => !vitalNames.has(k) && v > 0);
    const inv = items.length
      ? el('div', { class: 'chips' }, ...items.map(([k, v]) => el('span', { class: 'chip' }, `${k.replace(/_/g, ' ')} `, el('b', {}, fmt(v)))))
      : el('div', { class: 'muted' }, 'empty');
    const r = agent.reward;
    const flags = Object.entries(agent.flags).filter(([, v]) => v !== false && v !== 0 && v !== '');
    const msgs = messageLines(agent.id, events);
    this.root.replaceChildren(
      el('div', { class: 'insp-head' },
        el('span', { class: 'swatch', style: `background:${color}` }),
        el('b', {}, agent.id),
        el('span', { class: agent.alive ? 'badge ok' : 'badge bad' }, agent.alive ? 'alive' : 'dead'),
        ...flags.map(([k, v]) => el('span', { class: 'badge' }, v === true ? k : `${k} ${String(v)}`)),
        el('span', { class: 'muted pos' }, `(${agent.x}, ${agent.y})`)),
      section('Goal',
        el('div', { class: 'goal' }, el('span', { class: 'goal-long' }, agent.goal ?? '—'), el('span', { class: 'arrow' }, ' → '),
          el('span', { class: 'goal-sub' }, agent.subgoal ?? '—'))),
      el('div', { class: 'insp-cols' },
        section('Vitals', ...(vitals.length ? vitals : [el('div', { class: 'muted' }, 'none')])),
        section('Reward',
          el('table', { class: 'reward' },
            el('tr', {}, el('th', {}, ''), el('th', {}, 'step'), el('th', {}, 'episode')),
            el('tr', {}, el('td', {}, 'extrinsic'), el('td', {}, fmt(r.extrinsic)), el('td', {}, fmt(r.returnExtrinsic))),
            el('tr', {}, el('td', {}, 'intrinsic'), el('td', {}, fmt(r.intrinsic)), el('td', {}, fmt(r.returnIntrinsic)))),
          el('div', { class: 'muted' }, `messages ${agent.messages.sent} sent · ${agent.messages.received} received`))),
      section('Inventory', inv),
      section('Last actions (newest first)', el('div', { class: 'chips' }, ...agent.lastActions.slice().reverse().map((a, i) => el('span', { class: i === 0 ? 'chip act latest' : 'chip act' }, a)))),
      ...(msgs.length ? [section('Messages and shares', ...msgs)] : []),
      section(`Achievements (${agent.achievements.length})`, el('div', { class: 'chips' }, ...agent.achievements.map((a) => el('span', { class: 'chip ach' }, a.replace(/_/g, ' '))))),
    );
  }
}
