import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../functions/core/config.ts';
import { playDiagram } from '../../functions/core/plays/diagram.ts';
import userConfig from '../../tend.config.ts';

const plays = parseConfig(userConfig).plays;

describe('play diagrams', () => {
  it.each(Object.keys(plays))('%s: docs/plays.md shows the diagram of the play as configured (regenerate with tend plays diagram)', (id) => {
    expect(readFileSync('docs/plays.md', 'utf8')).toContain(`\`\`\`mermaid\n${playDiagram(plays[id]!)}\n\`\`\``);
  });

  it.each(Object.keys(plays))('%s: every step appears, every edge joins declared nodes', (id) => {
    const d = playDiagram(plays[id]!);
    for (const step of plays[id]!.steps) expect(d).toContain(step.id);
    const declared = new Set([...d.matchAll(/^\s+(\w+)[[({>]/gm)].map((m) => m[1]));
    const used = [...d.matchAll(/^\s+(\w+) -[-.]+>?(?:\|[^|]*\|)? (\w+)$/gm)].flatMap((m) => [m[1], m[2]]);
    expect(used.length).toBeGreaterThan(0);
    for (const node of used) expect(declared, `${node} is used in an edge but never declared`).toContain(node);
  });

  it('draws the save watch as a loop with its escalation and its graceful end', () => {
    const d = playDiagram(plays.save!);
    expect(d).toContain('s3 -->|not yet| s3');
    expect(d).toContain('s2_wait -->|not yet, checked every 6 h| s2_wait');
    expect(d).toContain('after 14 days, once: urgent task: Not recovered after 14 days: executive escalation');
    expect(d).toContain('ends early before any step when: account churned; recovered: not red for 7 days');
  });

  it('draws a choice with one labelled edge per option', () => {
    const d = playDiagram(plays.renewal!);
    expect(d).toContain('|health green| s1_0');
    expect(d).toContain('|health yellow| s1_1');
    expect(d).toContain('|always| s1_2');
  });
});
