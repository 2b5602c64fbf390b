import { JSONPath } from 'jsonpath-plus';
import type { CloudAssembly } from '../assembly.ts';
import { LOCAL_ACCOUNT, LOCAL_REGION } from '../assembly.ts';
import type { VirtualClock } from '../clock.ts';
import type { LambdaHost } from '../lambdas.ts';
import { ClockedStateMachine, type RunEvent } from './clocked-machine.ts';
import type { Checkpoint, CheckpointStore } from './checkpoints.ts';
import { InstantOrder, laneOf } from './instant-order.ts';
import { ClosedRuns } from './closed-runs.ts';
import { ValidatedDefinitions } from './validated-definitions.ts';

type States = Record<string, Record<string, unknown>>;
interface Definition {
  StartAt: string;
  States: States;
  [k: string]: unknown;
}

export interface LocalMachine {
  arn: string;
  name: string;
  definition: Definition;
  /** Every state by name, nested ones (Map, Parallel) included. */
  states: States;
  bindings: Record<string, (input: unknown) => Promise<unknown>>;
  segments: Map<string, ClockedStateMachine>;
}

export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'ABORTED' | 'TIMED_OUT';

export interface LocalExecution {
  arn: string;
  name: string;
  machineArn: string;
  input: string;
  status: ExecutionStatus;
  startDate: Date;
  stopDate?: Date;
  output?: string;
  error?: string;
  cause?: string;
  /** Virtual time the run is waiting until, while it waits. */
  waitingUntil?: Date;
  /** State events, stamped with the local clock's time (emptied once the run is among the older closed ones: closed-runs.ts). */
  history: { type: string; state?: string; at: Date }[];
  stop: AbortController;
  done: Promise<void>;
}

export class ExecutionAlreadyExists extends Error {
  override name = 'ExecutionAlreadyExists';
}
export class StateMachineDoesNotExist extends Error {
  override name = 'StateMachineDoesNotExist';
}

const LAMBDA_INVOKE = /^arn:aws:states:::lambda:invoke$/;
const LAMBDA_ARN = /^arn:aws:lambda:/;

function evaluate(path: string, json: unknown): unknown {
  return JSONPath({ path, json: json as object, wrap: false });
}

function allStates(definition: Definition): States {
  const out: States = {};
  const visit = (states: States) => {
    for (const [name, state] of Object.entries(states)) {
      out[name] = state;
      if (state.Type === 'Parallel') for (const b of state.Branches as Definition[]) visit(b.States);
      if (state.Type === 'Map') visit(((state.ItemProcessor ?? state.Iterator) as Definition).States);
    }
  };
  visit(definition.States);
  return out;
}

/**
 * A Map state's ItemBatcher, which the library does not implement: the items at ItemsPath are
 * replaced, in the state's input, by the batches the service would pass to each child
 * (`{ Items, BatchInput }`, at most MaxItemsPerBatch items each). Done when the state is entered,
 * before the library reads its items.
 */
function batchItems(state: Record<string, unknown>, input: unknown): void {
  const batcher = state.ItemBatcher as { MaxItemsPerBatch?: number; BatchInput?: unknown } | undefined;
  if (!batcher || typeof state.ItemsPath !== 'string') {
    if (batcher) throw new Error('ItemBatcher without ItemsPath is not supported locally');
    return;
  }
  const [found] = JSONPath({ path: state.ItemsPath, json: input as object, resultType: 'all' }) as {
    value: unknown;
    parent: Record<string, unknown>;
    parentProperty: string;
  }[];
  if (!found || !Array.isArray(found.value)) return;
  const size = Math.max(1, batcher.MaxItemsPerBatch ?? found.value.length);
  const batches = [];
  for (let i = 0; i < found.value.length; i += size)
    batches.push({ Items: found.value.slice(i, i + size), ...(batcher.BatchInput ? { BatchInput: batcher.BatchInput } : {}) });
  found.parent[found.parentProperty] = batches;
}

/**
 * Runs the synthesized state machines with aws-local-stepfunctions. Intrinsics are resolved
 * from the template, every Task is bound by state name to the same bundled Lambda, and every
 * Wait is a checkpoint: the run stops there and resumes at that state when the local clock
 * reaches the wait's end. So waits of any length follow the clock (no 24.8-day timer limit),
 * and Retry intervals are scaled by the same clock.
 */
