import { test } from 'node:test';
import { checkConformance } from '../../../core/conformance/index.js';
import { createNavigationEnv, LAYOUTS, type NavigationConfigInput } from '../../../worlds/navigation/index.js';

const MAX_STEPS = 40;

for (const layout of LAYOUTS) {
  for (const agents of [1, 2, 6]) {
    for (const goalMode of ['shared', 'each'] as const) {
      // The default hand-drawn map is too small for six agents each with a goal.
      const map = layout === 'ascii' ? { map: ['#########', '#       #', '#  #    #', '#    #  #', '#########'] } : {};
      const teamSuccess = agents === 2 ? 'one' : 'all';
      test(`navigation ${layout}, ${agents} agent(s), goalMode ${goalMode}, teamSuccess ${teamSuccess} passes the conformance kit`, () => {
        const config = { layout, agents, goalMode, teamSuccess, maxSteps: MAX_STEPS, ...map } as NavigationConfigInput;
        checkConformance(() => createNavigationEnv(config), { seed: agents * 7, cycles: 200, steps: 150, maxSteps: MAX_STEPS });
      });
    }
  }
}
