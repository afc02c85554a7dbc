/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/**
 * The control bar (play/pause, step, speed, reset, seed and clock), the replay timeline, and keyboard play of one
 * agent with Crafter's own GUI keys. Every button only sends a command; what the page shows changes when the
 * server's next frame says so, so a refused command (no token, read-only) never leaves the page lying.
 */
import type { ClientCommand, ClockState, ReplayInfo } from '../protocol.js';
import { byId, el } from './dom.js';

/** Crafter's `run_gui.py` keymap (WASD move, space do, tab sleep, r/t/f/p place, 1-6 make) plus `n` for noop. */
export const CRAFTER_KEYS: Readonly<Record<string, string>> = {
  a: 'move_left', d: 'move_right', w: 'move_up', s: 'move_down', ' ': 'do', Tab: 'sleep', n: 'noop',
  r: 'place_stone', t: 'place_table', f: 'place_furnace', p: 'place_plant',
  1: 'make_wood_pickaxe', 2: 'make_stone_pickaxe', 3: 'make_iron_pickaxe',
  4: 'make_wood_sword', 5: 'make_stone_sword', 6: 'make_iron_sword',
};
/** Navigation-style worlds name their moves differently; arrows map onto whichever names the legend has. */
const ARROWS: Readonly<Record<string, readonly string[]>> = {
  ArrowLeft: ['move_left', 'left', 'west'], ArrowRight: ['move_right', 'right', 'east'],
  ArrowUp: ['move_up', 'up', 'north'], ArrowDown: ['move_down', 'down', 'south'],
};

/** WASD as arrows, for worlds whose moves are not Crafter's `move_*`. */
const WASD: Readonly<Record<string, string>> = { w: 'ArrowUp', a: 'ArrowLeft', s: 'ArrowDown', d: 'ArrowRight' };

/** Slider position (0..4) to steps per second, logarithmic so 1..10 000 fits one bar. */
export function sliderToSpeed(v: number): number {
  const s = 10 ** v;
  return s >= 100 ? Math.round(s / 10) * 10 : s >= 10 ? Math.round(s) : Math.round(s * 10) / 10;
}
export function speedToSlider(sps: number): number {
  return Math.log10(Math.max(1, sps));
}

export class Controls {
  private readonly play = byId<HTMLButtonElement>('btn-play');
  private readonly step = byId<HTMLButtonElement>('btn-step');
  private readonly reset = byId<HTMLButtonElement>('btn-reset');
  private readonly speed = byId<HTMLInputElement>('speed');
  private readonly speedVal = byId('speed-val');
  private readonly timeline = byId<HTMLInputElement>('timeline');
  private readonly timelinePos = byId('timeline-pos');
  private readonly playAs = byId<HTMLSelectElement>('play-as');
  private paused = true;
  private scrubbing = false;
  private speedTimer: number | undefined;
  private seekTimer: number | undefined;
  /** Action names the world accepts (legend), so keys map only onto real actions. */
  actions: readonly string[] = [];
  /** Whether this socket may steer (it presented the token); the buttons are disabled otherwise. */
  control = false;

  constructor(private readonly send: (c: ClientCommand) => void) {
    this.play.addEventListener('click', () => send(this.paused ? { type: 'resume' } : { type: 'pause' }));
    this.step.addEventListener('click', () => send({ type: 'step' }));
    this.reset.addEventListener('click', () => send({ type: 'reset' }));
    this.speed.addEventListener('input', () => {
      const sps = sliderToSpeed(Number(this.speed.value));
      this.speedVal.textContent = `${sps}/s`;
      window.clearTimeout(this.speedTimer);
      this.speedTimer = window.setTimeout(() => send({ type: 'speed', stepsPerSecond: sps }), 120);
    });
    this.timeline.addEventListener('pointerdown', () => { this.scrubbing = true; });
    this.timeline.addEventListener('input', () => {
      this.timelinePos.textContent = `step ${this.timeline.value} / ${this.timeline.max}`;
      window.clearTimeout(this.seekTimer);
      this.seekTimer = window.setTimeout(() => send({ type: 'seek', step: Number(this.timeline.value) }), 80);
    });
    this.timeline.addEventListener('change', () => {
      this.scrubbing = false;
      window.clearTimeout(this.seekTimer);
      send({ type: 'seek', step: Number(this.timeline.value) });
    });
    window.addEventListener('keydown', (e) => this.key(e));
    this.playAs.addEventListener('change', () => { this.hint(); this.playAs.blur(); });
  }

