import { isEmpty } from '../schemas/common.js';

/** Fields that say when and from what a record was sent, not what it says (contract §3). */
const NOT_CONTENT = new Set(['updatedAt', 'baseRevision']);

function canonical(value: unknown, top: boolean): unknown {
	if (Array.isArray(value)) return value.map((item) => canonical(item, false));
	if (value !== null && typeof value === 'object') {
		const out: Record<string, unknown> = {};
		for (const key of Object.keys(value).sort()) {
			if (top && NOT_CONTENT.has(key)) continue;
			const item = (value as Record<string, unknown>)[key];
			// absent, null, "" and [] all mean "not filled in" (contract §2)
			if (isEmpty(item)) continue;
			out[key] = canonical(item, false);
		}
		return out;
	}
	return value;
}

/**
 * The canonical text of a record's content: keys sorted, empty values and `updatedAt`/
 * `baseRevision` left out. Two pushes with the same text are the same content (`unchanged`).
 */
export function canonicalContent(record: object): string {
	return JSON.stringify(canonical(record, true));
}

/**
 * The top-level fields whose content differs between two versions of a record (the same
 * equality as `canonicalContent`: key order, empty values, `updatedAt` and `baseRevision` aside),
 * in alphabetical order.
 */
export function changedFields(before: object | null | undefined, after: object): string[] {
	const a = (before ? canonical(before, true) : {}) as Record<string, unknown>;
	const b = canonical(after, true) as Record<string, unknown>;
	return [...new Set([...Object.keys(a), ...Object.keys(b)])]
		.filter((key) => JSON.stringify(a[key]) !== JSON.stringify(b[key]))
		.sort();
}
