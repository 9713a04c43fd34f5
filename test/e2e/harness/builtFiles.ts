/**
 * What `npm run package` builds and every view test uses: the extension's
 * package, installed into code-server, and the CLI a test asks the agent with.
 */
import { join, resolve } from 'node:path';

export const REPO_ROOT = resolve(__dirname, '../../..');
export const VSIX = join(REPO_ROOT, 'dist', 'taskwarden.vsix');
export const CLI = join(REPO_ROOT, 'dist', 'taskwarden.js');
