// Lint rules. The ones that matter most keep the layers (imports only downward) and workflows/
// deterministic (no Node built-ins, no I/O libraries), and no promise left floating anywhere.
import tseslint from 'typescript-eslint';
import { builtinModules } from 'node:module';

const nodeBuiltins = builtinModules.flatMap((m) => [m, `node:${m}`]);
/** Folders no source layer may import. */
const OUTSIDE_SOURCE = ['**/scripts/**', '**/bench/**', '**/test/**'];

export default tseslint.config(
  { ignores: ['node_modules/**', '.tools/**', '.data/**', 'public/build/**', 'coverage/**', 'bench/out/**', '.scratch/**'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  // Small modules with one job: a source file over 400 lines (code only) says at its top why it is long, in
  // the `eslint-disable max-lines -- <why>` comment that lets it through. Tests are exempt.
  {
    files: ['workflows/**/*.ts', 'activities/**/*.ts', 'editor/**/*.ts', 'server/**/*.ts', 'scripts/**/*.ts', 'bench/**/*.ts'],
    rules: { 'max-lines': ['error', { max: 400, skipBlankLines: true, skipComments: true }] },
  },
  // Layers (../shared/DESIGN.md "Layers"): imports only run downward, server → activities → workflows/editor,
  // and workflows imports nothing of editor. Tests, benchmarks and scripts are exempt.
  {
    files: ['server/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', { patterns: [{ group: OUTSIDE_SOURCE, message: 'server/ may not import scripts, benchmarks or tests.' }] }],
    },
  },
  {
    files: ['activities/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/server/**', '**/server', ...OUTSIDE_SOURCE], message: 'activities/ may import workflows/ and editor/ only (the server is above it).' }] },
      ],
    },
  },
  {
    files: ['editor/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/server/**', '**/server', '**/activities/**', '**/activities', '**/workflows/**', '**/workflows', ...OUTSIDE_SOURCE], message: 'editor/ is the pure document model: it imports nothing of server/, activities/ or workflows/.' },
          ],
        },
      ],
    },
  },
  {
    files: ['workflows/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: nodeBuiltins.map((name) => ({ name, message: 'Workflows are deterministic: no Node built-ins.' })),
          patterns: [
            { group: ['mongodb', 'express', 'yjs', 'y-*', 'docx', 'ws', 'pino', '**/server/**', '**/server', ...OUTSIDE_SOURCE], message: 'Workflows do no I/O: call an activity.' },
            { group: ['**/editor/**', '**/editor'], message: 'workflows/ imports nothing of editor/.' },
            { group: ['**/activities/**', '**/activities'], message: 'Import activities with `import type` only (their signatures).', allowTypeImports: true },
          ],
        },
      ],
      'no-restricted-globals': ['error', { name: 'setTimeout', message: 'Use sleep() or condition() from @temporalio/workflow.' }, { name: 'setInterval', message: 'Use durable timers.' }],
      'no-restricted-properties': ['error', { object: 'Math', property: 'random', message: 'Deterministic: no randomness in workflows.' }],
    },
  },
);
