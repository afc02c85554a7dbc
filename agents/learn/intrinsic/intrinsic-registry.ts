import { z } from 'zod';
import type { SubgoalContext } from '../../../core/subgoal-vocabulary.js';
import type { AgentId, AgentInfo } from '../../../core/parallel-env.js';
import { CountNovelty } from './count-novelty.js';
import type { IntrinsicReward, WeightedIntrinsic } from './intrinsic-reward.js';
import type { PlaceReader } from './place-reader.js';
import { SubgoalReward } from './subgoal-reward.js';
import { TeamNovelty } from './team-novelty.js';
import { TopologicalReward } from './topological-reward.js';

/** What a config may say about one module: its registered `name`, its `weight`, an optional instance name `as`, and the module's own options. */
export const IntrinsicSpecSchema = z.looseObject({
  name: z.string().min(1),
  weight: z.number().refine(Number.isFinite, 'must be finite').default(1),
  /** Name in logs (`intrinsic/<as>`) when one module is listed twice. */
  as: z.string().min(1).optional(),
});
export type IntrinsicSpec = z.input<typeof IntrinsicSpecSchema>;

/** What the world and the run give every module factory. */
export interface IntrinsicBuildContext<Obs = unknown, Info extends AgentInfo = AgentInfo> {
  /** Reads cells and places from observations (e.g. `navigationPlaceReader`). */
  readonly reader?: PlaceReader<Obs, Info>;
  /** For the `subgoal` module: the subgoal each agent pursues, and when it is reached. */
  readonly subgoals?: {
    readonly subgoalOf: (agent: AgentId) => unknown;
    readonly isReached: (subgoal: never, ctx: SubgoalContext<Obs, Info>) => boolean;
  };
}

/** How to build one kind of module from validated options. */
export interface IntrinsicFactory<Options> {
  /** The module's own options (strict: an unknown field is an error). */
  readonly options: z.ZodType<Options>;
  readonly create: (options: Options, name: string, ctx: IntrinsicBuildContext<never, never>) => IntrinsicReward<never, never>;
}

/** A bad intrinsic spec or an unknown module; the message says where and what is allowed. */
export class IntrinsicSpecError extends Error {
  override readonly name = 'IntrinsicSpecError';
}

/**
 * Intrinsic-reward modules by name, so a config can list them (`[{ name: 'topological', weight: 0.1 }]`). Build
 * the usual one with {@link defaultIntrinsicRegistry}; add your own with {@link IntrinsicRegistry.register}.
 */
export class IntrinsicRegistry {
  private readonly factories = new Map<string, IntrinsicFactory<unknown>>();

  register<Options>(name: string, factory: IntrinsicFactory<Options>): this {
    if (this.factories.has(name)) throw new IntrinsicSpecError(`intrinsic module "${name}" is already registered`);
    this.factories.set(name, factory as IntrinsicFactory<unknown>);
    return this;
  }

  names(): string[] {
    return [...this.factories.keys()];
  }

  /** Validates `specs` (at `source`, for messages) and builds the weighted modules, in order. */
  build<Obs, Info extends AgentInfo>(specs: unknown, ctx: IntrinsicBuildContext<Obs, Info>, source = 'intrinsic'): WeightedIntrinsic<Obs, Info>[] {
    if (!Array.isArray(specs)) throw new IntrinsicSpecError(`${source}: expected a list of modules ({ name, weight, ...options }), got ${JSON.stringify(specs)}`);
    return specs.map((raw, i) => this.buildOne(raw, ctx, `${source}[${i}]`));
  }

  private buildOne<Obs, Info extends AgentInfo>(raw: unknown, ctx: IntrinsicBuildContext<Obs, Info>, where: string): WeightedIntrinsic<Obs, Info> {
    const base = IntrinsicSpecSchema.safeParse(raw);
    if (!base.success) throw new IntrinsicSpecError(`${where}: ${issues(base.error)}`);
    const { name, weight, as, ...rest } = base.data;
    const factory = this.factories.get(name);
    if (!factory) throw new IntrinsicSpecError(`${where}: unknown intrinsic module "${name}"; known: ${this.names().join(', ')}`);
    const opts = factory.options.safeParse(rest);
    if (!opts.success) throw new IntrinsicSpecError(`${where} (${name}): ${issues(opts.error)}`);
    try {
      const module = factory.create(opts.data, as ?? name, ctx as IntrinsicBuildContext<never, never>) as unknown as IntrinsicReward<Obs, Info>;
      return { module, weight };
    } catch (e) {
      throw new IntrinsicSpecError(`${where} (${name}): ${(e as Error).message}`);
    }
  }
}

function issues(e: z.ZodError): string {
  return e.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
}

function needReader<O, I extends AgentInfo>(ctx: IntrinsicBuildContext<O, I>): PlaceReader<O, I> {
  if (!ctx.reader) throw new Error('needs a place reader from the world (IntrinsicBuildContext.reader)');
  return ctx.reader;
}

/** A registry holding the shipped modules: `count-novelty`, `team-novelty`, `topological`, `subgoal`. */
export function defaultIntrinsicRegistry(): IntrinsicRegistry {
  return new IntrinsicRegistry()
    .register('count-novelty', {
      options: z.strictObject({ scope: z.enum(['episode', 'run']).default('episode') }),
      create: (o, name, ctx) => new CountNovelty({ name, reader: needReader(ctx), scope: o.scope }),
    })
    .register('team-novelty', {
      options: z.strictObject({ unit: z.enum(['cell', 'place']).default('cell') }),
      create: (o, name, ctx) => new TeamNovelty({ name, reader: needReader(ctx), unit: o.unit }),
    })
    .register('topological', {
      options: z.strictObject({
        placeBonus: z.number().min(0).default(1),
        edgeBonus: z.number().min(0).default(0.5),
        frontierBonus: z.number().min(0).default(0.5),
        share: z.enum(['agent', 'team']).default('agent'),
      }),
      create: (o, name, ctx) => new TopologicalReward({ name, reader: needReader(ctx), ...o }),
    })
    .register('subgoal', {
      options: z.strictObject({
        reachedBonus: z.number().default(1),
        timeout: z.int().positive().optional(),
        timeoutPenalty: z.number().min(0).default(0),
        gamma: z.number().gt(0).max(1).default(0.99),
      }),
      create: (o, name, ctx) => {
        if (!ctx.subgoals) throw new Error('needs the subgoal source (IntrinsicBuildContext.subgoals): use it under a goal-conditioned env');
        const { timeout, ...rest } = o;
        return new SubgoalReward({ name, ...rest, ...(timeout !== undefined ? { timeout } : {}), subgoalOf: ctx.subgoals.subgoalOf as (a: AgentId) => never, isReached: ctx.subgoals.isReached });
      },
    });
}
