// ESLint: typescript-eslint with type information, plus the house rules that
// keep the architecture honest: no console in agent/, and the import zones
// below, checked on resolved paths for every file (import-x/no-restricted-paths).
import { createNodeResolver, importX } from 'eslint-plugin-import-x';
import tseslint from 'typescript-eslint';
import { partNames } from './scripts/partList.mjs';

/** The part folders of agent/, as agent/parts.ts lists them (scripts/partList.mjs reads it). */
const PARTS = partNames(import.meta.dirname);
const PART_FOLDERS = PARTS.map((part) => `./agent/${part}`);
/** The agent's machinery below the parts: it never imports a part. */
const BELOW_PARTS = [
  './agent/core',
  './agent/config',
  './agent/store',
  './agent/proc',
  './agent/protocol',
  './agent/log.ts',
  './agent/result.ts',
];

const IMPORT_ZONES = [
  {
    target: './extension',
    from: './agent',
    except: ['./protocol', ...PARTS.map((part) => `./${part}/protocol`)],
    message: "The extension reaches the agent only through agent/protocol/ and the parts' agent/<part>/protocol/.",
  },
  { target: './agent/protocol', from: './agent', except: ['./protocol'], message: 'agent/protocol/ imports nothing else of the agent.' },
  ...PARTS.map((part) => ({
    target: `./agent/${part}/protocol`,
    from: './agent',
    except: ['./protocol', `./${part}/protocol`],
    message: `agent/${part}/protocol/ imports only agent/protocol/ and itself: clients import it.`,
  })),
  ...BELOW_PARTS.map((target) => ({
    target,
    from: PART_FOLDERS,
    message: 'The machinery below the parts never imports a part: parts plug in through agent/parts.ts.',
  })),
  {
    target: ['./agent/server', './agent/cli'],
    from: PART_FOLDERS,
    message: 'The server and the command line reach the parts only through agent/parts.ts.',
  },
  { target: PART_FOLDERS, from: ['./agent/server'], message: 'A part depends on agent/core/, not on the server.' },
  { target: './agent', from: './extension', message: 'agent/ never imports the extension.' },
];

export default tseslint.config(
  { ignores: ['.tmp-*', 'dist/**', 'node_modules/**', 'test-results/**', 'bench/results/**', '**/*.mjs', '**/*.js'] },
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    plugins: { 'import-x': importX },
    settings: { 'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.js', '.json'] })] },
    rules: {
      'import-x/no-restricted-paths': ['error', { basePath: import.meta.dirname, zones: IMPORT_ZONES }],
      '@typescript-eslint/no-floating-promises': [
        'error',
        // node:test's describe/it/test return promises the runner itself awaits.
        {
          allowForKnownSafeCalls: [
            {
              from: 'package',
              package: 'node:test',
              name: ['describe', 'it', 'test', 'suite', 'before', 'after', 'beforeEach', 'afterEach'],
            },
          ],
        },
      ],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-namespace': 'off',
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/no-unnecessary-type-assertion': 'off',
      'no-fallthrough': 'error',
    },
  },
  {
    files: ['agent/**/*.ts'],
    rules: {
      'no-console': 'error',
      'no-restricted-imports': ['error', { paths: [{ name: 'vscode', message: 'agent/ never imports vscode: it runs headless too.' }] }],
    },
  },
  {
    files: ['test/**/*.ts', 'bench/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
);
