// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['node_modules/**', 'runs/**', 'dist/**', 'viewer/dist/**', '.cache/**', 'test-output/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    // Simulation code is deterministic by seed: the run's Rng is the only source of randomness.
    files: ['core/**/*.ts', 'worlds/**/*.ts', 'agents/**/*.ts', 'memory/**/*.ts'],
    rules: {
      'no-restricted-properties': ['error', { object: 'Math', property: 'random', message: 'Use the run-owned Rng (core/rng.ts); simulation must be deterministic by seed.' }],
    },
  },
  {
    files: ['core/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['**/worlds/**', '**/agents/**', '**/memory/**', '**/viewer/**', '**/cli/**'], message: 'core knows no world, agent, memory, viewer or CLI.' }] }],
    },
  },
  {
    files: ['worlds/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['**/agents/**', '**/memory/**', '**/viewer/**', '**/cli/**'], message: 'worlds import core only.' }] }],
    },
  },
  {
    files: ['memory/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['**/worlds/**', '**/agents/**', '**/viewer/**', '**/cli/**'], message: 'memory imports core only.' }] }],
    },
  },
  {
    files: ['agents/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['**/viewer/**', '**/cli/**'], message: 'agents never import the viewer or the CLI.' }] }],
    },
  },
);
