// ESLint: typescript-eslint with type information, plus the house rules that
// keep the architecture honest (no `vscode` in agent/, no console in agent/).
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['.tmp-*', 'dist/**', 'node_modules/**', 'test-results/**', 'bench/results/**', '**/*.mjs', '**/*.js'] },
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
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
    files: ['extension/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^\\.\\./agent/(?!protocol(/|$))',
              message: 'The extension reaches the agent only through agent/protocol/.',
            },
          ],
        },
      ],
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
