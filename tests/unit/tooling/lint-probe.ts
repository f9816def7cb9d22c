import { ESLint } from 'eslint';

/**
 * The project's ESLint config, for probe text at a path that does not exist: type-aware parsing
 * needs a file the TypeScript project knows, so it is off here with the two rules that need it.
 */
export function probeLinter(fix = false): ESLint {
	return new ESLint({
		fix,
		overrideConfig: {
			languageOptions: { parserOptions: { projectService: false } },
			rules: {
				'@typescript-eslint/no-floating-promises': 'off',
				'@typescript-eslint/no-misused-promises': 'off'
			}
		}
	});
}
