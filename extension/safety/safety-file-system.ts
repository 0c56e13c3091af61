/**
 * The live rule set and tool policy as editable JSON files on the `switchboard:` scheme
 * (switchboard:/safety-rules.json, switchboard:/tool-policy.json; package.json's jsonValidation
 * gives them their schemas). Reading loads the live document and remembers its version; saving
 * applies it with compare-and-set on that version. A refusal naming a field (-32602 with
 * data.field) becomes a diagnostic on that value's line, cleared by the next successful save; a
 * conflict (-32003: another version went live meanwhile) offers Compare, Overwrite and Reload.
 * `?live` on a URI is a read-only copy of the live document, for the comparison.
 */
import * as vscode from 'vscode';
import { parse, printParseErrorCode, type ParseError } from 'jsonc-parser';
import { ErrorCode, RpcError } from '../../protocol/errors';
import { confirmDone } from '../confirm';
import type { ExtensionServices } from '../context';
import { responderName } from '../settings';
import { documentPath, locateField, type TextRange } from './field-location';
import { documentAt, documentText, type SafetyDocument } from './safety-documents';

export const SAFETY_SCHEME = 'switchboard';
const LIVE = 'live';

interface Opened {
  /** The version the text was read at (the expectedVersion of its save). */
  version: number;
  /**
   * Moves only on a save or when another version went live: VS Code refuses a save when a
   * file's mtime grew since it was read, which here means another version went live unseen.
   */
  mtime: number;
  size: number;
}

export function safetyUri(doc: SafetyDocument): vscode.Uri {
  return vscode.Uri.from({ scheme: SAFETY_SCHEME, path: doc.path });
}

