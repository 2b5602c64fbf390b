import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../functions/core/config.ts';
import { scheduleKey } from '../../functions/core/plays/schedule.ts';
import { playTimeout } from '../../workflows/play.ts';
import userConfig from '../../tend.config.ts';
import { isObject, loadTemplate, logicalIdOf, parseDefinition, resourcesOfType, STACK, STACK_NAME, type Json, type JsonObject } from './assembly.ts';

const config = parseConfig(userConfig);

/** Keys that only exist in JSONata / variables-era ASL; the local runner (aws-local-stepfunctions) runs JSONPath only. */
const FORBIDDEN_KEYS = ['QueryLanguage', 'Assign', 'Output', 'Arguments'] as const;

/** Every occurrence of a forbidden key, at any depth, as `path.to.Key`. */
function forbiddenKeys(value: Json, path = '$'): string[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => forbiddenKeys(v, `${path}[${i}]`));
  if (!isObject(value)) return [];
  return Object.entries(value).flatMap(([key, v]) => [
    ...((FORBIDDEN_KEYS as readonly string[]).includes(key) ? [`${path}.${key}`] : []),
    ...forbiddenKeys(v, `${path}.${key}`),
  ]);
}

/** All states, including those nested in Parallel branches and Map iterators, by name. */
function allStates(definition: JsonObject): Map<string, JsonObject> {
  const out = new Map<string, JsonObject>();
  const visit = (machine: Json | undefined) => {
    if (!isObject(machine) || !isObject(machine['States'])) return;
    for (const [name, state] of Object.entries(machine['States'])) {
      if (!isObject(state)) continue;
      out.set(name, state);
      for (const branch of Array.isArray(state['Branches']) ? state['Branches'] : []) visit(branch);
      visit(state['Iterator']);
      visit(state['ItemProcessor']);
    }
  };
  visit(definition);
  return out;
}

describe('JSONPath-only guard', () => {
  it('finds forbidden keys at any depth (self-check of the guard)', () => {
    const sample: Json = {
      StartAt: 'A',
      States: {
        A: { Type: 'Pass', Parameters: { nested: [{ deep: { Assign: { x: 1 } } }] }, End: true },
        B: { Type: 'Task', Output: '{% $x %}', Arguments: {} },
      },
      QueryLanguage: 'JSONata',
    };
    expect(forbiddenKeys(sample).sort()).toEqual([
      '$.QueryLanguage',
      '$.States.A.Parameters.nested[0].deep.Assign',
      '$.States.B.Arguments',
      '$.States.B.Output',
    ]);
    expect(forbiddenKeys({ StartAt: 'A', States: { A: { Type: 'Pass', OutputPath: '$.x', ResultPath: '$.y', End: true } } })).toEqual([]);
  });

  it('the synthesized state machines use no QueryLanguage, Assign, Output or Arguments', () => {
    const machines = resourcesOfType(loadTemplate(STACK.app), 'AWS::StepFunctions::StateMachine');
    expect(machines.length).toBeGreaterThan(0);
    for (const [id, props] of machines) {
      expect('Definition' in props || 'DefinitionSubstitutions' in props, `${id} uses Definition/DefinitionSubstitutions`).toBe(false);
      expect(forbiddenKeys(parseDefinition(props['DefinitionString'])), id).toEqual([]);
    }
  });
});

const plays = Object.values(config.plays);

describe('play state machines', () => {
  it('one per configured play, named after the stack and the play', () => {
    const machines = resourcesOfType(loadTemplate(STACK.app), 'AWS::StepFunctions::StateMachine').filter(([, p]) =>
      String(p['StateMachineName'] ?? '').startsWith(`${STACK_NAME.app}-`),
    );
    expect(machines.map(([, p]) => p['StateMachineName']).sort()).toEqual(plays.map((p) => `${STACK_NAME.app}-${p.id}`).sort());
    expect(plays.length).toBe(7);
  });
});

