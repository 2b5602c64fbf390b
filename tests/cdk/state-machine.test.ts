import { beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../functions/core/config.ts';
import { scheduleKey } from '../../functions/core/journey/onboarding.ts';
import userConfig from '../../tend.config.ts';
import { isObject, loadTemplate, logicalIdOf, parseDefinition, resourcesOfType, STACK, type Json, type JsonObject } from './assembly.ts';

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
      States: { A: { Type: 'Pass', Parameters: { nested: [{ deep: { Assign: { x: 1 } } }] }, End: true }, B: { Type: 'Task', Output: '{% $x %}', Arguments: {} } },
      QueryLanguage: 'JSONata',
    };
    expect(forbiddenKeys(sample).sort()).toEqual(['$.QueryLanguage', '$.States.A.Parameters.nested[0].deep.Assign', '$.States.B.Arguments', '$.States.B.Output']);
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

describe('onboarding state machine definition', () => {
  let states: Map<string, JsonObject>;
  let definition: JsonObject;

  beforeAll(() => {
    const id = logicalIdOf(STACK.app, '/Tend/Onboarding/StateMachine/Resource');
    const resource = loadTemplate(STACK.app).Resources[id];
    expect(resource?.Type).toBe('AWS::StepFunctions::StateMachine');
    definition = parseDefinition(resource?.Properties?.['DefinitionString']);
    states = allStates(definition);
  });

  const ofType = (type: string) => [...states].filter(([, s]) => s['Type'] === type);

  it('waits until an absolute, planned timestamp for each configured step, and never for a duration', () => {
    const steps = config.journeys.onboarding.steps;
    expect(steps.length).toBeGreaterThan(0);
    const waits = ofType('Wait');
    for (const step of steps) {
      const path = `$.plan.schedule.${scheduleKey(step.id)}`;
      expect(
        waits.filter(([, s]) => s['TimestampPath'] === path).map(([name]) => name),
        `Wait with TimestampPath ${path} for step ${step.id}`,
      ).toHaveLength(1);
    }
    // The other waits are the send-window deferrals, which wait for the time delivery returned.
    expect(waits.filter(([, s]) => String(s['TimestampPath']).startsWith('$.plan.schedule.'))).toHaveLength(steps.length);
    expect(waits.filter(([, s]) => !String(s['TimestampPath']).startsWith('$.plan.schedule.')).map(([, s]) => s['TimestampPath'])).toEqual(expect.arrayContaining(['$.sent.result.until']));
    for (const [name, wait] of waits) {
      expect(Object.keys(wait).filter((k) => ['Seconds', 'SecondsPath', 'Timestamp'].includes(k)), name).toEqual([]);
    }
  });

  it('sends each configured step with its configured templates', () => {
    const sends = ofType('Task')
      .map(([, s]) => (isObject(s['Parameters']) ? s['Parameters']['Payload'] : undefined))
      .filter((p): p is JsonObject => isObject(p) && p['action'] === 'send')
      .map((p) => `${String(p['step'])}:${String(p['template'])}`);
    const expected = config.journeys.onboarding.steps.flatMap((s) => [...new Set([s.templates.active, s.templates.inactive])].map((t) => `${s.id}:${t}`));
    expect(sends.sort()).toEqual(expected.sort());
  });

  it('gives every Task a Catch for all errors that leads to a real state', () => {
    const tasks = ofType('Task');
    expect(tasks.length).toBeGreaterThan(0);
    const missing = tasks.filter(([, t]) => !Array.isArray(t['Catch']) || t['Catch'].length === 0).map(([name]) => name);
    expect(missing, 'Tasks without a Catch').toEqual([]);
    for (const [name, task] of tasks) {
      const catchers = (task['Catch'] as Json[]).filter(isObject);
      expect(
        catchers.some((c) => Array.isArray(c['ErrorEquals']) && c['ErrorEquals'].includes('States.ALL')),
        `${name} catches States.ALL`,
      ).toBe(true);
      for (const c of catchers) expect(states.has(String(c['Next'])), `${name} Catch -> ${String(c['Next'])}`).toBe(true);
    }
  });

  it('has no dangling transitions and ends in Succeed or Fail', () => {
    expect(states.has(String(definition['StartAt']))).toBe(true);
    for (const [name, state] of states) {
      const targets = [
        state['Next'],
        state['Default'],
        ...(Array.isArray(state['Choices']) ? state['Choices'].filter(isObject).map((c) => c['Next']) : []),
      ].filter((t) => t !== undefined);
      for (const t of targets) expect(states.has(String(t)), `${name} -> ${String(t)}`).toBe(true);
    }
    expect(ofType('Succeed').length).toBeGreaterThan(0);
    expect(ofType('Fail').length).toBeGreaterThan(0);
  });
});
