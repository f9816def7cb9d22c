import { DEVICE_STATUS_OF, type DeviceStatus } from '$lib/domain/codelists/index.js';
import type { StoredRecord } from '$lib/db';

/** What the device shows for a record (contract §2): the server's word once it has one. */
export function recordStatus(row: Pick<StoredRecord, 'localState' | 'serverStatus'>): DeviceStatus {
	if (row.serverStatus) return DEVICE_STATUS_OF[row.serverStatus];
	return row.localState === 'draft' ? '草稿' : '待上传';
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
export function statusBySite(records: readonly RecordSummary[]): Record<string, DeviceStatus> {
	const latest: Record<string, RecordSummary> = {};
	for (const r of records) {
		if (!r.siteCode) continue;
		const seen = latest[r.siteCode];
		if (!seen || seen.updatedAt < r.updatedAt) latest[r.siteCode] = r;
	}
	return Object.fromEntries(Object.entries(latest).map(([code, r]) => [code, r.status]));
}
