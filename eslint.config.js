import js from '@eslint/js';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import ts from 'typescript-eslint';
import svelteConfig from './svelte.config.js';

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
		files: ['**/*.svelte', '**/*.svelte.ts', '**/*.svelte.js'],
		languageOptions: {
			parserOptions: {
				projectService: true,
				extraFileExtensions: ['.svelte'],
				parser: ts.parser,
				svelteConfig
			}
		}
	},
	{
		// The domain engine is shared by the device and the server: it MUST stay pure.
		files: ['src/lib/domain/**/*.ts'],
		rules: {
			'no-restricted-imports': [
				'error',
				{
					patterns: [
						{ group: ['svelte', 'svelte/*'], message: 'src/lib/domain must stay pure: no Svelte.' },
						{ group: ['dexie', 'dexie/*'], message: 'src/lib/domain must stay pure: no Dexie.' },
						{
							group: ['leaflet', 'leaflet/*', 'leaflet.*', '@geoman-io/*'],
							message: 'src/lib/domain must stay pure: no Leaflet.'
						},
						{
							group: ['$app/*', '$env/*', '$service-worker'],
							message: 'src/lib/domain must stay pure: no SvelteKit runtime.'
						},
						{
							group: ['node:*', 'fs', 'path', 'crypto', 'os', 'child_process'],
							message: 'src/lib/domain must stay pure: no Node built-ins.'
						},
						{
							group: [
								'$lib/db/*',
								'$lib/server/*',
								'$lib/state/*',
								'$lib/map/*',
								'$lib/components/*',
								'../db/*',
								'../../db/*'
							],
							message: 'src/lib/domain must not depend on adapters.'
						}
					]
				}
			]
		}
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
