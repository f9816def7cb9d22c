import js from '@eslint/js';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import ts from 'typescript-eslint';
import svelteConfig from './svelte.config.js';
import domainPurity from './eslint/domain-purity.js';
import importSpelling from './eslint/import-spelling.js';

export default ts.config(
	{
		ignores: [
			'build/',
			'build-*/',
			'.svelte-kit-*/',
			'.svelte-kit/',
			'node_modules/',
			'src/lib/paraglide/',
			'test-results/',
			'playwright-report/',
			'bench/results/',
			'data/',
			'project.inlang/'
		]
	},
	js.configs.recommended,
	...ts.configs.recommended,
	...svelte.configs.recommended,
	{
		languageOptions: { globals: { ...globals.browser, ...globals.node } },
		rules: {
			'no-undef': 'off',
			'@typescript-eslint/no-unused-vars': [
				'error',
				{ argsIgnorePattern: '^_', varsIgnorePattern: '^_' }
			]
		}
	},
	{
		// Type-aware rules (as our model codebases use): a promise is awaited, returned or
		// explicitly `void`ed, and never passed where a plain callback is expected.
		files: ['**/*.ts', '**/*.svelte', '**/*.svelte.ts'],
		languageOptions: {
			parserOptions: {
				// the root config files are in no tsconfig: the default project types them
				projectService: { allowDefaultProject: ['playwright.config.ts', 'vitest*.config.ts'] },
				extraFileExtensions: ['.svelte'],
				parser: ts.parser,
				svelteConfig
			}
		},
		rules: {
			'@typescript-eslint/no-floating-promises': 'error',
			'@typescript-eslint/no-misused-promises': 'error'
		}
	},
	{
		// One spelling per import (eslint/import-spelling.js; `eslint --fix` applies it).
		files: ['**/*.ts', '**/*.js', '**/*.svelte'],
		plugins: { imports: importSpelling },
		rules: { 'imports/spelling': 'error' }
	},
	{
		// The domain engine is shared by the device and the server: it MUST stay pure. An
		// allow-list (eslint/domain-purity.js): itself, zod, @turf/*, geojson.
		files: ['src/lib/domain/**/*.ts'],
		plugins: { domain: domainPurity },
		rules: { 'domain/allowed-imports': 'error' }
	},
	{
		files: ['tests/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.ts'],
		rules: {
			'no-restricted-syntax': [
				'error',
				{ selector: "CallExpression[callee.property.name='only']", message: 'No focused tests.' }
			]
		}
	}
);
