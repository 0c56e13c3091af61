/** Waiting on and stopping the servers the tests start (redis-server, code-server). */
import type { ChildProcess } from 'node:child_process';

/** Resolves once stdout (or stderr) has shown the pattern; rejects with the output if the process exits first. */
export function waitForOutput(child: ChildProcess, pattern: RegExp, name: string): Promise<void> {
  return new Promise((resolve, reject) => {
    let out = '';
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      if (!pattern.test(out)) return;
      child.stdout!.off('data', onData);
      child.stderr!.off('data', onData);
      child.off('exit', onExit);
      child.stdout!.resume();
      child.stderr!.resume();
      resolve();
    };
    const onExit = (code: number | null) => reject(new Error(`${name} exited (${code}):\n${out}`));
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', onExit);
  });
}

/** SIGTERM, then waits for the exit. */
export async function terminate(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}
