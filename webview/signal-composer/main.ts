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
const host = new HostChannel<SignalComposerProtocol>();
const app = document.getElementById('app')!;

const target = h('vscode-single-select', { id: 'target', combobox: true, 'aria-label': 'Target agent' }) as VscodeSingleSelect;
const type = h('vscode-single-select', { id: 'type', combobox: true, creatable: true, 'aria-label': 'Signal type' }) as VscodeSingleSelect;
const payload = h('vscode-textarea', { id: 'payload', rows: '6', monospace: true, placeholder: '{"reason": "…"}  (empty: no payload)', 'aria-label': 'Payload' }) as VscodeTextarea;
const payloadError = h('vscode-form-helper', { id: 'payload-error', role: 'alert' });
const ttl = h('vscode-textfield', { id: 'ttl', type: 'number', value: '60', min: '1', max: '86400', 'aria-label': 'Time to live in seconds' }) as VscodeTextfield;
const send = h('vscode-button', { id: 'send', icon: 'send' }, 'Send') as VscodeButton;
const status = h('p', { id: 'status', role: 'status' });
const inspectorTitle = h('h2', { id: 'inspector-title' }, 'Pending signals');
const pendingList = h('div', { id: 'pending' });

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

host.on('init', ({ agents, types, target: preselected }) => {
  const chosen = setAgents(agents, preselected);
  type.replaceChildren(...types.map((t) => h('vscode-option', { value: t }, t)));
  type.value = types[0] ?? '';
  // The select takes new options on its next render: use the choice, not target.value, now.
  void showPending(chosen);
});
host.on('agents', ({ agents }) => setAgents(agents, target.value));

type.addEventListener('vsc-single-select-create-option', (event) => {
  const value = (event as CustomEvent<{ value: string }>).detail.value;
  type.append(h('vscode-option', { value }, value));
  type.value = value;
  validate();
});
for (const field of [payload, type, ttl]) field.addEventListener('input', validate);
type.addEventListener('change', validate);
target.addEventListener('change', () => void showPending());
send.addEventListener('click', () => void submit());

/** Offers `*` and the agents; keeps (or makes) a choice and returns it. */
function setAgents(agents: ComposerAgent[], selected?: string): string {
  target.replaceChildren(
    h('vscode-option', { value: '*', description: 'every agent consumes it once' }, '* (broadcast)'),
    ...agents.map((a) => h('vscode-option', { value: a.agentId, description: a.status }, a.agentId)),
  );
  const chosen = selected && (selected === '*' || agents.some((a) => a.agentId === selected)) ? selected : (agents[0]?.agentId ?? '*');
  target.value = chosen;
  return chosen;
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
  if (!problem && !ID.test(type.value)) problem = 'Type: letters, digits and . _ : @ / - only (1–128 characters)';
  const seconds = Number(ttl.value);
  if (!problem && (!Number.isInteger(seconds) || seconds < 1 || seconds > 86_400)) problem = 'Expiry: a whole number of seconds, 1 to 86400';
  payload.invalid = problem.startsWith('Payload');
  payloadError.textContent = problem;
  send.disabled = problem !== '';
  return problem === '';
}

async function submit(): Promise<void> {
  if (!validate()) return;
  send.disabled = true;
  status.textContent = '';
  try {
    const signal = await host.request('send', { to: target.value, type: type.value, payload: payload.value, ttlSeconds: Number(ttl.value) });
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

async function showPending(agentId = target.value): Promise<void> {
  if (!agentId || agentId === '*') {
    inspectorTitle.textContent = 'Pending signals';
    pendingList.replaceChildren(h('p', { class: 'hint' }, 'Pick an agent to see the signals waiting for it.'));
    return;
  }
  inspectorTitle.textContent = `Pending for ${agentId}`;
  const signals = await host.request('pending', { agentId });
  pendingList.replaceChildren(signals.length === 0 ? h('p', { class: 'hint' }, 'Nothing waiting.') : signalTable(signals));
}

function signalTable(signals: Signal[]): HTMLElement {
  const now = Date.now();
  return h('table', { class: 'signals' },
    h('thead', {}, h('tr', {}, h('th', {}, 'Type'), h('th', {}, 'From'), h('th', {}, 'Payload'), h('th', {}, 'Expires in'))),
    h('tbody', {}, ...signals.map((s) =>
      h('tr', {}, h('td', {}, s.type, s.target === '*' ? ' (broadcast)' : ''), h('td', {}, s.source), h('td', {}, h('code', {}, JSON.stringify(s.payload))), h('td', {}, duration(s.expiresAt - now))),
    )),
  );
}

host.notify('ready', {});
