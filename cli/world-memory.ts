import type { WorldEvent } from '../core/events.js';
import type { EpisodicEntry } from '../memory/episode-recorder.js';
import { crafterSemanticRules } from '../worlds/crafter/semantic-rules.js';
import type { CrafterEnv } from '../worlds/crafter/index.js';
import type { WorldMemory } from './run-memory.js';
import '../worlds/navigation/events.js';

/** Crafter: the ruleset's recipes as the semantic level; achievements, collects, placements, crafts and deaths as episodes. */
export const CRAFTER_MEMORY: WorldMemory = {
  semanticRules: (env) => crafterSemanticRules((env as unknown as CrafterEnv).rules.data),
  describe(event: WorldEvent): readonly EpisodicEntry[] {
    switch (event.type) {
      case 'achievementUnlocked':
        return [{ agent: event.data.agent, kind: 'achievement', name: event.data.achievement }];
      case 'collect':
        return [{ agent: event.data.agent, kind: 'collect', name: event.data.material, text: JSON.stringify(event.data.items) }];
      case 'place':
        return [{ agent: event.data.agent, kind: 'place', name: event.data.name }];
      case 'make':
        return [{ agent: event.data.agent, kind: 'craft', name: event.data.item }];
      case 'eat':
        return [{ agent: event.data.agent, kind: 'other', name: `eat_${event.data.food}` }];
      case 'defeat':
        return [{ agent: event.data.agent, kind: 'other', name: `defeat_${event.data.creature}` }];
      case 'wakeUp':
        return [{ agent: event.data.agent, kind: 'other', name: 'wake_up' }];
      case 'death':
        return [{ agent: event.data.agent, kind: 'death', name: 'death' }];
      case 'share':
        return [
          { agent: event.data.from, kind: 'other', name: 'share_sent', text: JSON.stringify({ item: event.data.item, to: event.data.to }) },
          { agent: event.data.to, kind: 'other', name: 'share_received', text: JSON.stringify({ item: event.data.item, from: event.data.from }) },
        ];
      default:
        return [];
    }
  },
};

/** Navigation: no recipes; goals, keys and doors as episodes. */
export const NAVIGATION_MEMORY: WorldMemory = {
  describe(event: WorldEvent): readonly EpisodicEntry[] {
    switch (event.type) {
      case 'goalReached':
        return [{ agent: event.data.agent, kind: 'achievement', name: 'reach_goal' }];
      case 'keyPicked':
        return [{ agent: event.data.agent, kind: 'collect', name: 'key' }];
      case 'doorOpened':
        return [{ agent: event.data.agent, kind: 'other', name: 'open_door' }];
      default:
        return [];
    }
  },
};
