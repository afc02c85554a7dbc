import { z } from 'zod';

/** Steps per second the realtime clock accepts. */
export const MAX_STEPS_PER_SECOND = 10_000;

/**
 * Commands to a realtime run, as they arrive from a viewer's socket: validated here, since they come from outside.
 * - `pause` / `resume`: stop and restart the clock (the trajectory is unaffected).
 * - `step`: one step while paused (ignored while running).
 * - `speed`: change the pace (the trajectory is unaffected).
 * - `reset`: end the current episode (interrupted) and start a new one; the run's generator continues.
 */
export const SimulationCommandSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('pause') }).strict(),
  z.object({ type: z.literal('resume') }).strict(),
  z.object({ type: z.literal('step') }).strict(),
  z.object({ type: z.literal('speed'), stepsPerSecond: z.number().positive().max(MAX_STEPS_PER_SECOND) }).strict(),
  z.object({ type: z.literal('reset') }).strict(),
]);

export type SimulationCommand = z.infer<typeof SimulationCommandSchema>;

/** A valid command, frozen, or a `TypeError` that says what was wrong (e.g. `command.stepsPerSecond: ...`). */
export function parseSimulationCommand(input: unknown): SimulationCommand {
  const parsed = SimulationCommandSchema.safeParse(input);
  if (parsed.success) return Object.freeze(parsed.data);
  const issue = parsed.error.issues[0];
  const path = issue?.path.length ? `command.${issue.path.join('.')}` : 'command';
  throw new TypeError(`${path}: ${issue?.message ?? 'invalid'}`);
}
