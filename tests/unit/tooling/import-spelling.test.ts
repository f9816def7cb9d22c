import { describe, expect, it } from 'vitest';
import { probeLinter } from './lint-probe.js';

// One spelling per import (eslint/import-spelling.js): each project module is named by its file,
// through $lib where Vite resolves the import and relative where tsx or Playwright load the file.
describe('ESLint keeps one spelling per import', () => {
	const eslint = probeLinter(true);
	/** The spelling the rule fixes `spelled` to, in a probe at `filePath` (unchanged when right). */
	const fixed = async (spelled: string, filePath: string) => {
		const code = `import { x } from '${spelled}';\nexport const used = x;\n`;
		const [result] = await eslint.lintText(code, { filePath });
		const source = result!.output ?? code;
		return /from '([^']+)'/.exec(source)![1];
	};
	const APP = 'src/lib/sync/probe.ts';
	const ROUTE = 'src/routes/(survey)/probe.ts';
	const SERVER = 'src/lib/server/sync/probe.ts';
	const UNIT = 'tests/unit/sync/probe.test.ts';
	const BENCH = 'bench/probe.ts';

	it.each([
		// the device's database, four ways of old: one
		['$lib/db', APP, '$lib/db/index.js'],
		['$lib/db/index', APP, '$lib/db/index.js'],
		['../db/index.js', APP, '$lib/db/index.js'],
		['$lib/db/index.js', APP, '$lib/db/index.js'],
		// beside the importer: relative, with its extension
		['./api', APP, './api.js'],
		['$lib/sync/api.js', APP, './api.js'],
		// a runes module
		['$lib/state/draft.svelte', ROUTE, '$lib/state/draft.svelte.js'],
		// the server and the engine: relative (tsx runs them)
		['$lib/domain/sync/wire.js', SERVER, '../../domain/sync/wire.js'],
		['../../domain/sync/wire', SERVER, '../../domain/sync/wire.js'],
		['../../domain/sync/wire.js', SERVER, '../../domain/sync/wire.js'],
		// tests under vitest: $lib; bench under tsx: relative
		['../../../src/lib/format', UNIT, '$lib/format.js'],
		['$lib/format.js', BENCH, '../src/lib/format.js'],
		// packages and SvelteKit's generated types are left alone
		['zod', APP, 'zod'],
		['./$types', ROUTE, './$types']
	])('spells %s in %s as %s', { timeout: 30_000 }, async (spelled, file, expected) => {
		expect(await fixed(spelled, file)).toBe(expected);
	});
});