export class LocalStepFunctions {
  readonly machines = new Map<string, LocalMachine>();
  readonly executions = new Map<string, LocalExecution>();
  /** The runs not yet done: what `idle()` looks through (executions keeps every run ever started, the older closed ones without their detail). */
  readonly live = new Set<LocalExecution>();
  /** Called when a run ends or starts waiting on the clock (the runtime's `idle()` looks again then). */
  onSettle: () => void = () => {};
  transitions = 0;
  /** The turn of each run's next segment while the clock stands still (see instant-order.ts); told when a handler returns. */
  readonly order: InstantOrder;
  /** The account each run works on (its turn's lane), read once from its input. */
  private readonly lanes = new WeakMap<LocalExecution, string | undefined>();
  /** Closed runs: only the newest keep their history, input and output (closed-runs.ts). */
  readonly closed = new ClosedRuns();

  constructor(
    assembly: CloudAssembly,
    private readonly lambdas: LambdaHost,
    private readonly clock: VirtualClock,
    /** Executions on disk (tend dev): saved at start, at every Wait and at the end; see restore(). */
    private readonly store?: CheckpointStore,
  ) {
    this.order = new InstantOrder(
      () => clock.paused,
      () => lambdas.inFlight === 0,
    );
    const validated = new ValidatedDefinitions(assembly.dir);
    for (const { stack, logicalId, resource } of assembly.resources('AWS::StepFunctions::StateMachine')) {
      const arn = assembly.arnOf(stack, logicalId);
      const p = resource.Properties ?? {};
      const raw = assembly.resolve(stack, p.DefinitionString ?? p.Definition);
      const definition = (typeof raw === 'string' ? JSON.parse(raw) : raw) as Definition;
      const machine: LocalMachine = {
        arn,
        name: arn.split(':').pop()!,
        definition,
        states: allStates(definition),
        bindings: this.bind(arn, definition),
        segments: new Map(),
      };
      const key = validated.keyOf(definition);
      this.segment(machine, definition.StartAt, !validated.has(key));
      validated.add(key);
      this.machines.set(arn, machine);
    }
  }

  /** Binds every Task of a definition; a Task the runtime cannot run stops the machine from loading. */
  private bind(arn: string, definition: Definition) {
    const bindings: LocalMachine['bindings'] = {};
    const unbound: string[] = [];
    const visit = (states: States) => {
      for (const [name, state] of Object.entries(states)) {
        if (state.Type === 'Parallel') for (const b of state.Branches as Definition[]) visit(b.States);
        if (state.Type === 'Map') visit(((state.ItemProcessor ?? state.Iterator) as Definition).States);
        if (state.Type !== 'Task') continue;
        const resource = String(state.Resource);
        if (LAMBDA_INVOKE.test(resource)) {
          bindings[name] = async (input) => {
            const { FunctionName, Payload } = input as { FunctionName: string; Payload: unknown };
            const result = await this.lambdas.invoke(String(FunctionName), Payload);
            return { ExecutedVersion: '$LATEST', Payload: result ?? null, StatusCode: 200 };
          };
        } else if (LAMBDA_ARN.test(resource)) {
          bindings[name] = (input) => this.lambdas.invoke(resource, input);
        } else unbound.push(`${name} (${resource})`);
      }
    };
    visit(definition.States);
    if (unbound.length) throw new Error(`state machine ${arn} has Tasks the local runtime cannot run: ${unbound.join(', ')}`);
    for (const fnArn of new Set(
      Object.values(definition.States)
        .map((s) => (s.Parameters as { FunctionName?: string } | undefined)?.FunctionName)
        .filter(Boolean),
    )) {
      this.lambdas.get(String(fnArn));
    }
    return bindings;
  }

  machine(arn: string): LocalMachine {
    const m = this.machines.get(arn) ?? [...this.machines.values()].find((x) => x.name === arn);
    if (!m) throw new StateMachineDoesNotExist(`State Machine Does Not Exist: '${arn}'`);
    return m;
  }

