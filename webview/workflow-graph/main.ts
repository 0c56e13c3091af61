/**
 * The workflow graph: the run's DAG laid out by dagre (layout.ts) as SVG, each step coloured by its
 * state (the theme colours of common/workflow-look.ts, with a legend), an edge per dependency; a
 * click (or Enter) on a step opens its details beside the graph (details.ts). Redrawn on each push
 * the host passes on; laid out again only when the steps themselves change. Keeps the run's id and
 * the step picked in its webview state (the host restores the panel from it after a reload).
 */
import './graph.css';
import '@vscode-elements/elements/dist/vscode-button/index.js';
import { RUN_LOOK, STEP_LOOK, themeColorVar } from '../../common/workflow-look';
import type { OutcomeEvent, Workflow, WorkflowStep, WorkflowStepState } from '../../protocol/types';
import { h } from '../shared/dom';
import { HostChannel } from '../shared/host-channel';
import { stepDetails } from './details';
import { layoutKey, NODE_HEIGHT, NODE_WIDTH, place, type Placed } from './layout';
import type { GraphAction, WorkflowGraphProtocol } from './protocol';

interface SavedState {
  workflowId: string;
  /** The step whose details are open; '' for none. */
  selected: string;
}

const SVG = 'http://www.w3.org/2000/svg';
/** A name longer than this is cut in its box (the details show it whole). */
const NAME_CHARS = 22;
const MIN_SCALE = 0.6;

const host = new HostChannel<WorkflowGraphProtocol, SavedState>();
const saved = host.savedState();
let workflowId = saved.workflowId ?? '';
let selected = saved.selected ?? '';
let workflow: Workflow | null = null;
let placed: { key: string; layout: Placed } | undefined;
/** The outcomes of the selected step, read when it was picked and again when it ends. */
let outcomes: { step: string; ended: boolean; value: OutcomeEvent[] | 'loading' | Error } | undefined;

const app = document.getElementById('app')!;
const title = h('h1', {}, 'Workflow');
const status = h('p', { id: 'status', class: 'meta', role: 'status' });
const actions = h('div', { class: 'actions', id: 'actions' });
const canvas = h('div', { class: 'canvas', id: 'graph' });
const side = h('div', { id: 'side' });
app.replaceChildren(
  h('header', {}, title, status, actions),
  h('ul', { class: 'legend', id: 'legend', 'aria-label': 'Step states' },
    ...(Object.keys(STEP_LOOK) as WorkflowStepState[]).map((state) => {
      const swatch = h('span', { class: 'swatch' });
      swatch.style.setProperty('--c', themeColorVar(STEP_LOOK[state].color));
      return h('li', { title: STEP_LOOK[state].meaning }, swatch, state);
    }),
  ),
  h('div', { class: 'layout' }, canvas, side),
);

host.on('workflow', (params) => {
  workflowId = params.workflowId;
  workflow = params.workflow;
  save();
  render();
});
host.notify('ready', {});
// The fit to the canvas follows the panel's width.
window.addEventListener('resize', () => workflow && render());

function render(): void {
  if (!workflow) {
    title.textContent = 'Workflow';
    status.textContent = `${workflowId}: not loaded (offline, or no longer there).`;
    canvas.replaceChildren();
    side.replaceChildren();
    actions.replaceChildren();
    return;
  }
  title.textContent = workflow.name;
  const ended = workflow.stepCount - workflow.openSteps;
  status.textContent = `${workflow.status}: ${RUN_LOOK[workflow.status].meaning} · ${ended}/${workflow.stepCount} steps ended · ${workflow.workflowId}`;
  const shapes = workflow.steps.map((step) => ({ name: step.name, dependsOn: step.dependsOn ?? [] }));
  const key = layoutKey(shapes);
  if (placed?.key !== key) placed = { key, layout: place(shapes) };
  actions.replaceChildren(...runActions(workflow));
  // The details first: the graph fits into the room they leave.
  renderDetails();
  canvas.replaceChildren(drawGraph(workflow, placed.layout));
}

function drawGraph(run: Workflow, layout: Placed): SVGSVGElement {
  const scale = fitScale(layout);
  const size = { width: String(Math.ceil(layout.width * scale)), height: String(Math.ceil(layout.height * scale)) };
  const svg = s('svg', { ...size, viewBox: `0 0 ${layout.width} ${layout.height}`, role: 'group', 'aria-label': `steps of ${run.name}` }) as SVGSVGElement;
  svg.append(s('defs', {}, s('marker', { id: 'arrow', viewBox: '0 0 10 10', refX: '10', refY: '5', markerWidth: '7', markerHeight: '7', orient: 'auto-start-reverse' }, s('path', { d: 'M0,0 L10,5 L0,10 z', class: 'arrow' }))));
  for (const edge of layout.edges) {
    const d = edge.points.map((p, i) => `${i === 0 ? 'M' : 'L'}${p.x},${p.y}`).join(' ');
    svg.append(s('path', { d, class: 'edge', 'marker-end': 'url(#arrow)', 'data-from': edge.from, 'data-to': edge.to }));
  }
  for (const step of run.steps) {
    const at = layout.nodes.get(step.name)!;
    svg.append(drawStep(step, at.x - NODE_WIDTH / 2, at.y - NODE_HEIGHT / 2));
  }
  return svg;
}

