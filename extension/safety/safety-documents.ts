/**
 * The two live documents the user edits as JSON: the rule set and the tool policy, each with the
 * param name the daemon's error paths start with, how to load it and how to apply it with
 * compare-and-set. Plain TypeScript (no vscode import).
 */
import type { SwitchboardClient } from '../../client/client';
import type { SafetyPolicy, SafetyRule } from '../../protocol/types';

export interface SafetyDocument {
  /** The path of its `switchboard:` URI (package.json's jsonValidation names the same). */
  path: string;
  /** How the user calls it ("the safety rules"). */
  title: string;
  /** The param the document is: the daemon's error paths start with it. */
  root: string;
  load(client: SwitchboardClient): Promise<{ version: number; value: unknown }>;
  save(client: SwitchboardClient, value: unknown, expectedVersion: number, by: string): Promise<{ version: number }>;
}

export const RULES_DOCUMENT: SafetyDocument = {
  path: '/safety-rules.json',
  title: 'the safety rules',
  root: 'rules',
  load: async (client) => {
    const set = await client.safety.rulesGet();
    return { version: set.version, value: set.rules };
  },
  save: (client, value, expectedVersion, by) => client.safety.rulesSet({ rules: value as SafetyRule[], expectedVersion, by }),
};

export const POLICY_DOCUMENT: SafetyDocument = {
  path: '/tool-policy.json',
  title: 'the tool policy',
  root: 'policy',
  load: async (client) => {
    const doc = await client.policy.get();
    return { version: doc.version, value: doc.policy };
  },
  save: (client, value, expectedVersion, by) => client.policy.set({ policy: value as SafetyPolicy, expectedVersion, by }),
};

export const SAFETY_DOCUMENTS: readonly SafetyDocument[] = [RULES_DOCUMENT, POLICY_DOCUMENT];

export function documentAt(path: string): SafetyDocument | undefined {
  return SAFETY_DOCUMENTS.find((doc) => doc.path === path);
}

/** The text a document opens with: pretty JSON, as `safety rules get` prints it. */
export function documentText(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}
