// Lint rules. The ones that matter most keep workflows/ deterministic: no Node built-ins and no I/O
// libraries there, and no promise left floating anywhere.
import tseslint from 'typescript-eslint';
import { builtinModules } from 'node:module';

const nodeBuiltins = builtinModules.flatMap((m) => [m, `node:${m}`]);

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
  {
    files: ['workflows/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: nodeBuiltins.map((name) => ({ name, message: 'Workflows are deterministic: no Node built-ins.' })),
          patterns: [
            { group: ['mongodb', 'express', 'yjs', 'y-*', 'docx', 'ws', 'pino', '**/server/**', '**/scripts/**'], message: 'Workflows do no I/O: call an activity.' },
            { group: ['**/activities/**', '!**/activities/**/*types*'], message: 'Import activities with `import type` only.', allowTypeImports: true },
          ],
        },
      ],
      'no-restricted-globals': ['error', { name: 'setTimeout', message: 'Use sleep() or condition() from @temporalio/workflow.' }, { name: 'setInterval', message: 'Use durable timers.' }],
      'no-restricted-properties': ['error', { object: 'Math', property: 'random', message: 'Deterministic: no randomness in workflows.' }],
    },
  },
);
