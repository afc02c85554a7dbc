/// <reference lib="dom" />
/**
 * The viewer page's entry: connects to the server's socket.io room (token from the URL's `#token=`), keeps a
 * {@link PageModel} from the snapshot and frames, and draws at most once per animation frame. A frame is acked as
 * soon as it is applied; the server sends the next only then, so a busy tab gets fewer, larger frames, never a queue.
 */
import { io, type Socket } from 'socket.io-client';
import type { ClientCommand, ClientToServerEvents, GraphNode, Hello, ServerToClientEvents, Snapshot } from '../protocol.js';
import { decodeFrame } from '../protocol.js';
import { Controls } from './controls.js';
import { byId, el } from './dom.js';
import { EventLog } from './event-log.js';
import { GraphPanel, LEVELS, LEVEL_COLORS, type Level, type Neighbour } from './graph-panel.js';
import { Inspector } from './inspector.js';
import { LinePlot } from './line-plot.js';
import { PageModel } from './page-model.js';
import { WorldView } from './world-view.js';

type ViewerSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

const token = new URLSearchParams(location.hash.slice(1)).get('token') ?? undefined;
const socket: ViewerSocket = io({ auth: token ? { token } : {}, transports: ['websocket', 'polling'] });

const model = new PageModel();
const world = new WorldView(byId<HTMLCanvasElement>('world'));
const inspector = new Inspector(byId('inspector'));
const log = new EventLog(byId('events'), byId<HTMLInputElement>('event-filter'));
const graph = new GraphPanel(byId('graph'));
const plots = {
  reward: new LinePlot(byId<HTMLCanvasElement>('plot-reward'), 'Team reward'),
  achievements: new LinePlot(byId<HTMLCanvasElement>('plot-achievements'), 'Achievements'),
  speed: new LinePlot(byId<HTMLCanvasElement>('plot-speed'), 'Steps / s'),
};
let nextId = 1;
let hello: Hello | undefined;
let selected: string | undefined;
let dirty = true;
/** Counters the browser tests read (window.canopyViewer): what arrived and what was drawn, nothing else. */
const stats = { snapshots: 0, frames: 0, draws: 0, drawnSeq: -1, errors: [] as string[] };

function send(command: ClientCommand): void {
  socket.emit('command', { id: nextId++, command });
}
const controls = new Controls(send);

// ---- selection and follow ------------------------------------------------------------------------------------
const followSel = byId<HTMLSelectElement>('follow');
function select(agent: string | undefined): void {
  selected = agent;
  followSel.value = agent ?? '';
  if (world.follow !== undefined && agent !== undefined) world.follow = agent;
  socket.emit('command', { id: nextId++, command: { type: 'follow', agent: agent ?? null } });
  dirty = true;
}
world.onPick = (agent) => { if (agent !== undefined) select(agent); };
world.onFollowChange = () => { byId<HTMLInputElement>('follow-cam').checked = false; };
followSel.addEventListener('change', () => select(followSel.value || undefined));
byId<HTMLInputElement>('follow-cam').addEventListener('change', (e) => {
  world.follow = (e.target as HTMLInputElement).checked ? selected ?? model.agents[0]?.id : undefined;
  if (world.follow !== undefined && selected === undefined) select(world.follow);
  dirty = true;
});
byId('zoom-in').addEventListener('click', () => world.zoomBy(1.25));
byId('zoom-out').addEventListener('click', () => world.zoomBy(0.8));
byId('zoom-fit').addEventListener('click', () => { world.follow = undefined; byId<HTMLInputElement>('follow-cam').checked = false; world.fit(); });