  /** StartExecution semantics of a Standard machine: a name is used once; the same name and input while running returns that run. */
  start(machineArn: string, name: string, input: string): LocalExecution {
    const machine = this.machine(machineArn);
    const arn = `arn:aws:states:${LOCAL_REGION}:${LOCAL_ACCOUNT}:execution:${machine.name}:${name}`;
    const existing = this.executions.get(arn);
    if (existing) {
      if (existing.status === 'RUNNING' && existing.input === input) return existing;
      throw new ExecutionAlreadyExists(`Execution Already Exists: '${arn}'`);
    }
    let finish!: () => void;
    const exec: LocalExecution = {
      arn,
      name,
      machineArn: machine.arn,
      input,
      status: 'RUNNING',
      startDate: this.clock.now(),
      history: [],
      stop: new AbortController(),
      done: new Promise<void>((resolve) => (finish = resolve)),
    };
    this.track(exec);
    const startInput = JSON.parse(input) as unknown;
    this.save(exec, { state: machine.definition.StartAt, input: startInput });
    this.inTurn(machine, exec, machine.definition.StartAt, startInput, undefined, finish);
    return exec;
  }

  /** Registers a run; its end is a moment the runtime may have settled (onSettle). */
  private track(exec: LocalExecution) {
    this.executions.set(exec.arn, exec);
    this.live.add(exec);
    // A run stopped while its segment waits for its turn ends at the next look (instant-order.ts), not at some later moment.
    exec.stop.signal.addEventListener('abort', () => this.order.look(), { once: true });
    void exec.done.then(() => {
      this.live.delete(exec);
      this.lanes.delete(exec);
      this.closed.add(exec);
      this.onSettle();
    });
  }

  private save(exec: LocalExecution, at?: Checkpoint['at']) {
    if (!this.store) return;
    const iso = (d?: Date) => d?.toISOString();
    this.store.save({
      arn: exec.arn,
      name: exec.name,
      machineArn: exec.machineArn,
      input: exec.input,
      status: exec.status,
      startDate: exec.startDate.toISOString(),
      stopDate: iso(exec.stopDate),
      output: exec.output,
      error: exec.error,
      cause: exec.cause,
      at,
    });
  }

  /**
   * Loads the executions saved by an earlier process and resumes the live ones where they were
   * checkpointed: a run asleep in a Wait sleeps on until its time; a run that was between two
   * Waits runs again from the last one (its tasks are idempotent, so nothing is done twice).
   */
  restore(): number {
    if (!this.store) return 0;
    let resumed = 0;
    for (const c of this.store.load()) {
      if (this.executions.has(c.arn)) continue;
      let finish!: () => void;
      const exec: LocalExecution = {
        arn: c.arn,
        name: c.name,
        machineArn: c.machineArn,
        input: c.input,
        status: c.status,
        startDate: new Date(c.startDate),
        stopDate: c.stopDate ? new Date(c.stopDate) : undefined,
        output: c.output,
        error: c.error,
        cause: c.cause,
        history: [],
        stop: new AbortController(),
        done: new Promise<void>((resolve) => (finish = resolve)),
      };
      this.track(exec);
      if (c.status !== 'RUNNING' || !c.at) {
        finish();
        continue;
      }
      const machine = this.machines.get(c.machineArn);
      if (!machine || !machine.states[c.at.state]) {
        Object.assign(exec, {
          status: 'FAILED',
          error: 'States.Runtime',
          cause: `state machine ${c.machineArn} (or its state "${c.at.state}") is no longer in the template`,
          stopDate: this.clock.now(),
        });
        this.save(exec);
        finish();
        continue;
      }
      resumed++;
      if (c.at.until !== undefined) this.sleepThenResume(machine, exec, { state: c.at.state, input: c.at.input, until: c.at.until }, finish);
      else this.inTurn(machine, exec, c.at.state, c.at.input, undefined, finish);
    }
    return resumed;
  }

  stopExecution(arn: string, error?: string, cause?: string, options: { persist?: boolean } = {}) {
    const exec = this.executions.get(arn);
    if (!exec || exec.status !== 'RUNNING') return;
    Object.assign(exec, { status: 'ABORTED', stopDate: this.clock.now(), error, cause });
    // The local runtime shutting down is not a stop of the run: on disk it stays where it was.
    if (options.persist !== false) this.save(exec);
    exec.stop.abort();
  }

