// ESLint flat config: typescript-eslint's recommended rules with type information, so that
// floating promises and values typed `any` are caught where they flow. Values parsed from outside
// (JSON, YAML, a child's output) are `unknown` and narrowed, not `any`. Each departure from the
// recommended sets below says why.
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

export default defineConfig(
  { ignores: ['dist/', 'release/', 'coverage/', '.bench/'] },
  js.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  {
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    languageOptions: {
      parserOptions: {
        // tsconfig.json covers src/, test/, bench/, examples/, scripts/ and vitest.config.ts; this
        // file is JavaScript outside it, typed by the default project.
        projectService: { allowDefaultProject: ['eslint.config.js'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      // Underscore-prefixed names are deliberately unused (destructuring a field away).
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
      // Off: matching control characters is this program's job, not a slip. terminal-text.ts strips
      // them from untrusted cluster text, the JSON, JUnit and Markdown writers escape them, and tests
      // assert they are gone; every regex the rule flags is one of those.
      'no-control-regex': 'off',
      // A `let` read by closures before its one assignment (an Ink app that callbacks made
      // earlier re-render) cannot be a const declared at that assignment: a callback that fired
      // first would meet the temporal dead zone instead of undefined.
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
    },
  },
  {
    // The bin/ launcher is JavaScript without an extension, run by Node (the other bin/ file is sh).
    files: ['bin/kubectl-endpoints_doctor'],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: { globals: { process: 'readonly' } },
  },
);
