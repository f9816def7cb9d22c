import {
	CATEGORIES,
	CONDITIONS,
	ERA_GROUPS,
	PROTECTION_LEVELS,
	RECORD_STATUSES,
	THREATS,
	type RecordStatus
} from './codelists/index.js';

/**
 * The census statistics of a scope of counties (issue 14 point 2): what `GET /api/review/stats`
 * answers and the page /review/stats shows. Every figure counts records of the review queue or
 * sites of the registry (`sites`), as stored now.
 */

/** The breakdowns, each over a code list of the survey record (threats: a record may have many). */
export const STAT_DIMENSIONS = {
	category: CATEGORIES,
	eraGroup: ERA_GROUPS,
	protectionLevel: PROTECTION_LEVELS,
	condition: CONDITIONS,
	threats: THREATS
} as const;
export type StatDimension = keyof typeof STAT_DIMENSIONS;
export const STAT_DIMENSION_NAMES = Object.keys(STAT_DIMENSIONS) as StatDimension[];

/** One county's figures (or the scope's, summed). */
export type CountyFigures = {
	county: string;
	/** registered sites (the registry) */
	sites: number;
	/** registered sites with a 复查 record */
	rechecked: number;
	/** of those, sites with a 复查 record the city accepted (or published) */
	recheckedAccepted: number;
	/** records, every status */
	records: number;
	/** 复查 records */
	rechecks: number;
	/** 新发现 records */
	newFinds: number;
	/** 复查 records whose changeType is 消失 */
	lost: number;
	/** records per status now (each status present, 0 when none) */
	byStatus: Record<RecordStatus, number>;
	/** records the city accepted: status accepted or published */
	accepted: number;
};

/** One row of a breakdown: the term ('' = not filled in), per county, and the sum. */
export type BreakdownRow = { term: string; byCounty: Record<string, number>; total: number };

/** One week (Monday, China Standard Time, YYYY-MM-DD): records first received, and accepted. */
export type WeekFigures = { week: string; received: number; accepted: number };

export type CensusStats = {
	/** the counties of the scope, in code-list order */
	counties: string[];
	generatedAt: string;
	perCounty: CountyFigures[];
	total: CountyFigures;
	breakdowns: Record<StatDimension, BreakdownRow[]>;
	weekly: WeekFigures[];
};

/** Figures with every count 0. */
export function emptyFigures(county: string): CountyFigures {
	return {
		county,
		sites: 0,
		rechecked: 0,
		recheckedAccepted: 0,
		records: 0,
		rechecks: 0,
		newFinds: 0,
		lost: 0,
		byStatus: Object.fromEntries(RECORD_STATUSES.map((s) => [s, 0])) as Record<
			RecordStatus,
			number
		>,
		accepted: 0
	};
}

/** The sum of `rows` as the figures of `county` (the scope's total: county ''). */
export function sumFigures(rows: readonly CountyFigures[], county = ''): CountyFigures {
	const total = emptyFigures(county);
	for (const row of rows) {
		total.sites += row.sites;
		total.rechecked += row.rechecked;
		total.recheckedAccepted += row.recheckedAccepted;
		total.records += row.records;
		total.rechecks += row.rechecks;
		total.newFinds += row.newFinds;
		total.lost += row.lost;
		total.accepted += row.accepted;
		for (const s of RECORD_STATUSES) total.byStatus[s] += row.byStatus[s];
	}
	return total;
}

/** The review queue's query parameter that filters each breakdown (an additive queue filter). */
export const STAT_QUEUE_PARAM: Record<StatDimension, string> = {
	category: 'category',
	eraGroup: 'era',
	protectionLevel: 'level',
	condition: 'condition',
	threats: 'threat'
};
