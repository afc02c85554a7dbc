/**
 * Reads a V8 CPU profile (`node --cpu-prof`) and splits its samples by who did the work: the viewer (anything
 * under `viewer/` and the socket.io / engine.io / ws packages, with everything they call), the simulation (the
 * kernel, the world, the agents and what they call), garbage collection, idle time and the rest (start-up, module
 * loading). A sample goes to the viewer when any frame of its stack is the viewer's, so the world-state copies a
 * frame capture makes count as the viewer's work, not the world's.
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string };
  readonly children?: readonly number[];
}
interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

/** Milliseconds of samples by owner. */
export interface ProfileShare { viewer: number; sim: number; gc: number; idle: number; other: number }

const VIEWER = [/\/viewer\//, /node_modules\/(socket\.io|socket\.io-parser|socket\.io-adapter|engine\.io|engine\.io-parser|ws)\//];
const SIM = [/\/core\//, /\/worlds\//, /\/agents\//, /node_modules\/(rxjs|simplex-noise|pure-rand)\//];

export function profileShare(file: string): ProfileShare {
  const p = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const owner = new Map<number, keyof ProfileShare>();
  const ownerOf = (id: number): keyof ProfileShare => {
    const known = owner.get(id);
    if (known) return known;
    const name = byId.get(id)!.callFrame.functionName;
    let who: keyof ProfileShare = name === '(garbage collector)' ? 'gc' : name === '(idle)' ? 'idle' : 'other';
    if (who === 'other') {
      let sim = false;
      for (let x: number | undefined = id; x !== undefined; x = parent.get(x)) {
        const url = byId.get(x)!.callFrame.url;
        if (VIEWER.some((r) => r.test(url))) {
          who = 'viewer';
          break;
        }
        if (SIM.some((r) => r.test(url))) sim = true;
      }
      if (who === 'other' && sim) who = 'sim';
    }
    owner.set(id, who);
    return who;
  };
  const share: ProfileShare = { viewer: 0, sim: 0, gc: 0, idle: 0, other: 0 };
  p.samples.forEach((id, i) => (share[ownerOf(id)] += (p.timeDeltas[i] ?? 0) / 1000));
  return share;
}
