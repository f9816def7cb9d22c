import type { SurveyRecord } from '../../domain/schemas/survey-record.js';

/**
 * The columns a record's row keeps of its content for the statistics and the queue's statistics
 * filters (issue 14 point 2, migration 0015): read as columns of one covering index, so counting
 * 100,000 records parses no JSON. Not filled in (absent, null, '' or []) is null; threats are
 * kept as `|a|b|` (a term is matched as `%|term|%`; no code-list term holds a `|`).
 */
export function statColumns(record: Partial<SurveyRecord>) {
	const term = (value: string | null | undefined) => (value ? value : null);
	const threats = (record.threats ?? []).filter((t) => t);
	return {
		stat_change: term(record.changeType),
		stat_era: term(record.eraGroup),
		stat_level: term(record.protectionLevel),
		stat_condition: term(record.condition),
		stat_threats: threats.length > 0 ? `|${threats.join('|')}|` : null
	};
}

/** The statistics' columns, as migration 0015 makes them. */
export const STAT_COLUMNS = [
	'stat_change',
	'stat_era',
	'stat_level',
	'stat_condition',
	'stat_threats'
] as const;
