import { DEVICE_STATUS_OF, type DeviceStatus } from '$lib/domain/codelists/index.js';
import type { StoredRecord } from '$lib/db';

export type StatusRow = Pick<StoredRecord, 'localState' | 'serverStatus' | 'outbox'>;

/**
 * What the device shows for a record (contract §2): 草稿 → 待上传 → 上传中 → 已送达 → 已退回 /
 * 审核中 → 已通过 → 已公布. A record in the outbox is 待上传 (上传中 while its photos go up)
 * whatever the server said before; a returned record being fixed stays 已退回; a conflict is
 * 冲突 until the surveyor decides.
 */
export function recordStatus(row: StatusRow, uploading = false): DeviceStatus {
	if (row.outbox === 'conflict') return '冲突';
	if (row.outbox === 'queued') return uploading ? '上传中' : '待上传';
	if (row.localState === 'draft') return row.serverStatus === 'returned' ? '已退回' : '草稿';
	if (row.serverStatus) return DEVICE_STATUS_OF[row.serverStatus];
	return '待上传';
}

/**
 * The status as words, with the photo count while uploading (上传中 2/5); a conflict says that
 * it waits for the surveyor (冲突 待处理).
 */
export function statusText(status: DeviceStatus, upload?: { done: number; total: number }): string {
	if (status === '冲突') return '冲突 待处理';
	return status === '上传中' && upload ? `上传中 ${upload.done}/${upload.total}` : status;
}

export type RecordSummary = {
	id: string;
	kind: StoredRecord['kind'];
	siteCode: string;
	name: string;
	status: DeviceStatus;
	updatedAt: string;
};

export function summarizeRecord(row: StoredRecord): RecordSummary {
	return {
		id: row.id,
		kind: row.kind,
		siteCode: row.siteCode,
		name: row.record.name ?? '',
		status: recordStatus(row),
		updatedAt: row.updatedAt
	};
}

/** Per site, the status of its latest record; sites without one are 未复查. */
export function statusBySite(
	records: readonly RecordSummary[],
	uploadingId: string | null = null
): Record<string, DeviceStatus> {
	const latest: Record<string, RecordSummary> = {};
	for (const r of records) {
		if (!r.siteCode) continue;
		const seen = latest[r.siteCode];
		if (!seen || seen.updatedAt < r.updatedAt) latest[r.siteCode] = r;
	}
	return Object.fromEntries(
		Object.entries(latest).map(([code, r]) => [
			code,
			r.id === uploadingId && r.status === '待上传' ? '上传中' : r.status
		])
	);
}