// ---- graph filters and facts ---------------------------------------------------------------------------------
const levelBoxes = new Map<Level, HTMLInputElement>();
const graphAgent = byId<HTMLSelectElement>('graph-agent');
byId('graph-levels').replaceChildren(...LEVELS.map((level) => {
  const box = el('input', { type: 'checkbox', 'data-level': level });
  box.checked = true;
  box.addEventListener('change', applyGraphFilter);
  levelBoxes.set(level, box);
  return el('label', { class: 'level' }, box, el('span', { class: 'dot', style: `background:${LEVEL_COLORS[level]}` }), level);
}));
graphAgent.addEventListener('change', applyGraphFilter);
function applyGraphFilter(): void {
  graph.setFilter(LEVELS.filter((l) => levelBoxes.get(l)!.checked), graphAgent.value || undefined);
}
graph.colorOf = (a) => model.colorOf(a);
graph.onCounts = (shown, total) => {
  const omitted = model.graphOmitted;
  byId('graph-count').textContent = (shown === total ? `${total} nodes` : `${shown} / ${total} nodes`) + (omitted ? ` (+${omitted} older not loaded)` : '');
  byId('graph-count').title = shown === total ? '' : 'nodes drawn / nodes known: filters hide some, and at most 3000 (the newest; goals and agents always) are drawn';
  byId('graph-empty').hidden = total > 0;
};
graph.onSelect = (node, neighbours) => showFacts(node, neighbours);
function showFacts(node: GraphNode | undefined, neighbours: readonly Neighbour[]): void {
  const box = byId('facts');
  box.hidden = node === undefined;
  if (!node) return;
  const a = node.attributes;
  // The facts are not sent with the node (they would triple a frame): ask for them; `facts` fills the table.
  factsKey = node.key;
  send({ type: 'nodeFacts', key: node.key });
  box.replaceChildren(
    el('div', { class: 'facts-head' },
      el('span', { class: 'dot', style: `background:${a.level === 'agents' ? model.colorOf(a.agent ?? a.name) : LEVEL_COLORS[a.level]}` }),
      el('b', {}, GraphPanel.label(node)), el('span', { class: 'muted' }, ` ${a.label} · ${a.level}`),
      a.valid ? '' : el('span', { class: 'badge bad' }, 'invalidated'),
      el('button', { class: 'close', title: 'close' }, '×')),
    el('div', { class: 'muted' }, `key ${node.key} · ${a.agent ?? 'public'} · seen at step ${a.step}`),
    el('table', { class: 'facts-table', id: 'facts-table' }, el('tr', {}, el('td', { class: 'muted' }, 'loading facts…'))),
    el('div', { class: 'facts-nb' }, ...neighbours.slice(0, 12).map((n) =>
      el('div', {}, el('span', { class: 'muted' }, n.out ? `${n.edge.attributes.type} → ` : `← ${n.edge.attributes.type} `), GraphPanel.label(n.other)))),
  );
  box.querySelector('button.close')!.addEventListener('click', () => { box.hidden = true; });
}

let factsKey: string | undefined;
socket.on('facts', (f) => {
  const table = document.getElementById('facts-table');
  if (f.key !== factsKey || !table) return;
  const rows = f.props === null ? [el('tr', {}, el('td', { class: 'muted' }, 'no longer known to the server'))]
    : Object.entries(f.props).map(([k, v]) => el('tr', {}, el('td', {}, k), el('td', {}, String(v))));
  table.replaceChildren(...rows);
});

// ---- socket --------------------------------------------------------------------------------------------------
function status(text: string, kind: 'ok' | 'warn' | 'bad'): void {
  const s = byId('status');
  s.textContent = text;
  s.className = `status ${kind}`;
}
socket.on('connect', () => status('connected', 'ok'));
socket.on('disconnect', (reason) => status(`disconnected (${reason}), retrying…`, 'bad'));
socket.on('connect_error', (err) => status(`cannot connect: ${err.message}`, 'bad'));
socket.on('hello', (h) => {
  hello = h;
  controls.control = h.control;
  byId('mode').textContent = h.mode === 'replay' ? 'replay' : 'live';
  byId('access').textContent = h.control ? 'control' : 'read-only';
  byId('access').className = h.control ? 'badge ok' : 'badge';
  dirty = true;
});
socket.on('snapshot', (s: Snapshot) => {
  stats.snapshots++;
  model.applySnapshot(s);
  graph.clear();
  const g = model.decodeGraph(s.graph);
  graph.apply(g.nodes, g.edges);
  onLegend();
  dirty = true;
});
socket.on('frame', (body: ArrayBuffer | Uint8Array, skipped: number, ack: () => void) => {
  stats.frames++;
  const f = decodeFrame(body, skipped);
  if (model.applyFrame(f)) {
    const g = model.decodeGraph(f.graph);
    graph.apply(g.nodes, g.edges, f.graph.invalidated);
  }
  // Acked once applied (as the protocol asks), not once drawn: drawing coalesces frames on the next animation frame,
  // and a page slow to draw (software WebGL, a big graph) must not look like a dead client to the server.
  ack();
  dirty = true;
});
socket.on('error', (e) => {
  stats.errors.push(`${e.code}: ${e.message}`);
  toast(`${e.code}: ${e.message}`);
});

function toast(text: string): void {
  const t = byId('toast');
  t.textContent = text;
  t.hidden = false;
  window.clearTimeout(Number(t.dataset.timer));
  t.dataset.timer = String(window.setTimeout(() => { t.hidden = true; }, 4000));
}