/** Shrinks a graph wider than the canvas to fit it, down to MIN_SCALE (past that, text would be unreadable: the canvas scrolls). */
function fitScale(layout: Placed): number {
  const room = canvas.clientWidth - 2;
  return room > 0 && layout.width > room ? Math.max(MIN_SCALE, room / layout.width) : 1;
}

function drawStep(step: WorkflowStep, x: number, y: number): SVGElement {
  const look = STEP_LOOK[step.state];
  const name = step.name.length > NAME_CHARS ? `${step.name.slice(0, NAME_CHARS - 1)}…` : step.name;
  const attempts = step.attempts > 0 ? ` · attempt ${step.attempts}${step.maxAttempts ? `/${step.maxAttempts}` : ''}` : '';
  const g = s('g', {
    class: `step state-${step.state}${step.name === selected ? ' selected' : ''}`,
    'data-step': step.name,
    'data-state': step.state,
    transform: `translate(${x},${y})`,
    role: 'button',
    tabindex: '0',
    'aria-label': `step ${step.name}, ${step.state}${attempts}`,
    'aria-pressed': String(step.name === selected),
  },
    s('title', {}, `${step.name}: ${step.state} (${look.meaning})`),
    s('rect', { width: String(NODE_WIDTH), height: String(NODE_HEIGHT), rx: '6' }),
    s('text', { class: 'name', x: '10', y: '20' }, name),
    s('text', { class: 'state', x: '10', y: '38' }, `${step.state}${attempts}`),
  );
  g.style.setProperty('--c', themeColorVar(look.color));
  const pick = () => select(step.name === selected ? '' : step.name);
  g.addEventListener('click', pick);
  g.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      pick();
    }
  });
  return g;
}

/** The buttons of what the run's status allows, as the view's row menu offers them. */
function runActions(run: Workflow): HTMLElement[] {
  const offered: [GraphAction, string][] = [];
  if (run.status === 'running') offered.push(['pause', 'Pause']);
  if (run.status === 'paused') offered.push(['resume', 'Resume']);
  if (run.status === 'running' || run.status === 'paused') offered.push(['cancel', 'Cancel…']);
  return offered.map(([action, label]) => h('vscode-button', { secondary: action === 'cancel', 'data-action': action }, label));
}

// One listener for every button, those of the details too (they are rebuilt on each push).
app.addEventListener('click', (event) => {
  const button = (event.target as HTMLElement).closest('vscode-button[data-action]');
  if (!button || button.hasAttribute('disabled')) return;
  button.setAttribute('disabled', '');
  const action = button.getAttribute('data-action') as GraphAction;
  const step = button.getAttribute('data-step');
  void host.request('act', step === null ? { action } : { action, step }).finally(() => button.removeAttribute('disabled'));
});

function select(step: string): void {
  selected = step;
  outcomes = undefined;
  save();
  render();
  (canvas.querySelector(`[data-step="${CSS.escape(step)}"]`) as SVGElement | null)?.focus();
}

function renderDetails(): void {
  const step = workflow?.steps.find((s) => s.name === selected);
  if (!workflow || !step) return side.replaceChildren();
  const ended = step.endedAt !== undefined;
  // Outcomes are read when the step is picked, and once more when it ends (its dispatches are recorded by then).
  if (outcomes?.step !== step.name || (ended && !outcomes.ended)) loadOutcomes(step.name, ended);
  side.replaceChildren(stepDetails(workflow, step, outcomes!.value));
}

function loadOutcomes(step: string, ended: boolean): void {
  const mine = { step, ended, value: 'loading' as OutcomeEvent[] | 'loading' | Error };
  outcomes = mine;
  host.request('stepOutcomes', { step }).then(
    (value) => (mine.value = value),
    (error: Error) => (mine.value = error),
  ).finally(() => outcomes === mine && renderDetails());
}

function save(): void {
  host.saveState({ workflowId, selected });
}

function s(tag: string, attrs: Record<string, string>, ...children: (Node | string)[]): SVGElement {
  const element = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attrs)) element.setAttribute(name, value);
  element.append(...children);
  return element;
}
