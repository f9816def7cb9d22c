import {
	DEVICE_STATUSES,
	DEVICE_STATUS_OF,
	RECORD_STATUSES,
	type DeviceStatus
} from '$lib/domain/codelists/index.js';
import type { StoredRecord } from '$lib/db/index.js';
import { returnTask, type ReturnTask } from './tasks.js';

export type StatusRow = Pick<StoredRecord, 'localState' | 'serverStatus' | 'outbox'>;

/**
 * THE state of a record on this device (contract §2): 草稿 → 待上传 → 上传中 → 已送达 → 已退回 /
 * 审核中 → 已通过 → 已公布. A record in the outbox is 待上传 (上传中 while its photos go up)
 * whatever the server said before; a returned record being fixed stays 已退回; a conflict is
 * 冲突 until the surveyor decides. Every screen, list and count MUST take a record's state from
 * here (words: `statusText` in status-text.ts).
 */
export function recordStatus(row: StatusRow, uploading = false): DeviceStatus {
	if (row.outbox === 'conflict') return '冲突';
	if (row.outbox === 'queued') return uploading ? '上传中' : '待上传';
	if (row.localState === 'draft') return row.serverStatus === 'returned' ? '已退回' : '草稿';
	if (row.serverStatus) return DEVICE_STATUS_OF[row.serverStatus];
	return '待上传';
}

/** The device's words for a status the server reports (a conflict's server version); null if unknown. */
export function serverStatusOf(status: unknown): DeviceStatus | null {
	return (RECORD_STATUSES as readonly unknown[]).includes(status)
		? DEVICE_STATUS_OF[status as (typeof RECORD_STATUSES)[number]]
		: null;
}

/** The review is over: the city accepted the record (已通过) or published it (已公布). */
export function isFinal(status: DeviceStatus): boolean {
	return status === '已通过' || status === '已公布';
}

/** The surveyor finished the record at least once (待上传 or any later state). */
export function isFinished(status: DeviceStatus): boolean {
	return status !== '未复查' && status !== '草稿';
}

/** The surveyor can edit it now: a draft, or a record the reviewer returned. */
export function isEditable(status: DeviceStatus): boolean {
	return status === '草稿' || status === '已退回';
}

/**
 * Which of several records of one site the site shows and opens: the one that needs the surveyor
 * (冲突, 已退回), then an unfinished draft, then the one furthest from done, newest first; a
 * final one only when no other is left.
 */
const SHOW_ORDER: readonly DeviceStatus[] = [
	'冲突',
	'已退回',
	'草稿',
	'上传中',
	'待上传',
	'已送达',
	'审核中',
	'已通过',
	'已公布',
	'未复查'
];

export function currentOf<T extends { status: DeviceStatus; updatedAt: string }>(
	records: readonly T[]
): T | null {
	let best: T | null = null;
	for (const r of records) {
		if (!best) {
			best = r;
			continue;
		}
		const rank = SHOW_ORDER.indexOf(r.status) - SHOW_ORDER.indexOf(best.status);
		if (rank < 0 || (rank === 0 && r.updatedAt > best.updatedAt)) best = r;
	}
	return best;
}

export type RecordSummary = {
	id: string;
	kind: StoredRecord['kind'];
	siteCode: string;
	name: string;
	status: DeviceStatus;
	updatedAt: string;
	/** A returned record (已退回): the task home lists for it (never a teammate's). */
	task?: ReturnTask;
	/** Issue 13: a teammate's record, the name of its author (队友 张三). */
	teammate?: string;
};

export function summarizeRecord(
	row: StoredRecord,
	uploadingId: string | null = null
): RecordSummary {
	const status = recordStatus(row, row.id === uploadingId);
	return {
		id: row.id,
		kind: row.kind,
		siteCode: row.siteCode,
		name: row.record.name ?? '',
		status,
		updatedAt: row.updatedAt,
		...(status === '已退回' && !row.teammate ? { task: returnTask(row) } : {}),
		...(row.teammate ? { teammate: row.teammate.name } : {})
	};
}

function bySite<T extends { siteCode: string }>(records: readonly T[]): Map<string, T[]> {
	const sites = new Map<string, T[]>();
	for (const r of records) {
		if (!r.siteCode) continue;
		const list = sites.get(r.siteCode);
		if (list) list.push(r);
		else sites.set(r.siteCode, [r]);
	}
	return sites;
}

/**
 * Per site, the status of the record the site shows (`currentOf`); sites without one are
 * 未复查. `uploadingId`: the record whose photos go up now (its 待上传 shows as 上传中).
 */
export function statusBySite(
	records: readonly RecordSummary[],
	uploadingId: string | null = null
): Record<string, DeviceStatus> {
	const out: Record<string, DeviceStatus> = {};
	for (const [code, list] of bySite(records)) {
		const r = currentOf(list)!;
		out[code] = r.id === uploadingId && r.status === '待上传' ? '上传中' : r.status;
	}
	return out;
}

export type RecordCounts = {
	/**
	 * Registered sites with at least one re-check finished (待上传 or later), teammates' too
	 * (issue 13): a site a teammate re-checked is the team's work done, not to be re-checked.
	 */
	rechecked: number;
	/** The surveyor's own 新发现 (a teammate's are counted on the teammate's device). */
	newFinds: number;
	/** Waiting to be sent or being sent (待上传, 上传中): what this device sends, revisions of teammates' records too. */
	pending: number;
	/** The surveyor's own records returned (returns go to the author). */
	returned: number;
	/** Teammates' records on this device (issue 13). */
	teammates: number;
	conflicts: number;
	byStatus: Record<DeviceStatus, number>;
};

/** Every count a screen shows, from the records' states (`recordStatus`) and nothing else. */
export function countRecords(
	records: readonly Pick<RecordSummary, 'kind' | 'siteCode' | 'status' | 'teammate'>[]
): RecordCounts {
	const byStatus = Object.fromEntries(DEVICE_STATUSES.map((s) => [s, 0])) as Record<
		DeviceStatus,
		number
	>;
	const done = new Set<string>();
	let newFinds = 0;
	let teammates = 0;
	let teammatesReturned = 0;
	for (const r of records) {
		byStatus[r.status]++;
		if (r.teammate !== undefined) {
			teammates++;
			if (r.status === '已退回') teammatesReturned++;
		}
		if (r.kind === '新发现') {
			if (r.teammate === undefined) newFinds++;
		} else if (r.siteCode && isFinished(r.status)) done.add(r.siteCode);
	}
	return {
		rechecked: done.size,
		newFinds,
		pending: byStatus['待上传'] + byStatus['上传中'],
		returned: byStatus['已退回'] - teammatesReturned,
		teammates,
		conflicts: byStatus['冲突'],
		byStatus
	};
}
