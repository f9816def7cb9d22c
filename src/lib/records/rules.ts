/**
 * The rules the screens ask before they offer an action on a record: whether a site's re-check
 * is opened or started, and whether a record may be deleted. Pure: the caller reads the rows,
 * the rule decides, and `DeviceStore` asks the same rule again inside its transaction.
 */
import type { DeviceStatus } from '$lib/domain/codelists/index.js';
import type { StoredRecord } from '$lib/db/index.js';
import { currentOf, isFinal, recordStatus, type StatusRow } from './status.js';

export type RecheckRow = StatusRow & Pick<StoredRecord, 'id' | 'updatedAt'>;

/**
 * What the site page offers for a site, given the re-checks of it on this device:
 * - `start`: there is none; 开始复查 makes one.
 * - `open`: there is one (`current`, the record `currentOf` picks) and the page opens it. A site
 *   has at most one open re-check, so a second one may be made only when the review of every
 *   record of the site is over (`another: true`), and only after the surveyor confirms it.
 */
export type RecheckPlan<T extends RecheckRow = RecheckRow> =
	{ action: 'start' } | { action: 'open'; current: T; status: DeviceStatus; another: boolean };

export function planRecheck<T extends RecheckRow>(records: readonly T[]): RecheckPlan<T> {
	const rows = records.map((row) => ({ row, status: recordStatus(row), updatedAt: row.updatedAt }));
	const current = currentOf(rows);
	if (!current) return { action: 'start' };
	return {
		action: 'open',
		current: current.row,
		status: current.status,
		another: rows.every((r) => isFinal(r.status))
	};
}

export type DeleteRow = StatusRow &
	Pick<StoredRecord, 'serverRevision' | 'conflict' | 'resolvedConflicts'> & {
		record: Pick<StoredRecord['record'], 'baseRevision'>;
	};

export type DeleteVerdict = { ok: true } | { ok: false; reason: 'not-draft' | 'sent' };

/**
 * A record may be deleted from the device only while it is a draft (草稿) that never left it:
 * no server status or revision, no conflict with a server version, not based on a server
 * revision. Anything the server has seen stays (it is the surveyor's evidence for the review),
 * and a record in the outbox must be reopened first.
 */
export function mayDelete(row: DeleteRow): DeleteVerdict {
	if (recordStatus(row) !== '草稿') return { ok: false, reason: 'not-draft' };
	const sent =
		row.serverStatus !== undefined ||
		row.serverRevision !== undefined ||
		row.conflict !== undefined ||
		(row.resolvedConflicts?.length ?? 0) > 0 ||
		row.record.baseRevision > 0;
	return sent ? { ok: false, reason: 'sent' } : { ok: true };
}

// ---- teammates' records (issue 13 point 2, device side) ------------------------------------

export type CopyRow = Pick<StoredRecord, 'teammate' | 'localState' | 'outbox' | 'serverStatus'>;

/**
 * A teammate's record held exactly as the server last gave it: no local edit of this surveyor
 * waits in it (not a draft, nothing in the outbox, no conflict). Only such a copy is replaced
 * by a newer revision from the server, or removed when its author leaves the team; a copy
 * with unsent edits is never touched (they are this surveyor's work).
 */
export function isTeammateCopy(row: CopyRow): boolean {
	return row.teammate !== undefined && row.localState === 'finalized' && row.outbox === undefined;
}

/**
 * A teammate's record may be revised on this device (修改队友记录: it becomes a draft here, and
 * its next push is the teammate's revision) while the server would take a push of it: its
 * status is `submitted` or `returned`, not locked by an approval.
 */
export function mayRevise(row: CopyRow): boolean {
	return (
		isTeammateCopy(row) && (row.serverStatus === 'submitted' || row.serverStatus === 'returned')
	);
}
