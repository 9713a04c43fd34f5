/**
 * The dashboard page's HTML: a strict Content-Security-Policy (nothing remote,
 * scripts only with this load's nonce, styles and fonts only from the
 * extension's dist/dashboard folder), the bundled page script and its styles.
 */
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';

export function dashboardHtml(webview: vscode.Webview, assets: vscode.Uri): string {
  const nonce = randomBytes(16).toString('base64');
  const asset = (name: string): string => webview.asWebviewUri(vscode.Uri.joinPath(assets, name)).toString();
  const csp = [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    // uPlot sets sizes and positions through element styles.
    `style-src ${webview.cspSource} 'unsafe-inline'`,
    `font-src ${webview.cspSource}`,
    `img-src ${webview.cspSource} data:`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${asset('codicon.css')}">
<link rel="stylesheet" href="${asset('uPlot.min.css')}">
<link rel="stylesheet" href="${asset('dashboard.css')}">
<title>Taskwarden Dashboard</title>
</head>
<body>
<header><span class="codicon codicon-pulse"></span> Taskwarden <span id="status" class="status">waiting for the agent…</span></header>
<main id="dashboard"></main>
<script nonce="${nonce}" src="${asset('dashboard.js')}"></script>
</body>
</html>`;
}
