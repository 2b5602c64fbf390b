import { useMemo } from 'react';
import { Background, Controls, Handle, Position, ReactFlow, type Edge, type Node, type NodeProps } from '@xyflow/react';
import { Graph, layout } from '@dagrejs/dagre';
import type { PlayDef } from '../types.ts';

export interface StepFigures {
  /** Runs waiting on this step now. */
  at: number;
  done: number;
  skipped: number;
}
type StepNodeData = { title: string; lines: string[]; onPick?: () => void; picked: boolean };

const WIDTH = 190;
const HEIGHT = 86;

function StepNode({ data }: NodeProps<Node<StepNodeData>>) {
  return (
    <div className="node-step" style={data.picked ? { borderColor: '#0b57d0', borderWidth: 2 } : undefined}>
      <Handle type="target" position={Position.Left} />
      {data.onPick ? (
        <button type="button" className="secondary" style={{ padding: 0, border: 0, textAlign: 'left' }} onClick={data.onPick}>
          <strong>{data.title}</strong>
        </button>
      ) : (
        <strong>{data.title}</strong>
      )}
      {data.lines.map((l) => (
        <div key={l}>{l}</div>
      ))}
      <Handle type="source" position={Position.Right} />
    </div>
  );
}
const nodeTypes = { step: StepNode };

/**
 * A play drawn from its definition (GET /v1/plays): the trigger, each step in order with the runs at
 * it now and what was done or skipped there, and how runs end (completed, or exits by reason).
 * Laid out left to right by dagre; React Flow draws it (pan, zoom, keyboard-focusable nodes).
 */
export function PlayDiagram({
  play,
  figures,
  ends,
  picked,
  onPick,
}: {
  play: PlayDef;
  figures: Record<string, StepFigures>;
  ends: Record<string, number>;
  picked?: string;
  onPick: (step: string) => void;
}) {
  const { nodes, edges } = useMemo(() => {
    const g = new Graph();
    g.setGraph({ rankdir: 'LR', nodesep: 24, ranksep: 36 });
    g.setDefaultEdgeLabel(() => ({}));
    const trigger = Object.entries(play.trigger)
      .map(([k, v]) => (k === 'on' ? String(v) : `${k}: ${Array.isArray(v) ? v.join(', ') : String(v)}`))
      .join(' · ');
    const raw: { id: string; data: StepNodeData }[] = [{ id: '__trigger', data: { title: 'Trigger', lines: [trigger], picked: false } }];
    for (const s of play.steps) {
      const f = figures[s.id] ?? { at: 0, done: 0, skipped: 0 };
      raw.push({
        id: s.id,
        data: {
          title: `${s.id} (day ${s.day})`,
          lines: [`${f.at} here now`, `${f.done} done · ${f.skipped} skipped`],
          onPick: () => onPick(s.id),
          picked: picked === s.id,
        },
      });
    }
    const endIds = Object.keys(ends).length ? Object.keys(ends) : ['completed'];
    for (const e of endIds) raw.push({ id: `__end_${e}`, data: { title: e, lines: [`${ends[e] ?? 0} runs`], picked: false } });
    for (const n of raw) g.setNode(n.id, { width: WIDTH, height: HEIGHT });
    const chain = ['__trigger', ...play.steps.map((s) => s.id)];
    const links: [string, string][] = chain.slice(1).map((id, i) => [chain[i]!, id]);
    for (const e of endIds) links.push([chain[chain.length - 1]!, `__end_${e}`]);
    for (const [a, b] of links) g.setEdge(a, b);
    layout(g);
    const nodes: Node<StepNodeData>[] = raw.map((n) => {
      const p = g.node(n.id);
      return { id: n.id, type: 'step', data: n.data, position: { x: p.x - WIDTH / 2, y: p.y - HEIGHT / 2 }, draggable: false };
    });
    const edges: Edge[] = links.map(([a, b]) => ({ id: `${a}->${b}`, source: a, target: b }));
    return { nodes, edges };
  }, [play, figures, ends, picked, onPick]);
  return (
    <div className="diagram" role="figure" aria-label={`Diagram of the ${play.id} play`}>
      <ReactFlow nodes={nodes} edges={edges} nodeTypes={nodeTypes} fitView nodesConnectable={false} proOptions={{ hideAttribution: true }}>
        <Background />
        <Controls showInteractive={false} />
      </ReactFlow>
    </div>
  );
}
