/**
 * The signal composer and inspector: pick a live agent (or everyone), a type (common or your own),
 * write a JSON payload (checked as you type), a ttl, send; below, the chosen agent's pending signals.
 */
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-form-helper/index.js';
import '@vscode-elements/elements/dist/vscode-label/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-textarea/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import type { VscodeButton } from '@vscode-elements/elements/dist/vscode-button/vscode-button.js';
import type { VscodeSingleSelect } from '@vscode-elements/elements/dist/vscode-single-select/vscode-single-select.js';
import type { VscodeTextarea } from '@vscode-elements/elements/dist/vscode-textarea/vscode-textarea.js';
import type { VscodeTextfield } from '@vscode-elements/elements/dist/vscode-textfield/vscode-textfield.js';
import type { Signal } from '../../protocol/types';
import { duration, h } from '../shared/dom';
import { HostChannel } from '../shared/host-channel';
import type { ComposerAgent, SignalComposerProtocol } from './protocol';

const ID = /^[A-Za-z0-9._:@/-]{1,128}$/;

/** What the user is editing, kept across the tab being hidden and a window reload. */
interface SavedState {
  target: string;
  type: string;
  payload: string;
  ttl: string;
}

const host = new HostChannel<SignalComposerProtocol, SavedState>();
const saved = host.savedState();
const app = document.getElementById('app')!;

const target = h('vscode-single-select', { id: 'target', combobox: true, 'aria-label': 'Target agent' }) as VscodeSingleSelect;
const type = h('vscode-single-select', { id: 'type', combobox: true, creatable: true, 'aria-label': 'Signal type' }) as VscodeSingleSelect;
const payload = h('vscode-textarea', { id: 'payload', rows: '6', monospace: true, placeholder: '{"reason": "…"}  (empty: no payload)', 'aria-label': 'Payload' }) as VscodeTextarea;
const payloadError = h('vscode-form-helper', { id: 'payload-error', role: 'alert' });
const ttl = h('vscode-textfield', { id: 'ttl', type: 'number', value: saved.ttl ?? '60', min: '1', max: '86400', 'aria-label': 'Time to live in seconds' }) as VscodeTextfield;
const send = h('vscode-button', { id: 'send', icon: 'send' }, 'Send') as VscodeButton;
const status = h('p', { id: 'status', role: 'status' });
const inspectorTitle = h('h2', { id: 'inspector-title' }, 'Pending signals');
const pendingList = h('div', { id: 'pending' });
payload.value = saved.payload ?? '';

/**
 * The recipient and type the user chose. The selects are rebuilt when the agent list changes and
 * take new options only on their next render, so the choice lives here, not in `select.value`.
 */
let chosenTarget = saved.target ?? '';
let chosenType = saved.type ?? '';
let agentsShown = '';
let typesShown = '';
let pending: Signal[] = [];

app.replaceChildren(
  h('h1', {}, 'Send a signal'),
  h('div', { class: 'field' }, h('vscode-label', { for: 'target' }, 'To'), target),
  h('div', { class: 'field' }, h('vscode-label', { for: 'type' }, 'Type'), type),
  h('div', { class: 'field' }, h('vscode-label', { for: 'payload' }, 'Payload (JSON)'), payload, payloadError),
  h('div', { class: 'field narrow' }, h('vscode-label', { for: 'ttl' }, 'Expires after (seconds)'), ttl),
  h('div', { class: 'actions' }, send),
  status,
  inspectorTitle,
  pendingList,
);

host.on('init', ({ agents, types, target: asked }) => {
  setTypes(types);
  const before = chosenTarget;
  if (asked) chosenTarget = asked;
  setAgents(agents);
  validate();
  if (chosenTarget !== before || pending.length === 0) void showPending();
});
host.on('agents', ({ agents }) => setAgents(agents));

type.addEventListener('vsc-single-select-create-option', (event) => {
  chosenType = (event as CustomEvent<{ value: string }>).detail.value;
  typesShown = '';
  setTypes([...type.querySelectorAll('vscode-option')].map((o) => o.getAttribute('value') ?? ''));
  validate();
});
for (const field of [payload, type, ttl]) field.addEventListener('input', validate);
type.addEventListener('change', () => {
  chosenType = type.value;
  validate();
});
target.addEventListener('change', () => {
  chosenTarget = target.value;
  validate();
  void showPending();
});
send.addEventListener('click', () => void submit());
// "Expires in" counts down; a signal past its expiry shows as expired until the list reloads.
setInterval(renderPending, 1000);