  /** Sleeps on the clock until a Wait's end (or the run's timeout), then runs on from that Wait. */
  private sleepThenResume(machine: LocalMachine, exec: LocalExecution, s: { state: string; input: unknown; until: number }, finish: () => void) {
    // The run's TimeoutSeconds is enforced here, while it waits on the clock: work takes
    // real time, which a fast clock would stretch into hours and time out for no reason.
    const timeout = machine.definition.TimeoutSeconds;
    const deadline = typeof timeout === 'number' ? exec.startDate.getTime() + timeout * 1000 : Infinity;
    const wake = Math.min(s.until, deadline);
    exec.waitingUntil = new Date(s.until);
    this.onSettle();
    this.clock.sleepUntil(wake, exec.stop.signal).then(() => {
      exec.waitingUntil = undefined;
      if (exec.status === 'RUNNING' && !exec.stop.signal.aborted && wake < s.until) {
        Object.assign(exec, { status: 'TIMED_OUT', stopDate: this.clock.now(), error: 'States.Timeout' });
        this.save(exec);
        exec.stop.abort();
      }
      if (exec.status === 'RUNNING' && !exec.stop.signal.aborted) this.inTurn(machine, exec, s.state, s.input, s.state, finish);
      else finish();
    });
  }

  private segment(machine: LocalMachine, startAt: string, validate = false): ClockedStateMachine {
    let sm = machine.segments.get(startAt);
    if (!sm) {
      // The run's timeout is kept on the local clock (see start); the library would set a raw
      // timer for it, and a timeout past 24.8 days (Tend's are a year) would fire at once.
      const { TimeoutSeconds: _timeout, ...definition } = machine.definition;
      // The whole definition is validated once, at load (unless validated by an earlier start); a
      // segment starting at a Wait leaves the states before it unreachable, which the validator would reject.
      sm = new ClockedStateMachine({ ...definition, StartAt: startAt } as never, { validationOptions: validate ? { checkArn: false } : { noValidate: true } });
      machine.segments.set(startAt, sm);
    }
    return sm;
  }

  private waitUntil(state: Record<string, unknown>, input: unknown): number {
    const data = typeof state.InputPath === 'string' ? evaluate(state.InputPath, input) : input;
    const finite = (ms: number, what: string) => {
      if (!Number.isFinite(ms)) throw new Error(`Wait state: ${what} is not a number or timestamp`);
      return ms;
    };
    if (typeof state.Seconds === 'number') return this.clock.nowMs() + state.Seconds * 1000;
    if (typeof state.Timestamp === 'string') return finite(Date.parse(state.Timestamp), 'Timestamp');
    if (typeof state.SecondsPath === 'string') return finite(this.clock.nowMs() + Number(evaluate(state.SecondsPath, data)) * 1000, state.SecondsPath);
    if (typeof state.TimestampPath === 'string') return finite(Date.parse(String(evaluate(state.TimestampPath, data))), state.TimestampPath);
    throw new Error('Wait state without Seconds, Timestamp, SecondsPath or TimestampPath');
  }

  /** Runs the segment from `startAt` in its turn (instant-order.ts); a run stopped while it waited for its turn just ends. */
  private inTurn(machine: LocalMachine, exec: LocalExecution, startAt: string, input: unknown, resumedWait: string | undefined, finish: () => void) {
    if (!this.lanes.has(exec)) this.lanes.set(exec, laneOf(JSON.parse(exec.input)));
    this.order.enter(this.lanes.get(exec), exec.name, () => {
      const ended = () => {
        this.order.ended();
        finish();
      };
      if (exec.status !== 'RUNNING' || exec.stop.signal.aborted) return ended();
      try {
        this.runSegment(machine, exec, startAt, input, resumedWait, finish, () => this.order.ended());
      } catch (err) {
        Object.assign(exec, { status: 'FAILED', error: 'States.Runtime', cause: String(err), stopDate: this.clock.now() });
        this.save(exec);
        ended();
      }
    });
  }

