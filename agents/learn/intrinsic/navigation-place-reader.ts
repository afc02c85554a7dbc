import type { NavigationInfo, NavigationObservation } from '../../../worlds/navigation/navigation-env.js';
import { ViewCategory } from '../../../worlds/navigation/materials.js';
import type { PlaceKey, PlaceReader } from './place-reader.js';

/**
 * Cells and places of a navigation agent, from its own observation: the cell is its position (`"x,y"`), its place
 * the `placeSize` square holding it (`"px,py"`, as the world's `placeOf`), and the places it sees are those holding
 * a cell of its view that it could stand on.
 */
export function navigationPlaceReader(placeSize = 3): PlaceReader<NavigationObservation, NavigationInfo> {
  const key = (x: number, y: number): PlaceKey => `${Math.floor(x / placeSize)},${Math.floor(y / placeSize)}`;
  return {
    cell: (obs) => `${obs.position[0] as number},${obs.position[1] as number}`,
    places(obs) {
      const x = obs.position[0] as number;
      const y = obs.position[1] as number;
      const size = Math.round(Math.sqrt(obs.view.length));
      const r = size >> 1;
      const seen = new Set<PlaceKey>();
      for (let vy = 0; vy < size; vy++) {
        for (let vx = 0; vx < size; vx++) {
          const c = obs.view[vy * size + vx] as number;
          const wx = x + vx - r;
          const wy = y + vy - r;
          if (c === ViewCategory.wall || c === ViewCategory.doorLocked || wx < 0 || wy < 0) continue;
          seen.add(key(wx, wy));
        }
      }
      return { at: key(x, y), seen: [...seen] };
    },
  };
}

/** Whether the agent's goal is in its view (for `UntilReward`: stop an exploration bonus once it is). */
export function goalInView(obs: NavigationObservation): boolean {
  return obs.view.includes(ViewCategory.goal);
}
