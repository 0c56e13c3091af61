/**
 * How a workflow's and a step's states look, the same in the Workflows view and the graph webview:
 * a codicon and a theme colour id (the view takes it as a ThemeColor, the webview as its CSS
 * variable), so a state has one colour wherever it is drawn. Ended-without-running states are
 * greyed; what needs a look (failed) is the error colour.
 */
import type { WorkflowStatus, WorkflowStepState } from '../protocol/types';

export interface StateLook {
  icon: string;
  /** A theme colour id ("charts.green"). */
  color: string;
  /** What the state means, for the legend and the tooltips. */
  meaning: string;
}

export const STEP_LOOK: Record<WorkflowStepState, StateLook> = {
  pending: { icon: 'circle-large-outline', color: 'disabledForeground', meaning: 'waits for its dependencies' },
  ready: { icon: 'debug-pause', color: 'charts.yellow', meaning: 'could run; the workflow is paused' },
  queued: { icon: 'clock', color: 'charts.purple', meaning: 'its job waits in its queue' },
  running: { icon: 'sync', color: 'charts.blue', meaning: 'a worker has its job' },
  completed: { icon: 'pass', color: 'charts.green', meaning: 'done, with its result' },
  failed: { icon: 'error', color: 'charts.red', meaning: 'its last attempt failed' },
  skipped: { icon: 'debug-step-over', color: 'charts.orange', meaning: 'a required dependency failed' },
  cancelled: { icon: 'circle-slash', color: 'disabledForeground', meaning: 'never ran: the workflow ended first' },
};

export const RUN_LOOK: Record<WorkflowStatus, StateLook> = {
  running: { icon: 'sync', color: 'charts.blue', meaning: 'steps are advancing' },
  paused: { icon: 'debug-pause', color: 'charts.yellow', meaning: 'no further step is enqueued until resumed' },
  completed: { icon: 'pass', color: 'charts.green', meaning: 'every required step completed' },
  failed: { icon: 'error', color: 'charts.red', meaning: 'a required step failed' },
  cancelled: { icon: 'circle-slash', color: 'disabledForeground', meaning: 'cancelled' },
};

/** The CSS variable of a theme colour id, for a webview: "charts.green" → "var(--vscode-charts-green)". */
export function themeColorVar(color: string): string {
  return `var(--vscode-${color.replaceAll('.', '-')})`;
}
