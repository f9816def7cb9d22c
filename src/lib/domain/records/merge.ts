import { changedFields } from './identity.js';
import type { HistoryEntry as WireHistoryEntry } from '../sync/wire.js';

/*
 * Resolving a push `conflict` (contract §3) field by field.
 *
 * The device holds its own version of a record; the server answered with `current`, its record
 * of a newer revision. This module lists the top-level fields on which the two differ (with the
 * equality of `changedFields`: key order, empty values, `updatedAt` and `baseRevision` aside),
 * says for each who last changed it on the server (from the record's history), and builds the
 * merged record from the surveyor's choice per field.
 *
 * - A field the two versions agree on MUST be kept as it is.
 * - Every differing field MUST have a choice: without one there is no merged record (nothing is
 *   chosen silently).
 * - The merged record's `baseRevision` MUST be the server's revision, so the next push is
 *   accepted as an edit of exactly what the surveyor saw.
 */

/** Which version of a field to keep. */
export type Choice = 'mine' | 'server';

/** The server's version of a record: `current` of a conflict, split into record and status. */
export type ServerVersion = {
	record: Record<string, unknown>;
	status: string | null;
	revision: number;
};

/** One entry of `GET /api/records/{id}` `history` as far as merging needs it. */
export type HistoryEntry = Pick<WireHistoryEntry, 'revision' | 'at' | 'by' | 'action' | 'changed'>;

/** Who changed a field on the server last, and in which revision. */
export type FieldChange = { revision: number; at: string; by: string };

export type ConflictField = {
	field: string;
	mine: unknown;
	server: unknown;
	/** The server's last change of this field; null when the history does not say. */
	lastChange: FieldChange | null;
};

export type MergeResult =
	{ ok: true; record: Record<string, unknown> } | { ok: false; undecided: string[] };

/**
 * Splits the `current` of a conflict (`{...record, status, revision}`) into the record and its
 * server state. Null when it carries no valid revision (nothing can be merged against it).
 */
export function serverVersion(current: Readonly<Record<string, unknown>>): ServerVersion | null {
	const { status, revision, ...record } = current;
	if (typeof revision !== 'number' || !Number.isInteger(revision) || revision < 1) return null;
	return { record, status: typeof status === 'string' ? status : null, revision };
}

/** The latest history entry up to `revision` that changed `field`. */
export function lastChangeOf(
	field: string,
	history: readonly HistoryEntry[],
	revision = Number.POSITIVE_INFINITY
): FieldChange | null {
	let found: HistoryEntry | null = null;
	for (const entry of history) {
		if (entry.revision > revision || !entry.changed?.includes(field)) continue;
		if (!found || entry.revision > found.revision) found = entry;
	}
	return found ? { revision: found.revision, at: found.at, by: found.by } : null;
}

/** The fields on which the two versions differ, alphabetical, with the server's last change. */
export function conflictFields(
	mine: object,
	server: ServerVersion,
	history: readonly HistoryEntry[] = []
): ConflictField[] {
	const own = mine as Record<string, unknown>;
	return changedFields(own, server.record).map((field) => ({
		field,
		mine: own[field],
		server: server.record[field],
		lastChange: lastChangeOf(field, history, server.revision)
	}));
}

/** The differing fields that have no choice yet. */
export function undecided(
	fields: readonly ConflictField[],
	choices: Readonly<Partial<Record<string, Choice>>>
): string[] {
	return fields.map((f) => f.field).filter((field) => !choices[field]);
}

/**
 * The merged record: the device's record with each differing field taken from the version
 * chosen for it, and `baseRevision` set to the server's revision. `{ok: false}` lists the
 * differing fields without a choice.
 */
export function mergeRecords(
	mine: object,
	server: ServerVersion,
	choices: Readonly<Partial<Record<string, Choice>>>
): MergeResult {
	const own = mine as Record<string, unknown>;
	const fields = changedFields(own, server.record);
	const missing = fields.filter(
		(field) => choices[field] !== 'mine' && choices[field] !== 'server'
	);
	if (missing.length) return { ok: false, undecided: missing };
	const record: Record<string, unknown> = structuredClone(own);
	for (const field of fields) {
		if (choices[field] !== 'server') continue;
		if (Object.hasOwn(server.record, field)) {
			record[field] = structuredClone(server.record[field]);
		} else {
			delete record[field];
		}
	}
	record.baseRevision = server.revision;
	return { ok: true, record };
}
