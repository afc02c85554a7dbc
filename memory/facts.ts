/** Who knows a fact and who may see it: every node and edge the knowledge graph writes carries these. */
import type { Props } from './graph-store.js';

/** Private to the observer, or shared with the observer's team. (Rules loaded from data are `public`.) */
export type Scope = 'private' | 'team';
/** Who knows a fact, since which step, and with whom it is shared. */
export interface Fact { readonly observer: string; readonly step: number; readonly scope: Scope; readonly team?: string }
/** Who is asking: sees their own facts, their team's shared facts and the rules. */
export interface Viewer { readonly agent: string; readonly team?: string }

/** True when a fact with these props (observer, scope, team) is visible to the viewer. */
export function visibleTo(p: Props, v: Viewer): boolean {
  if (p.scope === 'public' || p.observer === v.agent) return true;
  return p.scope === 'team' && v.team !== undefined && v.team !== '' && p.team === v.team;
}