/** Offers `*` and the live agents, keeping the chosen one (marked when it is no longer live). */
function setAgents(agents: ComposerAgent[]): void {
  const key = JSON.stringify(agents);
  if (key === agentsShown && target.value === chosenTarget) return;
  agentsShown = key;
  if (!chosenTarget) chosenTarget = agents[0]?.agentId ?? '*';
  const gone = chosenTarget !== '*' && !agents.some((a) => a.agentId === chosenTarget);
  const option = (value: string, label: string, description: string) =>
    h('vscode-option', { value, description, selected: value === chosenTarget }, label);
  target.replaceChildren(
    option('*', '* (broadcast)', 'every agent consumes it once'),
    ...agents.map((a) => option(a.agentId, a.agentId, a.status)),
    ...(gone ? [option(chosenTarget, chosenTarget, 'not live')] : []),
  );
  target.value = chosenTarget;
}

function setTypes(types: string[]): void {
  if (!chosenType) chosenType = types[0] ?? '';
  const all = types.includes(chosenType) || chosenType === '' ? types : [...types, chosenType];
  const key = JSON.stringify(all);
  if (key === typesShown) return;
  typesShown = key;
  type.replaceChildren(...all.map((t) => h('vscode-option', { value: t, selected: t === chosenType }, t)));
  type.value = chosenType;
}

/** Checks the form; shows the first problem under the payload and disables Send. */
function validate(): boolean {
  let problem = '';
  if (payload.value.trim() !== '') {
    try {
      JSON.parse(payload.value);
    } catch (error) {
      problem = `Payload is not valid JSON: ${(error as Error).message}`;
    }
  }
  if (!problem && chosenTarget !== '*' && !ID.test(chosenTarget)) problem = 'To: pick an agent, or * for everyone';
  if (!problem && !ID.test(chosenType)) problem = 'Type: letters, digits and . _ : @ / - only (1–128 characters)';
  const seconds = Number(ttl.value);
  if (!problem && (!Number.isInteger(seconds) || seconds < 1 || seconds > 86_400)) problem = 'Expiry: a whole number of seconds, 1 to 86400';
  payload.invalid = problem.startsWith('Payload');
  payloadError.textContent = problem;
  send.disabled = problem !== '';
  host.saveState({ target: chosenTarget, type: chosenType, payload: payload.value, ttl: ttl.value });
  return problem === '';
}

async function submit(): Promise<void> {
  if (!validate()) return;
  send.disabled = true;
  status.textContent = '';
  try {
    const signal = await host.request('send', { to: chosenTarget, type: chosenType, payload: payload.value, ttlSeconds: Number(ttl.value) });
    status.textContent = `Sent “${signal.type}” to ${signal.target === '*' ? 'every agent' : signal.target}.`;
    status.className = 'ok';
    await showPending();
  } catch (error) {
    status.textContent = (error as Error).message;
    status.className = 'error';
  } finally {
    send.disabled = false;
  }
}

async function showPending(agentId = chosenTarget): Promise<void> {
  if (!agentId || agentId === '*') {
    pending = [];
    inspectorTitle.textContent = 'Pending signals';
    pendingList.replaceChildren(h('p', { class: 'hint' }, 'Pick an agent to see the signals waiting for it.'));
    return;
  }
  inspectorTitle.textContent = `Pending for ${agentId}`;
  const signals = await host.request('pending', { agentId });
  if (agentId !== chosenTarget) return; // the user picked another agent meanwhile
  pending = signals;
  renderPending();
}

function renderPending(): void {
  if (chosenTarget === '*' || !chosenTarget) return;
  if (pending.length === 0) return pendingList.replaceChildren(h('p', { class: 'hint' }, 'Nothing waiting.'));
  const now = Date.now();
  pendingList.replaceChildren(
    h('table', { class: 'signals' },
      h('thead', {}, h('tr', {}, h('th', {}, 'Type'), h('th', {}, 'From'), h('th', {}, 'Payload'), h('th', {}, 'Expires in'))),
      h('tbody', {}, ...pending.map((s) => {
        const left = s.expiresAt - now;
        return h('tr', { class: left > 0 ? '' : 'expired' },
          h('td', {}, s.type, s.target === '*' ? ' (broadcast)' : ''),
          h('td', {}, s.source),
          h('td', {}, h('code', {}, JSON.stringify(s.payload))),
          h('td', { class: 'expires' }, left > 0 ? duration(left) : 'expired'));
      })),
    ),
  );
}

host.notify('ready', {});