  /** Runs from `startAt` until the run ends or reaches a Wait; at a Wait, resumes there when the clock says so. `ended`: the segment stopped. */
  private runSegment(
    machine: LocalMachine,
    exec: LocalExecution,
    startAt: string,
    input: unknown,
    resumedWait: string | undefined,
    finish: () => void,
    ended: () => void,
  ) {
    const entered = new Map<string, unknown>();
    const retries = new Map<string, number>();
    let suspend: { state: string; input: unknown; until: number } | undefined;
    const current: { run?: { abort(): void } } = {};
    let skipResumedEntry = resumedWait !== undefined;

    const onEvent = (event: RunEvent) => {
      if (suspend) return;
      if (event.type === 'StateEntered' && event.state) {
        entered.set(event.state.name, event.state.input);
        if (event.state.type === 'Map') batchItems(machine.states[event.state.name]!, event.state.input);
        if (skipResumedEntry) {
          skipResumedEntry = false;
          return;
        }
        this.transitions++;
      }
      if (event.type.startsWith('State') || event.type.startsWith('Execution'))
        exec.history.push({ type: event.type, state: event.state?.name, at: this.clock.now() });
    };

    const waitTimeOverrides = new Proxy({} as Record<string, number>, {
      get: (_, name) => {
        if (typeof name !== 'string') return undefined;
        if (name === resumedWait) {
          resumedWait = undefined;
          return 0;
        }
        const state = machine.states[name]!;
        const stateInput = entered.get(name);
        suspend = { state: name, input: stateInput, until: this.waitUntil(state, stateInput) };
        // (a bad wait time throws here, inside the Wait state, and fails the run like States.Runtime)
        queueMicrotask(() => current.run?.abort());
        return 2 ** 31 - 1; // never reached: the abort above ends the library's sleep
      },
    });

    // The library reads a state's override twice per retry decision; one decision, one attempt.
    const decided = new Map<string, number[]>();
    const retryIntervalOverrides = new Proxy({} as Record<string, number[]>, {
      get: (_, name) => {
        if (typeof name !== 'string') return undefined;
        if (decided.has(name)) return decided.get(name);
        const retriers = (machine.states[name]?.Retry ?? []) as { IntervalSeconds?: number; BackoffRate?: number; MaxDelaySeconds?: number }[];
        const attempt = retries.get(name) ?? 0;
        retries.set(name, attempt + 1);
        // While the clock is paused no virtual time passes, so a retry waits no real time either.
        const intervals = retriers.map((r) => {
          const seconds = Math.min((r.IntervalSeconds ?? 1) * (r.BackoffRate ?? 2) ** attempt, r.MaxDelaySeconds ?? Infinity);
          return this.clock.paused ? 0 : (seconds * 1000) / this.clock.speed;
        });
        decided.set(name, intervals);
        queueMicrotask(() => decided.delete(name));
        return intervals;
      },
    });

    const run = this.segment(machine, startAt).run(
      input as never,
      {
        overrides: { taskResourceLocalHandlers: machine.bindings as never, waitTimeOverrides, retryIntervalOverrides },
        noThrowOnAbort: true,
        context: { Execution: { Id: exec.arn, Name: exec.name }, StateMachine: { Id: machine.arn, Name: machine.name } },
        tendRun: { onEvent },
      } as never,
    );
    current.run = run;
    // One listener per segment, removed when the segment ends: a run that loops through a Wait
    // daily (a save watch) would otherwise pile them up.
    const abort = () => run.abort();
    exec.stop.signal.addEventListener('abort', abort, { once: true });
    void run.result.finally(() => exec.stop.signal.removeEventListener('abort', abort)).catch(() => {});

    run.result.then(
      (output) => {
        ended();
        if (exec.status !== 'RUNNING') return finish();
        if (suspend) {
          this.save(exec, suspend);
          this.sleepThenResume(machine, exec, suspend, finish);
          return;
        }
        Object.assign(exec, { status: 'SUCCEEDED', output: JSON.stringify(output), stopDate: this.clock.now() });
        this.save(exec);
        finish();
      },
      (err: Error & { cause?: unknown }) => {
        ended();
        if (exec.status === 'RUNNING') {
          const inner = (err.cause ?? err) as Error & { Error?: string; Cause?: string };
          Object.assign(exec, { status: 'FAILED', error: inner.Error ?? inner.name, cause: inner.Cause ?? inner.message, stopDate: this.clock.now() });
          this.save(exec);
        }
        finish();
      },
    );
  }

  /** Resolves once every run's checkpoint saved so far is on disk (checkpoints.ts). */
  async persisted(): Promise<void> {
    await this.store?.flush();
  }

  /** Resolves when every execution has ended (used by tests and the demo's end). */
  async settled(): Promise<void> {
    await Promise.all([...this.executions.values()].map((e) => e.done));
  }
}
