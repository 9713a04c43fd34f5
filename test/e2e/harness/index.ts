/**
 * The e2e harness in one import: a real VS Code (code-server 4.96.4) driven in Chromium.
 *
 *   const vscode = await startVsCode({ vsixPath: 'dist/taskwarden.vsix' });
 *   const { page, close } = await openWorkbench(vscode, folder, { trust: true });
 *   await runCommand(page, 'Taskwarden: Start Agent');
 *   await screenshot(page, 'agent started');
 *   await close(); await vscode.stop();
 *
 * See notes/vscode-e2e.md for why it is built this way.
 */
export { runArtifactsDir } from './artifacts';
export { firstRowShown, type Evidence } from './firstRow';
export { openWorkbench, CHROMIUM_PATH, type OpenWorkbenchOptions, type Workbench } from './browser';
export { startVsCode, QUIET_SETTINGS, type StartVsCodeOptions, type VsCodeServer } from './codeServer';
export { ensureCodeServer, codeServerCacheDir, CODE_SERVER_VERSION } from './codeServerInstall';
export { leakedProcesses, type ProcessInfo } from './processes';
export { buildProbeExtension, PROBE } from './probeExtension';
export { chooseFromContextMenu, inlineActionTitles } from './contextMenu';
export { confirmDialog, type ConfirmDialogOptions } from './dialog';
export { answerQuickInput } from './quickInput';
export { rowHoverText } from './hover';
export { clickRowButton } from './rowButton';
export { screenshot } from './screenshot';
export { UI_TIMEOUT_MS, waitFor, type WaitForOptions } from './waitFor';
export {
  openCommandPalette,
  openViewContainer,
  problemsPanelText,
  runCommand,
  runCommandAndPick,
  showOnlyView,
  statusBarItem,
} from './workbench';
export { CLI, REPO_ROOT, VSIX } from './builtFiles';
export { openPartView, type PartView, type PartViewOptions } from './partView';
