/** ToldWindow: a key told once per window, kept across a window reload through the workspace Memento. */
import assert from 'node:assert/strict';
import type { Memento } from 'vscode';
import { FAILURE_WINDOW_MS, ToldWindow } from '../../../extension/model/told-window';

/** A workspace Memento's two calls the window makes, over a plain object (as VS Code stores it: JSON). */
function memento(): Memento & { saved: Record<string, unknown> } {
  const saved: Record<string, unknown> = {};
  return {
    saved,
    keys: () => Object.keys(saved),
    get: <T>(key: string, fallback?: T) => (key in saved ? (JSON.parse(JSON.stringify(saved[key])) as T) : fallback),
    update: async (key: string, value: unknown) => void (saved[key] = value),
  } as Memento & { saved: Record<string, unknown> };
}

describe('ToldWindow', () => {
  let now = 1_000_000;
  const clock = () => now;

  it('tells a key once per window, and says how long ago it was told', () => {
    const told = new ToldWindow(undefined, clock);
    assert.equal(told.toldAgoMs('mail'), undefined);
    assert.equal(told.firstTime('mail'), true);
    now += 5_000;
    assert.equal(told.firstTime('mail'), false, 'within the window');
    assert.equal(told.toldAgoMs('mail'), 5_000);
    assert.equal(told.firstTime('builds'), true, 'another key has its own window');
    now += FAILURE_WINDOW_MS;
    assert.equal(told.toldAgoMs('mail'), undefined);
    assert.equal(told.firstTime('mail'), true, 'once the window has passed');
  });

  it('keeps the open windows across a reload, and only those', () => {
    const state = memento();
    const before = new ToldWindow({ memento: state, key: 'told' }, clock);
    before.firstTime('old');
    now += FAILURE_WINDOW_MS - 1_000;
    before.firstTime('recent');
    now += 2_000; // old's window has closed, recent's is open
    before.firstTime('new');
    assert.deepEqual(Object.keys(state.saved.told as object).sort(), ['new', 'recent'], 'a closed window is not saved');
    const after = new ToldWindow({ memento: state, key: 'told' }, clock);
    assert.deepEqual([after.firstTime('recent'), after.firstTime('new'), after.firstTime('old')], [false, false, true]);
  });
});
