import type { DeviceStore, StoredRecord } from '$lib/db';
import type { CountyCode } from '$lib/domain/codelists/index.js';
import { newFindDraft, newRecheckDraft } from '$lib/domain/records/drafts.js';
import type { RegisteredSite } from '$lib/domain/schemas/site.js';
import type { SurveyRecord } from '$lib/domain/schemas/survey-record.js';

function row(record: SurveyRecord): StoredRecord {
	return {
		id: record.id,
		countyCode: record.countyCode,
		kind: record.kind,
		siteCode: record.siteCode ?? '',
		localState: 'draft',
		locationTaken: false,
		record,
		createdAt: record.updatedAt,
		updatedAt: record.updatedAt
	};
}

/**
 * Opens the re-check of a site: the draft already on the device if there is one (a site has at
 * most one open draft), else a new draft pre-filled from the registry.
 */
export async function startRecheck(
	store: DeviceStore,
	site: RegisteredSite,
	surveyor?: string
): Promise<string> {
	const existing = (await store.recordsOfSite(site.code)).find((r) => r.localState === 'draft');
	if (existing) return existing.id;
	const record = newRecheckDraft(site, {
		id: crypto.randomUUID(),
		now: new Date().toISOString(),
		surveyors: surveyor ? [surveyor] : []
	});
	await store.putRecord(row(record));
	return record.id;
}

/** Starts a 新发现 in a county, provisionally placed at `at` until a location is taken. */
export async function startNewFind(
	store: DeviceStore,
	countyCode: CountyCode,
	at: { lat: number; lon: number },
	surveyor?: string
): Promise<string> {
	const record = newFindDraft(countyCode, at, {
		id: crypto.randomUUID(),
		now: new Date().toISOString(),
		surveyors: surveyor ? [surveyor] : []
	});
	await store.putRecord(row(record));
	return record.id;
}
