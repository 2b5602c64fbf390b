import { z } from 'zod';
import type { VirtualClock } from './clock.ts';
import type { LocalScheduler } from './scheduler.ts';

const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 } as const;
/**
 * The longest step or forward set: a year. A step lives every due moment on the way (about 50 a
 * day) and holds the clock meanwhile; a longer jump is `tend dev --from` on stopped data.
 */
const MAX_STEP_MS = 366 * UNIT_MS.d;

/** `90m`, `6h`, `1d`, `2w` (one unit; `1d12h` is two steps). */
export function parseDuration(text: string): number | undefined {
  const m = /^(\d{1,7})([mhdw])$/.exec(text.trim());
  return m ? Number(m[1]) * UNIT_MS[m[2] as keyof typeof UNIT_MS] : undefined;
}

/** A day (`2026-03-01`, midnight UTC) or a moment with its offset (`2026-03-01T09:00:00Z`). */
export const clockTimeSchema = z.union([z.iso.date(), z.iso.datetime({ offset: true })], {
  error: 'a day (2026-03-01) or an ISO time with its offset (2026-03-01T09:00:00Z)',
});

/** `POST /local/clock`: exactly one of these. */
export const clockRequestSchema = z
  .strictObject({
    set: z.optional(clockTimeSchema),
    step: z.optional(z.string().refine((s) => parseDuration(s) !== undefined, 'a duration: a number and a unit, m h d or w (90m, 6h, 1d, 2w)')),
    pause: z.optional(z.literal(true)),
    resume: z.optional(z.literal(true)),
    speed: z.optional(z.int().min(1).max(10_000_000)),
  })
  .refine((r) => Object.keys(r).length === 1, 'exactly one of set, step, pause, resume, speed');
export type ClockRequest = z.infer<typeof clockRequestSchema>;

export interface ClockState {
  time: string;
  speed: number;
  paused: boolean;
}

export interface StepReport {
  from: string;
  to: string;
  /** How many times each schedule fired during the step, by name (only those that did). */
  fired: Record<string, number>;
  /** The due moments the step stopped at (and waited for the work of). */
  moments: number;
}

/** A client's request the clock cannot honour (a 4xx naming the field). */
export class ClockRequestError extends Error {
  constructor(
    readonly field: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

/**
 * Set, pause, resume and step the local clock of a running runtime. A step (and a forward set)
 * moves time from one due moment to the next, a schedule's fire, a state machine's Wait or a
 * retry, waiting for the work each one starts, as the demo's day loop does: what would have
 * happened in that time happens, in order, at its own virtual time. Time never moves back while
 * the runtime runs (plays and schedules wait on it): an earlier start is `tend dev --from`.
 */
export class ClockControl {
  private stepping = false;

  constructor(
    private readonly clock: VirtualClock,
    private readonly scheduler: LocalScheduler,
    private readonly idle: () => Promise<void>,
  ) {}

  state(): ClockState {
    return { time: this.clock.now().toISOString(), speed: this.clock.speed, paused: this.clock.paused };
  }

  async apply(request: ClockRequest): Promise<ClockState & { stepped?: StepReport }> {
    if (this.stepping) throw new ClockRequestError('clock', 'a step is under way: ask again when it is done', 409);
    if (request.pause) this.clock.pause();
    if (request.resume) this.clock.resume();
    if (request.speed !== undefined) this.clock.setSpeed(request.speed);
    if (request.step !== undefined) {
      const stepped = await this.stepTo(this.clock.nowMs() + parseDuration(request.step)!, 'step');
      return { ...this.state(), stepped };
    }
    if (request.set !== undefined) {
      const target = new Date(request.set).getTime();
      if (target < this.clock.nowMs())
        throw new ClockRequestError(
          'set',
          `${request.set} is before the clock (${this.clock.now().toISOString()}): time only moves forward while tend dev runs; stop it and start it with --from ${request.set}`,
        );
      const stepped = await this.stepTo(target, 'set');
      return { ...this.state(), stepped };
    }
    return this.state();
  }

  /** Moves the clock to `target`, firing and finishing everything due on the way; the clock runs on afterwards if it ran before. */
  async stepTo(target: number, field: string): Promise<StepReport> {
    const from = this.clock.nowMs();
    if (target - from > MAX_STEP_MS) throw new ClockRequestError(field, `at most ${MAX_STEP_MS / UNIT_MS.d} days at a time`);
    const wasRunning = !this.clock.paused;
    const before = new Map(this.scheduler.schedules.map((s) => [s.name, s.fired]));
    this.stepping = true;
    let moments = 1;
    this.clock.pause();
    try {
      await this.idle();
      for (; ; moments++) {
        const due = this.clock.nextWake();
        const next = due === undefined ? target : Math.min(target, Math.max(due, this.clock.nowMs()));
        this.clock.advanceTo(next);
        await this.idle();
        if (next >= target) break;
      }
    } finally {
      this.stepping = false;
      if (wasRunning) this.clock.resume();
    }
    const fired: Record<string, number> = {};
    for (const s of this.scheduler.schedules) if (s.fired > before.get(s.name)!) fired[s.name] = s.fired - before.get(s.name)!;
    return { from: new Date(from).toISOString(), to: new Date(target).toISOString(), fired, moments };
  }
}
