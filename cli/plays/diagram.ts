import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseConfig } from '../../functions/core/config.ts';
import { playDiagram } from '../../functions/core/plays/diagram.ts';
import userConfig from '../../tend.config.ts';
import { playById } from '../../functions/core/plays/play-by-id.ts';

/** `tend plays diagram`: a Mermaid flowchart of each configured play, to stdout or as .mmd files. */
export function diagramCommand(options: { play?: string; out?: string; json?: boolean }) {
  const plays = parseConfig(userConfig).plays;
  const chosen = options.play ? [playById(plays, options.play)] : Object.values(plays);
  if (chosen.some((p) => !p)) throw new Error(`no play "${options.play}"; plays: ${Object.keys(plays).join(', ')}`);
  const diagrams = Object.fromEntries(chosen.map((p) => [p!.id, playDiagram(p!)]));
  if (options.out) {
    mkdirSync(options.out, { recursive: true });
    for (const [id, d] of Object.entries(diagrams)) writeFileSync(join(options.out, `${id}.mmd`), `${d}\n`);
    console.error(`wrote ${Object.keys(diagrams).length} diagrams to ${options.out}`);
  }
  if (options.json) console.log(JSON.stringify(diagrams));
  else if (!options.out) for (const [id, d] of Object.entries(diagrams)) console.log(`## ${id}\n\n\`\`\`mermaid\n${d}\n\`\`\`\n`);
}

/** `tend plays list`: the configured plays, their triggers and steps. */
export function listCommand(options: { json?: boolean }) {
  const plays = Object.values(parseConfig(userConfig).plays);
  if (options.json) return console.log(JSON.stringify(plays));
  for (const p of plays) {
    const t = p.trigger;
    const trigger =
      t.on === 'date'
        ? `${t.daysBefore} days before ${t.field}`
        : t.on === 'tier.changed'
          ? `tier.changed to ${t.to.join('/')}`
          : t.on === 'flag.started'
            ? `flag.started ${t.flags.join('/')}`
            : t.on;
    console.log(`${p.id.padEnd(14)} ${trigger.padEnd(48)} ${p.steps.map((s) => `${s.id}@${s.day}`).join(' ')}`);
  }
}
