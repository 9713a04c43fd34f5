/**
 * A tiny VS Code extension ("Harness Probe") built into a temp folder and packaged with vsce, so
 * the harness can be proven on a real extension before Taskwarden's own vsix exists. It has an
 * activity-bar container with a tree view, and a command that shows a status-bar item and reports a
 * diagnostic: one of each thing the e2e helpers read.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onExitCleanup } from './exitCleanup';
import { repoRoot } from './repoRoot';
import { runLogged } from './runLogged';

/** What the probe extension shows, for tests to look for. */
export const PROBE = {
  containerTitle: 'Harness Probe',
  viewName: 'Probe Items',
  treeItems: ['alpha item', 'beta item'],
  commandTitle: 'Harness Probe: Say Hello',
  statusText: 'Probe said hello',
  diagnosticFile: 'probe.txt',
  diagnosticMessage: 'Probe diagnostic: hello was said',
} as const;

const manifest = {
  name: 'harness-probe',
  displayName: 'Harness Probe',
  description: 'Scratch extension that proves the Taskwarden e2e harness.',
  publisher: 'taskwarden-e2e',
  version: '0.0.1',
  license: 'MIT',
  engines: { vscode: '^1.96.0' },
  main: './extension.js',
  activationEvents: ['onStartupFinished'],
  // Disabled in Restricted Mode, like any extension that runs workspace-defined processes.
  capabilities: { untrustedWorkspaces: { supported: false } },
  contributes: {
    viewsContainers: {
      activitybar: [{ id: 'harnessProbe', title: PROBE.containerTitle, icon: 'media/probe.svg' }],
    },
    views: { harnessProbe: [{ id: 'harnessProbe.items', name: PROBE.viewName }] },
    commands: [{ command: 'harnessProbe.sayHello', title: PROBE.commandTitle }],
  },
};

const extensionSource = `
const vscode = require('vscode');
exports.activate = (context) => {
  const items = ${JSON.stringify(PROBE.treeItems)};
  context.subscriptions.push(vscode.window.registerTreeDataProvider('harnessProbe.items', {
    getChildren: () => items,
    getTreeItem: (label) => new vscode.TreeItem(label),
  }));
  const diagnostics = vscode.languages.createDiagnosticCollection('probe');
  const status = vscode.window.createStatusBarItem(vscode.StatusBarAlignment.Left, 100);
  context.subscriptions.push(diagnostics, status);
  context.subscriptions.push(vscode.commands.registerCommand('harnessProbe.sayHello', () => {
    status.text = '$(beaker) ' + ${JSON.stringify(PROBE.statusText)};
    status.show();
    const folder = vscode.workspace.workspaceFolders?.[0];
    if (folder) {
      const uri = vscode.Uri.joinPath(folder.uri, ${JSON.stringify(PROBE.diagnosticFile)});
      const range = new vscode.Range(1, 2, 1, 7);
      const diagnostic = new vscode.Diagnostic(range, ${JSON.stringify(PROBE.diagnosticMessage)}, vscode.DiagnosticSeverity.Warning);
      diagnostic.source = 'probe';
      diagnostics.set(uri, [diagnostic]);
    }
  }));
};
`;

const icon =
  '<svg xmlns="http://www.w3.org/2000/svg" width="24" height="24" viewBox="0 0 24 24" fill="none" ' +
  'stroke="currentColor" stroke-width="2"><path d="M9 3h6M10 3v6L4 20h16L14 9V3"/></svg>';

/**
 * Writes the probe extension to a temp folder and packages it with the repo's `@vscode/vsce`.
 * Resolves with the vsix path and a `dispose()` that removes the folder.
 */
export async function buildProbeExtension(): Promise<{ vsixPath: string; dispose(): void }> {
  const dir = mkdtempSync(join(tmpdir(), 'taskwarden-e2e-probe-'));
  const remove = (): void => rmSync(dir, { recursive: true, force: true });
  const unregister = onExitCleanup(remove);
  const dispose = (): void => {
    remove();
    unregister();
  };
  const source = join(dir, 'extension');
  try {
    mkdirSync(join(source, 'media'), { recursive: true });
    writeFileSync(join(source, 'package.json'), JSON.stringify(manifest, null, 2));
    writeFileSync(join(source, 'extension.js'), extensionSource);
    writeFileSync(join(source, 'media', 'probe.svg'), icon);
    writeFileSync(join(source, 'README.md'), '# Harness Probe\n\nScratch extension for the e2e harness.\n');
    const vsixPath = join(dir, 'harness-probe.vsix');
    const vsce = join(repoRoot(), 'node_modules', '@vscode', 'vsce', 'vsce');
    await runLogged(
      [process.execPath, vsce, 'package', '--no-dependencies', '--allow-missing-repository', '--skip-license', '-o', vsixPath],
      { cwd: source, logFile: join(dir, 'vsce.log') },
    );
    return { vsixPath, dispose };
  } catch (error: unknown) {
    dispose();
    throw error;
  }
}
