// ESLint: JS and TypeScript recommended rules, Svelte's, and Prettier's (formatting is Prettier's
// job alone). Type-aware rules are left out: svelte-check already type-checks every file.
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import ts from 'typescript-eslint';
import svelteConfig from './svelte.config.js';

export default ts.config(
	{
		ignores: [
			'build/',
			'build-test/',
			'dist/',
			'.svelte-kit/',
			'.svelte-kit-test/',
			'node_modules/',
			'bench/out/',
			'test-results/',
			'playwright-report/',
			'scratch/'
		]
	},
	js.configs.recommended,
	...ts.configs.recommended,
	...svelte.configs.recommended,
	prettier,
	...svelte.configs.prettier,
	{ languageOptions: { globals: { ...globals.browser, ...globals.node } } },
	{
		files: ['**/*.svelte', '**/*.svelte.ts'],
		languageOptions: { parserOptions: { parser: ts.parser, extraFileExtensions: ['.svelte'], svelteConfig } }
	},
	{
		rules: {
			'@typescript-eslint/no-unused-vars': [
				'error',
				{ argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }
			],
			// Links are `${base}/run/?id=…` (relative paths, so the site works from any sub-path, with the
			// page's state in the query string); resolve() does not take a query string.
			'svelte/no-navigation-without-resolve': 'off',
			// It flags every Map and Set built inside a $derived or a function, which are values, not state:
			// state that changes is reassigned here, never mutated.
			'svelte/prefer-svelte-reactivity': 'off'
		}
	},
	{
		// TypeScript checks names (svelte-check); no-undef does not know its types (BlobPart).
		files: ['**/*.ts', '**/*.svelte'],
		rules: { 'no-undef': 'off' }
	},
	{
		// Tests read JSON of any shape.
		files: ['**/*.spec.ts'],
		rules: { '@typescript-eslint/no-explicit-any': 'off' }
	}
);
