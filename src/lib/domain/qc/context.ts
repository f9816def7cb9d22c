import type { CountyCollection } from '../geometry/counties.js';
import type { RegisteredSite } from '../schemas/site.js';
import type { SurveyRecord } from '../schemas/survey-record.js';
import type { QcFinding, QcRuleCode, QcSeverity } from './finding.js';

/** What the rules see besides the record. */
export type QcContext = {
	/** County boundaries (`static/data/ordos-counties.geojson` or the bureau's own). */
	counties: CountyCollection;
	/** Registered sites: at least those of the record's county; may be all. */
	registry: readonly RegisteredSite[];
	/**
	 * The current revision of every OTHER record known (the device: its own; the server: all).
	 * A record with the record's own id is ignored.
	 */
	otherRecords: readonly SurveyRecord[];
	/** The moment of the check (DATE-001 compares China dates against it). */
	now: Date;
	/** LOC-003 threshold in metres; default 10. */
	accuracyThresholdM?: number;
};

export const DEFAULT_ACCURACY_THRESHOLD_M = 10;
/** The census began on 2023-11-01 (国发〔2023〕18号); nothing of it is dated earlier. */
export const CENSUS_START_DATE = '2023-11-01';

export type QcCheck = (record: SurveyRecord, ctx: QcContext) => QcFinding[];

export type QcRule = {
	readonly code: QcRuleCode;
	readonly severity: QcSeverity;
	/** What the rule checks, in Chinese, for lists of rules. */
	readonly title: string;
	readonly check: QcCheck;
};

type Report = (message: string, path?: string) => void;

/** Builds a rule whose body reports findings with the rule's code and severity. */
export function defineRule(
	code: QcRuleCode,
	severity: QcSeverity,
	title: string,
	body: (record: SurveyRecord, ctx: QcContext, report: Report) => void
): QcRule {
	return {
		code,
		severity,
		title,
		check(record, ctx) {
			const findings: QcFinding[] = [];
			body(record, ctx, (message, path) => {
				findings.push(
					path === undefined
						? { rule: code, severity, message }
						: { rule: code, severity, message, path }
				);
			});
			return findings;
		}
	};
}