describe.each(plays.map((p) => [p.id, p] as const))('the %s play state machine', (id, play) => {
  const props = (): JsonObject => {
    const logicalId = logicalIdOf(STACK.app, `/Tend/Plays/Play-${id}/StateMachine/Resource`);
    const resource = loadTemplate(STACK.app).Resources[logicalId];
    expect(resource?.Type).toBe('AWS::StepFunctions::StateMachine');
    return resource!.Properties!;
  };
  const definition = () => parseDefinition(props()['DefinitionString']);
  const states = () => allStates(definition());
  const ofType = (type: string) => [...states()].filter(([, s]) => s['Type'] === type);
  const state = (name: string): JsonObject => {
    const s = states().get(name);
    if (!s) throw new Error(`no state "${name}"; states: ${[...states().keys()].join(', ')}`);
    return s;
  };

  it("is a Standard machine named Tend-<stage>-<play>, with the play's timeout, JSONPath only", () => {
    expect(props()['StateMachineName']).toBe(`${STACK_NAME.app}-${id}`);
    expect(props()['StateMachineType']).toBe('STANDARD');
    expect('Definition' in props() || 'DefinitionSubstitutions' in props()).toBe(false);
    expect(forbiddenKeys(definition())).toEqual([]);
    expect(definition()['StartAt']).toBe('Correlated?');
    expect(definition()['TimeoutSeconds']).toBe(playTimeout(play).toSeconds());
  });

  it('has a "Wait for <step>" per step, until the planned $.run.at.<key>, then "Run <step>"', () => {
    for (const step of play.steps) {
      const wait = state(`Wait for ${step.id}`);
      expect(wait, step.id).toEqual({ Type: 'Wait', TimestampPath: `$.run.at.${scheduleKey(step.id)}`, Next: `Run ${step.id}` });
      expect(state(`Hold ${step.id}`), step.id).toEqual({ Type: 'Wait', TimestampPath: '$.step.until', Next: `Run ${step.id}` });
    }
    const waits = ofType('Wait');
    expect(waits).toHaveLength(2 * play.steps.length);
    for (const [name, wait] of waits)
      expect(
        Object.keys(wait).filter((k) => ['Seconds', 'SecondsPath', 'Timestamp'].includes(k)),
        name,
      ).toEqual([]);
  });

  it("runs the steps in the play's order, each routing to exit, hold or the next step", () => {
    expect(state('Started?')['Default']).toBe(`Wait for ${play.steps[0]!.id}`);
    play.steps.forEach((step, i) => {
      const run = state(`Run ${step.id}`);
      expect(run['Next']).toBe(`After ${step.id}`);
      expect(isObject(run['Parameters']) && run['Parameters']['Payload']).toEqual({
        play: id,
        'accountId.$': '$.accountId',
        'cycle.$': '$.cycle',
        'executionName.$': '$$.Execution.Name',
        'correlationId.$': '$.correlation.id',
        action: 'step',
        step: step.id,
      });
      const after = state(`After ${step.id}`);
      expect(after['Choices']).toEqual([
        { Variable: '$.step.route', StringEquals: 'exit', Next: 'Exited' },
        { Variable: '$.step.route', StringEquals: 'wait', Next: `Hold ${step.id}` },
      ]);
      expect(after['Default']).toBe(i + 1 < play.steps.length ? `Wait for ${play.steps[i + 1]!.id}` : 'Complete');
    });
    expect(
      ofType('Task')
        .map(([n]) => n)
        .sort(),
    ).toEqual(['Begin', 'Complete', 'Record failure', ...play.steps.map((s) => `Run ${s.id}`)].sort());
  });

  it('settles the correlation id before any task, from whichever source is present, and passes it to every task', () => {
    const stringAt = (path: string) => ({
      And: [
        { Variable: path, IsPresent: true },
        { Variable: path, IsString: true },
      ],
    });
    expect(state('Correlated?')).toEqual({
      Type: 'Choice',
      Choices: [
        { ...stringAt('$.correlationId'), Next: 'Carry correlation id' },
        { ...stringAt('$.trigger.detail.correlationId'), Next: "Carry trigger's correlation id" },
      ],
      Default: 'Correlate by execution name',
    });
    const sources = {
      'Carry correlation id': '$.correlationId',
      "Carry trigger's correlation id": '$.trigger.detail.correlationId',
      'Correlate by execution name': '$$.Execution.Name',
    };
    for (const [name, path] of Object.entries(sources))
      expect(state(name), name).toEqual({ Type: 'Pass', Parameters: { 'id.$': path }, ResultPath: '$.correlation', Next: 'Begin' });
    for (const [name, task] of ofType('Task'))
      expect(isObject(task['Parameters']) && (task['Parameters'] as JsonObject)['Payload'], name).toMatchObject({ 'correlationId.$': '$.correlation.id' });
  });

  it('catches every error of every Task into the failure path, and retries a failed step', () => {
    for (const [name, task] of ofType('Task')) {
      const catchers = Array.isArray(task['Catch']) ? task['Catch'].filter(isObject) : [];
      expect(catchers, `${name} Catch`).toHaveLength(1);
      expect(catchers[0]!['ErrorEquals'], name).toEqual(['States.ALL']);
      expect(catchers[0]!['Next'], name).toBe(name === 'Record failure' ? 'Play failed' : 'Record failure');
      expect(catchers[0]!['ResultPath'], name).toBe(name === 'Record failure' ? '$.recordFailureError' : '$.error');
      if (name.startsWith('Run ')) {
        const retries = (Array.isArray(task['Retry']) ? task['Retry'] : []).filter(isObject);
        expect(
          retries.filter((r) => Array.isArray(r['ErrorEquals']) && r['ErrorEquals'].includes('States.TaskFailed')),
          `${name} retries States.TaskFailed`,
        ).toHaveLength(1);
      }
    }
    expect(state('Record failure')['Next']).toBe('Play failed');
    expect(isObject(state('Record failure')['Parameters']) && (state('Record failure')['Parameters'] as JsonObject)['Payload']).toMatchObject({
      action: 'fail',
      'error.$': '$.error',
    });
    expect(state('Play failed')).toMatchObject({ Type: 'Fail', Error: 'PlayStepFailed' });
  });

  it('has no dangling transitions and ends in Succeed or Fail', () => {
    const all = states();
    expect(all.has(String(definition()['StartAt']))).toBe(true);
    for (const [name, s] of all) {
      const targets = [
        s['Next'],
        s['Default'],
        ...(Array.isArray(s['Choices']) ? s['Choices'].filter(isObject).map((c) => c['Next']) : []),
        ...(Array.isArray(s['Catch']) ? s['Catch'].filter(isObject).map((c) => c['Next']) : []),
      ].filter((t) => t !== undefined);
      for (const t of targets) expect(all.has(String(t)), `${name} -> ${String(t)}`).toBe(true);
    }
    expect(
      ofType('Succeed')
        .map(([n]) => n)
        .sort(),
    ).toEqual(['Done', 'Exited', 'Not started']);
    expect(ofType('Fail').map(([n]) => n)).toEqual(['Play failed']);
  });
});
