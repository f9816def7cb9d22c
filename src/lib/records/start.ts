import type { DeviceStore, StoredRecord } from '$lib/db/index.js';
import type { CountyCode } from '$lib/domain/codelists/index.js';
import { newFindDraft, newRecheckDraft, type DraftOptions } from '$lib/domain/records/drafts.js';
import type { RegisteredSite } from '$lib/domain/schemas/site.js';
import type { SurveyRecord } from '$lib/domain/schemas/survey-record.js';
import { planRecheck } from './rules.js';

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

/** A new draft's id, time and surveyors. */
function draftOptions(surveyor: string | undefined): DraftOptions {
	return {
		id: crypto.randomUUID(),
		now: new Date().toISOString(),
		surveyors: surveyor ? [surveyor] : []
	};
}

/**
 * Opens the re-check of a site: the one the device holds (`planRecheck`: a site has at most one
 * open re-check, and a returned one comes first), else a new draft pre-filled from the registry.
 * `another`: the surveyor confirmed a second re-check, made where `planRecheck` allows one (the
 * review of the first is over); elsewhere the current one opens all the same. The rule is asked
 * in the transaction that adds the draft, so two taps (or two tabs) make one draft.
 */
export function openRecheck(
	store: DeviceStore,
	site: RegisteredSite,
	options: { another?: boolean; surveyor?: string } = {}
): Promise<string> {
	return store.addToSite(row(newRecheckDraft(site, draftOptions(options.surveyor))), (rows) => {
		const plan = planRecheck(rows);
		if (plan.action === 'start' || (options.another && plan.another)) return null;
		return plan.current.id;
	});
}

/** Starts a 新发现 in a county, provisionally placed at `at` until a location is taken. */
export async function startNewFind(
	store: DeviceStore,
	countyCode: CountyCode,
	at: { lat: number; lon: number },
	surveyor?: string
): Promise<string> {
	const record = newFindDraft(countyCode, at, draftOptions(surveyor));
	await store.putRecord(row(record));
	return record.id;
}
