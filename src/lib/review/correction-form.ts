/**
 * The reviewer's correction form: which input each correctable field takes, and the form's values
 * as the `changes` of a correction (CorrectionBodySchema). Values are checked by the server
 * against the record schema; here they are only shaped.
 */
import {
	CATEGORIES,
	CHANGE_TYPES,
	CONDITIONS,
	ERA_GROUPS,
	INDUSTRY,
	OPEN_STATUS,
	OWNERSHIP,
	PROTECTION_LEVELS,
	SPECIAL_LISTS,
	SUBCATEGORIES,
	THREATS,
	USAGE
} from '$lib/domain/codelists/index.js';
import { CORRECTABLE_FIELDS, type CorrectableField } from '$lib/domain/sync/wire.js';

export type CorrectionInput =
	{ kind: 'text' | 'long' | 'number' } | { kind: 'enum' | 'list'; options: readonly string[] };

const ENUMS: Partial<Record<CorrectableField, readonly string[]>> = {
	changeType: CHANGE_TYPES,
	category: CATEGORIES,
	subcategory: SUBCATEGORIES,
	eraGroup: ERA_GROUPS,
	protectionLevel: PROTECTION_LEVELS,
	ownership: OWNERSHIP,
	industry: INDUSTRY,
	condition: CONDITIONS,
	openStatus: OPEN_STATUS
};
const LISTS: Partial<Record<CorrectableField, readonly string[]>> = {
	usage: USAGE,
	specialLists: SPECIAL_LISTS,
	threats: THREATS
};
const LONG = new Set<CorrectableField>(['address', 'lostReason', 'usageNote', 'description']);

export function isCorrectable(field: string): field is CorrectableField {
	return (CORRECTABLE_FIELDS as readonly string[]).includes(field);
}

/** The input a correctable field takes. */
export function correctionInput(field: CorrectableField): CorrectionInput {
	const list = LISTS[field];
	if (list) return { kind: 'list', options: list };
	const options = ENUMS[field];
	if (options) return { kind: 'enum', options };
	if (field === 'areaM2') return { kind: 'number' };
	return { kind: LONG.has(field) ? 'long' : 'text' };
}

/** The form name of a field's value (`v:description`). */
export const valueName = (field: string) => `v:${field}`;

/** What the form held, to show again after a refusal. */
export type CorrectionEntered = {
	fields: string[];
	values: Record<string, string[]>;
	reason: string;
};

/**
 * The changes the form asks for: each field named by `field` once, its value from `v:<field>`
 * (several for a list field). An empty value clears the field (`null`); a number field that is
 * not a number is kept as text, for the server to refuse with its message.
 */
export function correctionChanges(data: FormData): {
	changes: Record<string, unknown>;
	entered: CorrectionEntered;
} {
	const strings = (name: string) =>
		data.getAll(name).filter((v): v is string => typeof v === 'string');
	const fields = [...new Set(strings('field'))];
	const changes: Record<string, unknown> = {};
	const values: Record<string, string[]> = {};
	for (const field of fields) {
		const raw = strings(valueName(field));
		values[field] = raw;
		if (!isCorrectable(field)) {
			changes[field] = raw[0] ?? null;
			continue;
		}
		const input = correctionInput(field);
		if (input.kind === 'list') {
			const items = raw.map((v) => v.trim()).filter((v) => v !== '');
			changes[field] = items.length > 0 ? items : null;
			continue;
		}
		const text = (raw[0] ?? '').trim();
		if (text === '') changes[field] = null;
		else if (input.kind === 'number') {
			const n = Number(text);
			changes[field] = Number.isFinite(n) ? n : text;
		} else changes[field] = text;
	}
	const reason = strings('reason')[0] ?? '';
	return { changes, entered: { fields, values, reason } };
}
