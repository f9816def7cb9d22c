// The allow-list that keeps src/lib/domain pure (issue 11): the engine is shared by the device
// and the server, so it imports only itself, zod, Turf and GeoJSON's types. A relative import
// is resolved against the importing file, so every spelling of an escape (`../db`, `../../db`,
// `./x/../../db`) is caught; `$lib/…` counts only when it stays under `$lib/domain/`.
import { dirname, relative, resolve, sep } from 'node:path';

const ALLOWED_PACKAGES = [/^zod(\/.*)?$/, /^@turf\/[^/]+$/, /^geojson$/];

function domainRoot(filename) {
	const at = filename.split(sep).join('/').lastIndexOf('/src/lib/domain/');
	return at < 0 ? undefined : filename.slice(0, at) + `${sep}src${sep}lib${sep}domain`;
}

/** @type {import('eslint').Rule.RuleModule} */
const rule = {
	meta: {
		type: 'problem',
		schema: [],
		messages: {
			outside:
				"src/lib/domain must stay pure: '{{source}}' is outside it (allowed: src/lib/domain itself, zod, @turf/*, geojson)."
		}
	},
	create(context) {
		const filename = context.filename;
		const root = domainRoot(filename);
		if (!root) return {};
		const check = (node) => {
			if (!node.source || typeof node.source.value !== 'string') return;
			const source = node.source.value;
			let allowed;
			if (source.startsWith('.')) {
				const target = resolve(dirname(filename), source);
				const rel = relative(root, target);
				allowed = rel !== '' && !rel.startsWith('..') && !rel.startsWith(sep);
			} else if (source.startsWith('$lib/')) {
				allowed = /^\$lib\/domain\/[^]+$/.test(source) && !source.split('/').includes('..');
			} else {
				allowed = ALLOWED_PACKAGES.some((p) => p.test(source));
			}
			if (!allowed) context.report({ node: node.source, messageId: 'outside', data: { source } });
		};
		return {
			ImportDeclaration: check,
			ExportNamedDeclaration: check,
			ExportAllDeclaration: check,
			ImportExpression: (node) =>
				check({ source: node.source.type === 'Literal' ? node.source : undefined })
		};
	}
};

export default { rules: { 'allowed-imports': rule } };
