/**
 * The graph's layout: dagre places the steps left to right in dependency order (ranks), each edge
 * a polyline from a dependency to its dependent. A layout depends only on the steps' names and
 * dependencies, so it is computed again only when those change, not on every state push.
 */
import { graphlib, layout } from '@dagrejs/dagre';

export const NODE_WIDTH = 180;
export const NODE_HEIGHT = 48;

export interface StepShape {
  name: string;
  dependsOn: string[];
}

export interface Placed {
  width: number;
  height: number;
  /** Each step's centre. */
  nodes: Map<string, { x: number; y: number }>;
  edges: { from: string; to: string; points: { x: number; y: number }[] }[];
}

export function layoutKey(steps: StepShape[]): string {
  return JSON.stringify(steps.map((step) => [step.name, step.dependsOn]));
}

export function place(steps: StepShape[]): Placed {
  const g = new graphlib.Graph();
  g.setGraph({ rankdir: 'LR', nodesep: 16, ranksep: 56, marginx: 16, marginy: 16 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const step of steps) g.setNode(step.name, { width: NODE_WIDTH, height: NODE_HEIGHT });
  for (const step of steps) for (const dep of step.dependsOn) g.setEdge(dep, step.name);
  layout(g);
  const nodes = new Map(steps.map((step) => {
    const { x, y } = g.node(step.name);
    return [step.name, { x, y }];
  }));
  const edges = g.edges().map((e) => ({ from: e.v, to: e.w, points: g.edge(e).points ?? [] }));
  const { width = 0, height = 0 } = g.graph();
  return { width, height, nodes, edges };
}
