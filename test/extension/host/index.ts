/**
 * Entry point VS Code calls inside the extension host (extensionTestsPath), as
 * @vscode/test-electron and code-server's test payload do: runs the host suites with mocha and
 * writes mocha's JSON report to $SWITCHBOARD_HOST_RESULTS for the driver to read.
 */
import Mocha from 'mocha';
import { hostSuites } from './suites';

export function run(): Promise<void> {
  const output = process.env.SWITCHBOARD_HOST_RESULTS;
  const mocha = new Mocha({ ui: 'bdd', timeout: 30_000, color: false, ...(output ? { reporter: 'json', reporterOptions: { output } } : {}) });
  mocha.suite.emit('pre-require', globalThis, 'host-suites', mocha);
  hostSuites();
  return new Promise((resolve, reject) => {
    mocha.run((failures) => (failures > 0 ? reject(new Error(`${failures} host test(s) failed`)) : resolve()));
  });
}
