import Handlebars from 'handlebars';
import { ConfigError, formatPath, type TendConfig } from '../config.ts';
import { BLOCK_TEMPLATE_HELPERS, INLINE_TEMPLATE_HELPERS } from './helpers.ts';
import { OPTIONAL_GROUPS, TEMPLATE_FIELDS, TOP_LEVEL_FIELDS, type OptionalGroup } from './fields.ts';

type Node = hbs.AST.Node;
type Part = 'subject' | 'html' | 'text';
export interface TemplateIssue {
  part: Part;
  message: string;
}

const BLOCK_HELPERS = new Set<string>(['if', 'unless', 'each', 'with', ...BLOCK_TEMPLATE_HELPERS]);
const INLINE_HELPERS = new Set<string>(['lookup', 'log', ...INLINE_TEMPLATE_HELPERS]);
const groups = TEMPLATE_FIELDS as Record<string, Record<string, string>>;

/**
 * Reads a template's Handlebars AST and names every field it uses that the render context does
 * not have, and every helper or partial Tend does not provide. Strict rendering would catch a
 * missing field only on the branch a test happens to take; this catches it at synth, on every
 * branch. Also returns the optional context groups the template reads (a year of usage, renewal).
 */
export function checkTemplate(source: Record<Part, string>): { issues: TemplateIssue[]; needs: OptionalGroup[] } {
  const issues: TemplateIssue[] = [];
  const needs = new Set<OptionalGroup>();
  for (const part of ['subject', 'html', 'text'] as const) {
    let ast: hbs.AST.Program;
    try {
      ast = Handlebars.parse(source[part]);
    } catch (e) {
      issues.push({ part, message: `not a valid template: ${String((e as Error).message).split('\n')[0]}` });
      continue;
    }
    const report = (message: string): void => void issues.push({ part, message });
    const field = (node: Node, scoped: boolean, groupAllowed = false) => {
      if (node.type === 'SubExpression') return helperCall(node as hbs.AST.SubExpression, scoped);
      if (node.type !== 'PathExpression') return;
      const path = node as hbs.AST.PathExpression;
      // Inside #each/#with the context is an item, and @data or ../ paths are Handlebars' own.
      if (scoped || path.data || path.depth > 0 || path.parts.length === 0) return;
      const [group, key, ...rest] = path.parts as [string, string | undefined, ...string[]];
      // Own properties only: `{{constructor}}` or `{{usage.toString}}` are not fields.
      if (Object.hasOwn(TOP_LEVEL_FIELDS, group) && key === undefined) return;
      const fields = Object.hasOwn(groups, group) ? groups[group] : undefined;
      const optional = (OPTIONAL_GROUPS as readonly string[]).includes(group);
      if (fields && key === undefined && groupAllowed) {
        // `{{#with year}}` or `{{lookup year "userDays"}}` read the group too.
        if (optional) needs.add(group as OptionalGroup);
        return;
      }
      if (!fields)
        return report(
          `{{${path.original}}}: not a template field; the groups are ${Object.keys(groups).join(', ')}, plus unsubscribeUrl (docs/email.md lists every field)`,
        );
      if (key === undefined || rest.length > 0 || !Object.hasOwn(fields, key))
        return report(
          `{{${path.original}}}: not a template field; ${group} has ${Object.keys(fields)
            .map((k) => `${group}.${k}`)
            .join(', ')}`,
        );
      if (optional) needs.add(group as OptionalGroup);
    };
    const helperCall = (node: hbs.AST.MustacheStatement | hbs.AST.SubExpression, scoped: boolean) => {
      const name = (node.path as hbs.AST.PathExpression).original;
      if (!INLINE_HELPERS.has(name))
        return report(
          `{{${name} ...}}: unknown helper; templates can use ${[...BLOCK_HELPERS].map((h) => `#${h}`).join(', ')}, ${[...INLINE_HELPERS].join(', ')}`,
        );
      // `lookup usage "seats"` and the like take a whole group.
      node.params.forEach((p) => field(p, scoped, true));
    };
    const walk = (node: Node, scoped: boolean): void => {
      switch (node.type) {
        case 'Program':
          return (node as hbs.AST.Program).body.forEach((n) => walk(n, scoped));
        case 'MustacheStatement': {
          const m = node as hbs.AST.MustacheStatement;
          if (m.params.length > 0 || m.hash?.pairs.length) return helperCall(m, scoped);
          return field(m.path, scoped);
        }
        case 'BlockStatement': {
          const b = node as hbs.AST.BlockStatement;
          if (!BLOCK_HELPERS.has(b.path.original))
            return void report(`{{#${b.path.original}}}: unknown block helper; templates can use ${[...BLOCK_HELPERS].map((h) => `#${h}`).join(', ')}`);
          b.params.forEach((p) => field(p, scoped, true));
          if (b.program) walk(b.program, scoped || b.path.original === 'each' || b.path.original === 'with');
          if (b.inverse) walk(b.inverse, scoped);
          return;
        }
        case 'PartialStatement':
        case 'PartialBlockStatement':
          return void report('partials are not available in templates: write the HTML in the template (the layout already wraps it)');
        default:
          return;
      }
    };
    walk(ast, false);
  }
  return { issues, needs: [...needs] };
}

/**
 * Checks every template of a config: the fields each uses, and that it declares the optional
 * groups it reads (`needs`), since the sender loads a year of usage only for those. Run at synth
 * and by the CLI; kept out of parseConfig so the functions' cold start never parses a template.
 */
export function checkConfigTemplates(
  templates: Record<string, Record<Part, string> & { needs?: readonly string[] }>,
): { path: PropertyKey[]; message: string }[] {
  return Object.entries(templates).flatMap(([id, source]) => {
    const { issues, needs } = checkTemplate(source);
    const missing = needs.filter((g) => !source.needs?.includes(g));
    return [
      ...issues.map((i) => ({ path: ['templates', id, i.part], message: i.message })),
      ...(missing.length
        ? [
            {
              path: ['templates', id, 'needs'],
              message: `it reads ${missing.map((g) => `${g}.*`).join(' and ')}: add needs: [${[...new Set([...(source.needs ?? []), ...missing])].map((g) => `'${g}'`).join(', ')}]`,
            },
          ]
        : []),
    ];
  });
}

/** Throws a ConfigError naming every template problem of a parsed config, as parseConfig names the rest. */
export function assertTemplates(config: Pick<TendConfig, 'templates'>, source = 'tend.config.ts'): void {
  const problems = checkConfigTemplates(config.templates);
  if (problems.length) throw new ConfigError(`${source} is not valid:\n${problems.map((p) => `  ${formatPath(p.path)}: ${p.message}`).join('\n')}`);
}
