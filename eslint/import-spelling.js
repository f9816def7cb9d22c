// One spelling per import (issue 11 point 5). A module of the project is named by the file it is,
// so every import of it from the same place reads the same:
// - with its extension as an ES module names it: `.js` for a TypeScript module (`x.svelte.js` for
//   `x.svelte.ts`), `.svelte`, `.json`; a folder's index as `…/index.js`;
// - through `$lib/…` where Vite or vitest resolve the import (the app, unit, API and browser
//   tests), unless a module of src/lib imports one beside it or below it (`./…`);
// - relative where tsx or Playwright load the file too, which know no `$lib`: the server, the
//   domain engine, the demo generator, scripts, bench, e2e tests and the shared test fixtures.
// The rule fixes what it reports (`eslint --fix`).
import { existsSync, statSync } from 'node:fs';
import { dirname, relative, resolve, sep } from 'node:path';

/** Folders (from the project root) whose files only Vite or vitest load, less RELATIVE_ONLY. */
const VITE = ['src/', 'tests/unit/', 'tests/api/', 'tests/browser/'];
/** Folders whose files are loaded outside Vite too (with the root's config files). */
const RELATIVE_ONLY = [
	'src/lib/server/',
	'src/lib/domain/',
	'src/lib/demo/',
	'scripts/',
	'bench/',
	'tests/e2e/',
	'tests/fixtures/',
	'eslint/'
];

const posix = (p) => p.split(sep).join('/');

/** The project root: the folder above `src/`, `tests/`, … that holds package.json. */
function projectRoot(filename) {
	let dir = dirname(filename);
	while (dir !== dirname(dir)) {
		if (existsSync(resolve(dir, 'package.json')) && existsSync(resolve(dir, 'src'))) return dir;
		dir = dirname(dir);
	}
	return undefined;
}

const isFile = (p) => existsSync(p) && statSync(p).isFile();

/** The file an import names, or undefined when it names none that exists. */
function targetFile(base) {
	if (isFile(base) && !base.endsWith('.js')) return base;
	const stem = base.endsWith('.js') ? base.slice(0, -3) : base;
	for (const candidate of [`${stem}.ts`, `${stem}.js`, `${base}.ts`, `${base}.js`]) {
		if (isFile(candidate)) return candidate;
	}
	for (const index of ['index.ts', 'index.js']) {
		if (isFile(resolve(base, index))) return resolve(base, index);
	}
	return isFile(base) ? base : undefined;
}

/** How the importer must spell an import of `target` (both absolute). */
export function canonicalSpelling(root, importer, target) {
	const named = target.endsWith('.ts') ? `${target.slice(0, -3)}.js` : target;
	const fromRoot = posix(relative(root, importer));
	const lib = resolve(root, 'src', 'lib');
	const inLib = posix(relative(lib, named));
	const here = dirname(importer);
	const fromHere = posix(relative(here, named));
	const viteOnly =
		VITE.some((folder) => fromRoot.startsWith(folder)) &&
		!RELATIVE_ONLY.some((folder) => fromRoot.startsWith(folder));
	const besideOrBelow = !fromHere.startsWith('..') && fromRoot.startsWith('src/lib/');
	if (viteOnly && !inLib.startsWith('..') && !besideOrBelow) return `$lib/${inLib}`;
	return fromHere.startsWith('.') ? fromHere : `./${fromHere}`;
}

/** @type {import('eslint').Rule.RuleModule} */
const rule = {
	meta: {
		type: 'suggestion',
		fixable: 'code',
		schema: [],
		messages: { spelling: "Spell this import '{{canonical}}' (one spelling per import)." }
	},
	create(context) {
		const filename = context.filename;
		const root = projectRoot(filename);
		if (!root) return {};
		const check = (node) => {
			const literal = node.source;
			if (!literal || literal.type !== 'Literal' || typeof literal.value !== 'string') return;
			const [path, query] = literal.value.split('?');
			if (!path || path.endsWith('/$types') || path === './$types') return;
			let base;
			if (path.startsWith('$lib/')) base = resolve(root, 'src', 'lib', path.slice(5));
			else if (path.startsWith('.')) base = resolve(dirname(filename), path);
			else return;
			const target = targetFile(base);
			if (!target) return;
			const canonical = canonicalSpelling(root, filename, target) + (query ? `?${query}` : '');
			if (canonical === literal.value) return;
			const quote = literal.raw?.[0] ?? "'";
			context.report({
				node: literal,
				messageId: 'spelling',
				data: { canonical },
				fix: (fixer) => fixer.replaceText(literal, `${quote}${canonical}${quote}`)
			});
		};
		return {
			ImportDeclaration: check,
			ExportNamedDeclaration: check,
			ExportAllDeclaration: check,
			ImportExpression: check
		};
	}
};

export default { rules: { spelling: rule } };
