import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A fresh temp dir for each test of the suite, removed after it; `ready` receives its path. */
export function tempDirPerTest(prefix: string, ready: (dir: string) => void): void {
  let dir: string;
  beforeEach(() => ready((dir = mkdtempSync(join(tmpdir(), prefix)))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
}
