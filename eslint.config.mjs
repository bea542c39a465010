import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';
import { noTestSupport, productionBoundaries, testBoundaries, TEST_FILES } from './tools/lint/module-boundaries.mjs';

export default tseslint.config(
  { ignores: ['**/dist/**', 'libs/*/src/generated/**', 'node_modules/**', '.data/**', '.nx/**', '**/*.js', '**/*.mjs', '**/*.cjs'] },
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    plugins: { '@nx': nx },
    rules: {
      '@nx/enforce-module-boundaries': productionBoundaries,
      'no-restricted-imports': noTestSupport,
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-extraneous-class': 'off',
      '@typescript-eslint/unbound-method': 'off',
      // Async callbacks that satisfy a Promise-returning interface need no await.
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    // Layers and scopes: tools/lint/module-boundaries.mjs.
    files: TEST_FILES,
    rules: { '@nx/enforce-module-boundaries': testBoundaries, 'no-restricted-imports': 'off' },
  },
  {
    files: ['**/*.spec.ts', '**/*.int-spec.ts', '**/*.e2e-spec.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
);
