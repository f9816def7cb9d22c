import type { DeviceStore } from '$lib/db/index.js';
import { fetchCounties } from '$lib/map/counties.js';
import type { QcFinding } from '$lib/domain/qc/finding.js';
import type { CountyCollection } from '$lib/domain/geometry/counties.js';
import type { SurveyRecord } from '$lib/domain/schemas/survey-record.js';

/**
 * Runs the QC engine on the device, as far as the device's data allows (qc-rules.md): the
 * county boundaries, the registry of the record's county, and this device's other records.
 */
export async function checkRecord(
	store: DeviceStore,
	record: SurveyRecord,
	loadCounties: () => Promise<CountyCollection> = fetchCounties
): Promise<QcFinding[]> {
	const [{ runQc }, counties, registry, rows] = await Promise.all([
		import('$lib/domain/qc/index.js'),
		loadCounties(),
		store.sitesOf(record.countyCode),
		store.recordsOf(record.countyCode)
	]);
	return runQc(record, {
		counties,
		registry,
		otherRecords: rows.filter((r) => r.id !== record.id).map((r) => r.record),
		now: new Date()
	});
}
