import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TestScheduler } from 'rxjs/testing';
import { ofType } from '../../../core/index.js';
import type { WorldEvent } from '../../../core/index.js';

const at = { episode: 0, step: 1, totalSteps: 1 };
const events: Record<string, WorldEvent> = {
  s: { type: 'step', data: { actions: {}, rewards: {} }, ...at },
  l: { type: 'agentLate', data: { agent: 'a', deadlineMs: 100, action: 0 }, ...at },
  f: { type: 'agentFailed', data: { agent: 'b', error: 'boom' }, ...at },
  e: { type: 'episodeEnd', data: { length: 1, returns: {}, metrics: {} }, ...at },
};

test('ofType keeps the listed types, in order and on time, and passes completion', () => {
  new TestScheduler((a, b) => assert.deepEqual(a, b)).run(({ cold, expectObservable }) => {
    const source = cold<WorldEvent>('s-l-s-f-e|', events);
    expectObservable(source.pipe(ofType('agentLate', 'agentFailed'))).toBe('--l---f--|', events);
    expectObservable(source.pipe(ofType('episodeEnd'))).toBe('--------e|', events);
    expectObservable(source.pipe(ofType())).toBe('---------|');
  });
});

test('ofType narrows the payload type', () => {
  const agents: string[] = [];
  new TestScheduler((a, b) => assert.deepEqual(a, b)).run(({ cold, flush }) => {
    cold<WorldEvent>('s-l-f|', events)
      .pipe(ofType('agentLate', 'agentFailed'))
      .subscribe((e) => agents.push(e.data.agent)); // `data.agent` exists on both: this compiles only if narrowed
    flush();
  });
  assert.deepEqual(agents, ['a', 'b']);
});
