/**
 * Safety notifications, in proportion (docs/ux.md). Blocked content needs no answer (the daemon
 * refused it already) but the user should know: information naming agent, rules and field, once
 * per agent in 10 minutes (across window reloads too: what was told is kept in the workspace
 * state), the repeats to the log, with Show Safety. A breaker opening cuts an agent or tool off:
 * a warning with Show and Reset…, once per opening. A budget crossing 80 % is information, reaching
 * 100 % (calls refused) a warning, once per budget, level and period. Only pushes notify.
 */
import * as vscode from 'vscode';
import { clockTime } from '../../common/time-format';
import type { Breaker, Budget } from '../../protocol/types';
import { ToldWindow } from '../model/told-window';
import { notificationsOn } from '../settings';
import type { Incident } from './incidents';
import { budgetFraction, budgetLevel, describeBreaker, percent } from './safety-display';
import type { SafetyChange } from './safety-model';

/** Where the told occurrences are kept: a window reload starts a new extension host, and must not tell them again. */
const TOLD_KEY = 'switchboard.safetyTold';

export interface SafetyActions {
  /** Shows the Safety view with the row of this breaker, budget or incident. */
  show(target: { breaker?: string; budget?: string; incident?: string }): void;
  /** Asks (a modal) and resets the breaker. */
  resetBreaker(name: string): void;
}

export class SafetyNotifier {
  /** Per occurrence key (`blocked:<agent>`, `breaker:<name>@<openedAt>`, `budget:<scope>@<period>:<level>`): when it was told. */
  private readonly told: ToldWindow;

  constructor(
    private readonly log: vscode.LogOutputChannel,
    workspaceState: vscode.Memento,
    private readonly actions: SafetyActions,
    private readonly now: () => number = Date.now,
  ) {
    this.told = new ToldWindow({ memento: workspaceState, key: TOLD_KEY }, now);
  }

  onChange(change: SafetyChange): void {
    for (const incident of change.blocked) this.blocked(incident);
    for (const breaker of change.opened) this.opened(breaker);
    for (const budget of change.crossed) this.crossed(budget);
  }

  private blocked(incident: Incident): void {
    const agent = incident.agentId ?? '(no agent)';
    const rules = incident.ruleIds.join(', ') || 'a rule';
    const where = [incident.subject, incident.field].filter(Boolean).join(' ');
    this.log.warn(`safety: blocked ${where || 'content'} of ${agent} (${rules})`);
    if (!notificationsOn('safetyBlocked') || !this.told.firstTime(`blocked:${agent}`)) return;
    const message = `Switchboard: blocked content from ${agent}: ${rules}${where ? ` in ${where}` : ''}.`;
    void vscode.window.showInformationMessage(message, 'Show Safety').then((choice) => choice && this.actions.show({ incident: incident.key }));
  }

  private opened(breaker: Breaker): void {
    this.log.warn(`safety: breaker ${breaker.name} opened: ${describeBreaker(breaker)}`);
    if (!notificationsOn('breakers') || !this.told.firstTime(`breaker:${breaker.name}@${breaker.openedAt ?? this.now()}`)) return;
    const until = breaker.retryAt ? `until ${clockTime(breaker.retryAt)}, then trial calls` : 'for its cool-down';
    const message = `Switchboard: breaker ${breaker.name} opened after ${breaker.failures} failures: its calls are refused ${until}.`;
    // Show first (the toast's primary button): a reset is the user's call, after its modal.
    void vscode.window.showWarningMessage(message, 'Show', 'Reset…').then((choice) => {
      if (choice === 'Reset…') this.actions.resetBreaker(breaker.name);
      else if (choice === 'Show') this.actions.show({ breaker: breaker.name });
    });
  }

  private crossed(budget: Budget): void {
    const level = budgetLevel(budget);
    if (level === 'ok') return;
    const used = percent(budgetFraction(budget));
    this.log.warn(`safety: budget ${budget.scope} ${level === 'exceeded' ? 'exceeded' : 'past 80 %'}: ${used} used`);
    if (!notificationsOn('budgets') || !this.told.firstTime(`budget:${budget.scope}@${budget.periodStart}:${level}`)) return;
    const show = (choice: string | undefined) => choice && this.actions.show({ budget: budget.scope });
    if (level === 'exceeded') {
      void vscode.window.showWarningMessage(`Switchboard: budget ${budget.scope} exceeded (${used} used): its calls are refused (or need approval) until the period ends.`, 'Show').then(show);
    } else {
      void vscode.window.showInformationMessage(`Switchboard: budget ${budget.scope} is ${used} used (warning at 80 %).`, 'Show').then(show);
    }
  }
}
