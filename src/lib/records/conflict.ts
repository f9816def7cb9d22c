import type { DeviceStore, StoredRecord } from '$lib/db/index.js';
import { RECORD_STATUSES } from '$lib/domain/codelists/index.js';
import { mergeRecords, serverVersion, type Choice } from '$lib/domain/records/merge.js';
import type { SurveyRecord } from '$lib/domain/schemas/survey-record.js';

export type ResolveOutcome =
	| { ok: true; row: StoredRecord }
	| { ok: false; reason: 'gone' | 'resolved' | 'newer'; undecided?: undefined }
	| { ok: false; reason: 'undecided'; undecided: string[] };

/**
 * Resolves a record's conflict with the surveyor's choice per differing field, in one write:
 * the merged record (at the server's revision) replaces the content and joins the outbox, the
 * device's previous version and the server's are kept in `resolvedConflicts`, and the conflict
 * is cleared. Nothing is written when the record is no longer in conflict, when a newer server
 * version arrived since the screen was opened (`revision` differs), or a field has no choice.
 */
export async function resolveConflict(
	store: DeviceStore,
	id: string,
	revision: number,
	choices: Readonly<Partial<Record<string, Choice>>>,
	now: string
): Promise<ResolveOutcome> {
	// Set inside the transaction; `as` keeps TypeScript from narrowing it to this first value.
	let outcome = { ok: false, reason: 'gone' } as ResolveOutcome;
	const row = await store.updateRecord(id, (row) => {
		const server = row.conflict && serverVersion(row.conflict.current);
		if (row.outbox !== 'conflict' || !row.conflict || !server) {
			outcome = { ok: false, reason: 'resolved' };
			return undefined;
		}
		if (server.revision !== revision) {
			outcome = { ok: false, reason: 'newer' };
			return undefined;
		}
		const merged = mergeRecords(row.record, server, choices);
		if (!merged.ok) {
			outcome = { ok: false, reason: 'undecided', undecided: merged.undecided };
			return undefined;
		}
		const decided = Object.fromEntries(
			Object.entries(choices).filter((e): e is [string, Choice] => e[1] !== undefined)
		);
		const next: StoredRecord = {
			...row,
			record: { ...(merged.record as SurveyRecord), updatedAt: now },
			localState: 'finalized',
			outbox: 'queued',
			serverRevision: server.revision,
			resolvedConflicts: [
				...(row.resolvedConflicts ?? []),
				{ mine: row.record, server: row.conflict.current, choices: decided, at: now }
			].slice(-50),
			updatedAt: now
		};
		const status = RECORD_STATUSES.find((s) => s === server.status);
		if (status) next.serverStatus = status;
		delete next.conflict;
		delete next.syncIssues;
		outcome = { ok: true, row: next };
		return next;
	});
	if (outcome.ok && row) return { ok: true, row };
	return outcome;
}
