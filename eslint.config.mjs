// ESLint: typescript-eslint's strict, type-checked rules over every TypeScript source (extension host, core, CLI,
// worker, webview, tests, benches, scripts); Prettier owns formatting, so no stylistic rules here.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'out/**',
      'node_modules/**',
      'bench/.corpus/**',
      'examples/**',
      'test/fixtures/**',
      '**/*.d.ts',
      '**/*.d.mts',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        // test/webview runs under tsx outside both tsconfigs (it drives Chromium, not VS Code).
        projectService: { allowDefaultProject: ['test/webview/*.ts'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      // TypeScript itself reports undefined names, with the right globals per tsconfig (node vs DOM).
      'no-undef': 'off',
      // Numbers and booleans in messages are the point of most of our template strings.
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true, allowBoolean: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['test/**/*.ts', 'bench/**/*.ts'],
    rules: {
      // node:test's describe/it return promises the runner itself awaits.
      '@typescript-eslint/no-floating-promises': [
        'error',
        {
          allowForKnownSafeCalls: [
            { from: 'package', package: 'node:test', name: ['describe', 'it', 'test', 'suite'] },
          ],
        },
      ],
      // A test has just asserted the value exists (or fails loudly on the next line if it does not).
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    // Plain JavaScript (build and test drivers): no type information, Node's globals (and the browser's for the
    // webview harness, which runs in Chromium).
    files: ['**/*.mjs', '**/*.cjs', '**/*.js'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      ...tseslint.configs.disableTypeChecked.languageOptions,
      globals: { ...globals.node, ...globals.browser },
    },
    rules: {
      ...tseslint.configs.disableTypeChecked.rules,
      'no-undef': 'error',
      '@typescript-eslint/no-require-imports': 'off',
    },
  },
);
