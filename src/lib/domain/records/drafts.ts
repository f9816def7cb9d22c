import { CODE_LIST_VERSION } from '../codelists/index.js';
import type { RegisteredSite } from '../schemas/site.js';
import { CURRENT_SCHEMA_VERSION, type SurveyRecord } from '../schemas/survey-record.js';

export type DraftOptions = {
	/** A UUID v4 made on the device. */
	id: string;
	/** The moment of creation, as an ISO 8601 date-time with an offset. */
	now: string;
	surveyors?: string[];
	/** `YYYY-MM-DD` of the survey; defaults to the date of `now` in China Standard Time. */
	surveyedOn?: string;
};

/** The calendar date of an instant in China Standard Time (UTC+8), as `YYYY-MM-DD`. */
export function chinaDate(instant: string | Date): string {
	const ms = (typeof instant === 'string' ? Date.parse(instant) : instant.getTime()) + 8 * 3600_000;
	return new Date(ms).toISOString().slice(0, 10);
}

/**
 * A 复查 draft pre-filled from the registry entry: every descriptive field starts as the
 * registry has it, with changeType 无变更. The registry entry itself is never changed.
 * The location starts as the registry's point with source `map`, until the surveyor measures it.
 */
export function newRecheckDraft(site: RegisteredSite, options: DraftOptions): SurveyRecord {
	return {
		id: options.id,
		schemaVersion: CURRENT_SCHEMA_VERSION,
		codeListVersion: CODE_LIST_VERSION,
		kind: '复查',
		siteCode: site.code,
		countyCode: site.countyCode,
		baseRevision: 0,
		name: site.name,
		township: site.township,
		village: site.village ?? '',
		address: site.address,
		changeType: '无变更',
		category: site.category,
		subcategory: site.subcategory,
		era: site.era,
		eraGroup: site.eraGroup,
		protectionLevel: site.protectionLevel,
		ownership: site.ownership,
		usage: [...site.usage],
		condition: site.condition,
		openStatus: site.openStatus,
		threats: [...site.threats],
		areaM2: site.areaM2,
		location: {
			lat: site.location.lat,
			lon: site.location.lon,
			...(site.location.altitude === undefined ? {} : { altitude: site.location.altitude }),
			source: 'map'
		},
		...(site.boundary ? { boundary: structuredClone(site.boundary) } : {}),
		description: site.description,
		photos: [],
		qcNotes: [],
		surveyors: options.surveyors ?? [],
		surveyedOn: options.surveyedOn ?? chinaDate(options.now),
		updatedAt: options.now
	};
}

/** An empty 新发现 draft in a county, located provisionally at `at` (source `map`). */
export function newFindDraft(
	countyCode: SurveyRecord['countyCode'],
	at: { lat: number; lon: number },
	options: DraftOptions
): SurveyRecord {
	return {
		id: options.id,
		schemaVersion: CURRENT_SCHEMA_VERSION,
		codeListVersion: CODE_LIST_VERSION,
		kind: '新发现',
		countyCode,
		baseRevision: 0,
		location: { lat: at.lat, lon: at.lon, source: 'map' },
		photos: [],
		qcNotes: [],
		surveyors: options.surveyors ?? [],
		surveyedOn: options.surveyedOn ?? chinaDate(options.now),
		updatedAt: options.now
	};
}
