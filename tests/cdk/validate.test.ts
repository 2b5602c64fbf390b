import { RegoEngine, TemplateFile, type Engine, type StandardDiagnostic } from '@aws/cloudformation-validate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STACK, templatePath } from './assembly.ts';

const format = (d: StandardDiagnostic) =>
  `[${d.severity}] ${d.ruleId} ${d.entity?.logicalId ?? '(template)'}${d.propertyPath ? ` ${d.propertyPath}` : ''}: ${d.message}`;

/** The synthesized templates against CloudFormation's resource schemas and cfn-lint's rules, offline. */
describe('@aws/cloudformation-validate', () => {
  let engine: Engine;
  beforeAll(() => {
    engine = new RegoEngine();
  });
  afterAll(() => engine?.free());

  for (const stack of [STACK.data, STACK.app]) {
    it(`${stack}.template.json has no error diagnostics`, () => {
      const report = engine.validateStandard(new TemplateFile(templatePath(stack)));
      expect(report.metadata.resourcesScanned, 'the validator read the resources').toBeGreaterThan(0);
      const errors = report.diagnostics.filter((d) => d.severity === 'ERROR' || d.severity === 'FATAL').map(format);
      expect(errors, `error diagnostics for ${stack}:\n${errors.join('\n')}`).toEqual([]);
      expect(report.status, `report status for ${stack}`).toBe('OK');
    });
  }
});
