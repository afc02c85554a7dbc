import type { Rng } from '../../../core/rng.js';
import type { GeneratedLayout } from '../grid.js';
import type { NavigationConfig } from '../navigation-config.js';
import { generateOpenRoom } from './open-room.js';
import { generateFourRooms } from './four-rooms.js';
import { generateMultiRoom } from './multi-room.js';
import { generateMaze } from './maze.js';
import { generateKeyDoor } from './key-door.js';
import { generateAscii } from './ascii.js';

/** Builds the map a validated config asks for, drawing from `rng`. */
export function generateLayout(config: NavigationConfig, rng: Rng): GeneratedLayout {
  switch (config.layout) {
    case 'open-room':
      return generateOpenRoom(config, rng);
    case 'four-rooms':
      return generateFourRooms(config, rng);
    case 'multi-room':
      return generateMultiRoom(config, rng);
    case 'maze':
      return generateMaze(config, rng);
    case 'key-door':
      return generateKeyDoor(config, rng);
    case 'ascii':
      return generateAscii(config);
  }
}