/** Lists that depend on the agents present: follow, play-as and the graph's agent filter. */
function onLegend(): void {
  const ids = model.agents.map((a) => a.id);
  const opts = (sel: HTMLSelectElement, none: string): void => {
    const keep = sel.value;
    sel.replaceChildren(new Option(none, ''), ...ids.map((id) => new Option(id, id)));
    sel.value = ids.includes(keep) ? keep : '';
  };
  opts(followSel, 'select an agent');
  opts(graphAgent, 'all agents');
  controls.setAgents(ids);
  controls.actions = model.legend?.actions ?? [];
  if (model.agent(selected) === undefined) select(ids[0]);
}

// ---- drawing -------------------------------------------------------------------------------------------------
function draw(): void {
  const legend = model.legend;
  world.render({
    grid: legend ? { width: legend.width, height: legend.height, tiles: legend.tiles, cells: model.cells } : undefined,
    objects: model.objects(),
    daylight: model.daylight,
    colorOf: (a) => model.colorOf(a),
    selected,
  });
  const agent = model.agent(selected);
  inspector.render(agent, legend, selected !== undefined ? model.colorOf(selected) : '#888', model.events);
  log.render(model.events);
  drawPlots();
  const c = model.clock;
  // A replay's episodes each start from a seed of their own: show the one on screen (the run's in the tooltip).
  const ep = model.replay?.episodes.find((e) => e.episode === c?.episode);
  byId('seed').textContent = ep ? `${ep.seed}` : String(model.seed);
  byId('seed').title = ep ? `run seed ${model.seed}; this episode was reset with seed ${ep.seed}` : 'the run seed';
  byId('world-kind').textContent = legend?.kind ?? '…';
  byId('clock').textContent = c ? `episode ${c.episode} · step ${c.step}` : '';
  byId('clock').title = c ? `${c.totalSteps} steps in the run so far` : '';
  byId('daytime').textContent = legend?.kind === 'crafter' ? (model.daylight > 0.5 ? '☀ day' : '☾ night') : '';
  const lag = model.skippedFrames ? ` · ${model.skippedFrames} frames skipped` : '';
  byId('frames').textContent = `frame ${model.seq}${lag}${model.droppedEvents ? ` · ${model.droppedEvents} events dropped` : ''}`;
  if (hello && c && !c.running && !model.replay) status('run ended', 'warn');
  controls.update(c, model.replay);
  stats.draws++;
  stats.drawnSeq = model.seq;
}

let plotKey = '';
let plotAt = 0;
/** Plots redraw when a point arrived, at most 4 times a second: they move slowly and cost more than the map. */
function drawPlots(): void {
  const ms = model.metrics;
  const key = `${ms.length}:${ms[ms.length - 1]?.totalSteps ?? -1}`;
  const now = performance.now();
  if (key === plotKey || now - plotAt < 250) {
    if (key !== plotKey) dirty = true; // come back for it
    return;
  }
  plotKey = key;
  plotAt = now;
  plots.reward.draw([{ name: 'team', color: '#98c379', points: model.series('teamReward') }]);
  plots.achievements.draw([{ name: 'unlocked', color: '#f2b134', points: model.series('achievements') }]);
  plots.speed.draw([{ name: 'steps/s', color: '#61afef', points: model.series('stepsPerSecond') }]);
}

let lastDrawError = '';
function loop(): void {
  if (dirty) {
    dirty = false;
    // A drawing bug must not stop the loop (acks, and so frames, would stop with it): report it and go on.
    try {
      draw();
    } catch (err) {
      const text = `draw: ${(err as Error).message}`;
      if (text !== lastDrawError) { lastDrawError = text; stats.errors.push(text); console.error(err); toast(text); }
    }
  }
  requestAnimationFrame(loop);
}
requestAnimationFrame(loop);
window.addEventListener('resize', () => { plotKey = ''; dirty = true; });

/** Read-only view of what the page holds, for the browser tests and for poking at from the devtools console. */
Object.defineProperty(window, 'canopyViewer', {
  value: {
    get stats() { return { ...stats, errors: [...stats.errors] }; },
    get seq() { return model.seq; },
    get clock() { return model.clock; },
    get replay() { return model.replay; },
    get worldStep() { return model.worldStep; },
    get agents() { return model.agents.map((a) => ({ id: a.id, x: a.x, y: a.y, alive: a.alive })); },
    get cells() { return model.cells.join(','); },
    get graphNodes() { return { shown: graph.shownCount, total: graph.totalCount }; },
    graphKeys: () => graph.shownKeys(),
    graphNodePosition: (key: string) => graph.positionOf(key),
    get hello() { return hello; },
  },
});