  /** While playing, a line over the map says who and which keys (only those the world has). */
  private hint(): void {
    const box = byId('keys-hint');
    const agent = this.playAs.value;
    box.hidden = agent === '';
    if (agent === '') return;
    // [label, a key it stands for, what it does]: only keys this world has an action for are listed.
    const keys: [string, string, string][] = [['WASD', 'w', 'move'], ['space', ' ', 'do'], ['tab', 'Tab', 'sleep'], ['T', 't', 'table'],
      ['R', 'r', 'stone'], ['F', 'f', 'furnace'], ['P', 'p', 'plant'], ['1-6', '1', 'make'], ['N', 'n', 'noop']];
    const known = keys.filter(([, key]) => this.actionFor(key) !== undefined);
    box.replaceChildren(`playing as ${agent} · `, ...known.flatMap(([k, , what]) => [el('kbd', {}, k), ` ${what}  `]));
  }

  /** Reflect the clock (and the replay's playback) in the buttons without firing their handlers. */
  update(clock: ClockState | undefined, replay: ReplayInfo | null): void {
    const paused = replay ? !replay.playing : (clock?.paused ?? true);
    this.paused = paused;
    this.play.textContent = paused ? '▶ Play' : '❚❚ Pause';
    this.play.classList.toggle('primary', paused);
    const running = replay !== null || (clock?.running ?? false);
    for (const b of [this.play, this.step, this.reset]) b.disabled = !this.control || !running;
    this.speed.disabled = !this.control;
    const sps = replay ? replay.stepsPerSecond : clock?.stepsPerSecond;
    if (sps !== undefined && document.activeElement !== this.speed) {
      this.speed.value = String(speedToSlider(sps));
      this.speedVal.textContent = `${sliderToSpeed(speedToSlider(sps))}/s`;
    }
    byId('replay-bar').hidden = replay === null;
    this.playAs.disabled = !this.control || replay !== null;
    if (replay && !this.scrubbing && document.activeElement !== this.timeline) {
      this.timeline.max = String(replay.totalSteps);
      this.timeline.value = String(replay.position);
      this.timelinePos.textContent = `step ${replay.position} / ${replay.totalSteps}`;
    }
    this.timeline.disabled = !this.control;
  }

  /** Agents one may play as (the select keeps its choice across frames). */
  setAgents(ids: readonly string[]): void {
    const want = ['', ...ids];
    const have = [...this.playAs.options].map((o) => o.value);
    if (want.join('\n') === have.join('\n')) return;
    const keep = this.playAs.value;
    this.playAs.replaceChildren(...want.map((id) => new Option(id === '' ? 'nobody (agents act)' : id, id)));
    this.playAs.value = want.includes(keep) ? keep : '';
  }

  /** The action a key stands for in this world, if any. */
  actionFor(key: string): string | undefined {
    const k = key.length === 1 ? key.toLowerCase() : key;
    const direct = CRAFTER_KEYS[k];
    if (direct !== undefined && this.actions.includes(direct)) return direct;
    return ARROWS[WASD[k] ?? key]?.find((a) => this.actions.includes(a));
  }

  private key(e: KeyboardEvent): void {
    const agent = this.playAs.value;
    const target = e.target as HTMLElement | null;
    if (agent === '' || !this.control || (target && /^(INPUT|SELECT|TEXTAREA)$/.test(target.tagName) && target !== this.playAs)) return;
    const action = this.actionFor(e.key);
    if (action === undefined) return;
    e.preventDefault();
    this.send({ type: 'act', agent, action });
  }
}