export class SafetyFileSystem implements vscode.FileSystemProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.FileChangeEvent[]>();
  readonly onDidChangeFile = this.changed.event;
  readonly diagnostics = vscode.languages.createDiagnosticCollection('switchboard-safety');
  private readonly opened = new Map<string, Opened>();
  /** Documents being saved: the `*.changed` push of one's own save may come before its answer. */
  private readonly saving = new Set<string>();

  constructor(private readonly services: ExtensionServices) {}

  /** The version an open document was read at (tests; the conflict message). */
  versionOf(doc: SafetyDocument): number | undefined {
    return this.opened.get(doc.path)?.version;
  }

  /** Another version went live (a push): an unedited open document is read again; an edited one meets the conflict at its save. */
  liveVersion(doc: SafetyDocument, version: number): void {
    const opened = this.opened.get(doc.path);
    if (!opened || opened.version === version || this.saving.has(doc.path)) return;
    const uri = safetyUri(doc);
    if (vscode.workspace.textDocuments.some((text) => text.uri.toString() === uri.toString() && text.isDirty)) return;
    opened.mtime = Date.now();
    this.changed.fire([{ type: vscode.FileChangeType.Changed, uri }]);
  }

  watch(): vscode.Disposable {
    // Changes are pushed by the daemon (liveVersion), not watched for.
    return new vscode.Disposable(() => undefined);
  }

  stat(uri: vscode.Uri): vscode.FileStat {
    const doc = this.documentOf(uri);
    const opened = this.opened.get(doc.path);
    const live = uri.query === LIVE;
    return {
      type: vscode.FileType.File,
      ctime: 0,
      mtime: live ? Date.now() : (opened?.mtime ?? 0),
      size: live ? 0 : (opened?.size ?? 0),
      permissions: live ? vscode.FilePermission.Readonly : undefined,
    };
  }

  async readFile(uri: vscode.Uri): Promise<Uint8Array> {
    const doc = this.documentOf(uri);
    let loaded: { version: number; value: unknown };
    try {
      loaded = await doc.load(this.services.client());
    } catch (error) {
      throw vscode.FileSystemError.Unavailable(`cannot load ${doc.title}: ${(error as Error).message}`);
    }
    const bytes = Buffer.from(documentText(loaded.value));
    if (uri.query !== LIVE) {
      const opened = this.opened.get(doc.path);
      this.opened.set(doc.path, { version: loaded.version, mtime: opened?.mtime ?? Date.now(), size: bytes.length });
    }
    return bytes;
  }

  async writeFile(uri: vscode.Uri, content: Uint8Array): Promise<void> {
    const doc = this.documentOf(uri);
    const opened = this.opened.get(doc.path);
    if (uri.query === LIVE || !opened) throw vscode.FileSystemError.NoPermissions(`open ${doc.title} with its Edit command to change them`);
    const text = Buffer.from(content).toString('utf8');
    const errors: ParseError[] = [];
    const value = parse(text, errors, { disallowComments: true, allowTrailingComma: false });
    if (errors.length > 0) throw new Error(`not valid JSON (${printParseErrorCode(errors[0]!.error)}): nothing was applied`);
    this.saving.add(doc.path);
    try {
      const { version } = await doc.save(this.services.client(), value, opened.version, responderName());
      Object.assign(opened, { version, mtime: Math.max(Date.now(), opened.mtime + 1), size: content.length });
      this.diagnostics.delete(uri);
      confirmDone(this.services, `saved ${doc.title}: version ${version} is live`, `${uri.toString()} by ${responderName()}`);
    } catch (error) {
      throw this.refused(uri, doc, text, error);
    } finally {
      this.saving.delete(doc.path);
    }
  }

  readDirectory(): [string, vscode.FileType][] {
    return [];
  }

  createDirectory(): void {
    throw vscode.FileSystemError.NoPermissions('the safety documents are fixed');
  }

  delete(): void {
    throw vscode.FileSystemError.NoPermissions('the safety documents cannot be deleted');
  }

  rename(): void {
    throw vscode.FileSystemError.NoPermissions('the safety documents cannot be renamed');
  }

  dispose(): void {
    this.changed.dispose();
    this.diagnostics.dispose();
  }

  /** What a failed save says (VS Code shows it as "Failed to save"), after marking the line or offering the way out. */
  private refused(uri: vscode.Uri, doc: SafetyDocument, text: string, error: unknown): Error {
    const message = (error as Error).message.replace(/^invalid params: /, '');
    if (error instanceof RpcError && error.code === ErrorCode.InvalidParams) {
      const field = typeof error.data?.field === 'string' ? error.data.field : '';
      const diagnostic = new vscode.Diagnostic(toRange(locateField(text, documentPath(field, doc.root))), message, vscode.DiagnosticSeverity.Error);
      diagnostic.source = 'Switchboard';
      if (typeof error.data?.rule === 'string') diagnostic.code = error.data.rule;
      this.diagnostics.set(uri, [diagnostic]);
      this.services.log.warn(`safety: ${doc.title} refused: ${message}`);
      // The reason is on the line (Problems); VS Code's "Failed to save" needs only the gist.
      return new Error(`refused by the daemon, nothing was applied: the reason is on the line in Problems`);
    }
    if (error instanceof RpcError && error.code === ErrorCode.Conflict) {
      void this.offerConflict(uri, doc);
      return new Error(`${doc.title} changed meanwhile (another version went live): nothing was applied`);
    }
    return new Error(`could not apply ${doc.title}: ${message}`);
  }

  private async offerConflict(uri: vscode.Uri, doc: SafetyDocument): Promise<void> {
    const choice = await vscode.window.showWarningMessage(
      `Switchboard: ${doc.title} changed while you were editing (you started from version ${this.opened.get(doc.path)?.version}). Compare with the live version, overwrite it with yours, or reload it (dropping your edits)?`,
      'Compare',
      'Overwrite',
      'Reload',
    );
    if (choice === 'Compare') {
      await vscode.commands.executeCommand('vscode.diff', uri.with({ query: LIVE }), uri, `${capital(doc.title)}: live ↔ yours`);
    } else if (choice === 'Overwrite') {
      const live = await doc.load(this.services.client());
      const opened = this.opened.get(doc.path);
      if (opened) opened.version = live.version;
      await vscode.workspace.textDocuments.find((text) => text.uri.toString() === uri.toString())?.save();
    } else if (choice === 'Reload') {
      await vscode.window.showTextDocument(uri);
      await vscode.commands.executeCommand('workbench.action.files.revert');
    }
  }

  private documentOf(uri: vscode.Uri): SafetyDocument {
    const doc = documentAt(uri.path);
    if (!doc) throw vscode.FileSystemError.FileNotFound(uri);
    return doc;
  }
}

function toRange(range: TextRange): vscode.Range {
  return new vscode.Range(range.start.line, range.start.character, range.end.line, range.end.character);
}

function capital(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
