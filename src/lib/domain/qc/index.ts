/**
 * The QC engine (`qc-rules.md` version 1). One pure module: the device runs it before a record is
 * finalized, the server on every stored revision, so both agree.
 *
 * Contract:
 * - `runQc` MUST be deterministic: findings come in the order of `RULES` (the rules' table), then
 *   by `path`; it MUST NOT change its inputs.
 * - Each rule is O(registry + otherRecords + photos) per record at most.
 * - A 复查 that changes nothing, of a registry entry that is itself in order, raises no finding.
 */
import type { SurveyRecord } from '../schemas/survey-record.js';
import type { QcContext, QcRule } from './context.js';
import { comparePaths, type QcFinding } from './finding.js';
import { GEO_001, GEO_002, GEO_003 } from './rules/boundary.js';
import { CHG_001, CHG_002, LVL_001 } from './rules/change.js';
import { CAT_001, REQ_001, TXT_001 } from './rules/completeness.js';
import { DATE_001 } from './rules/dates.js';
import { DUP_001, DUP_002, DUP_003, DUP_004 } from './rules/duplicates.js';
import { ERA_001, ERA_002 } from './rules/era.js';
import { LOC_001, LOC_002, LOC_003 } from './rules/location.js';
import { PHO_001, PHO_002, PHO_003, PHO_004 } from './rules/photos.js';

export * from './finding.js';
export * from './context.js';
export * from './finalize.js';
export { diffAgainstSite, SITE_DIFF_FIELDS } from './diff.js';
export type { SiteFieldChange, SiteDiffField, SiteValue } from './diff.js';
export { FIELD_LABELS } from './describe.js';
export { erasNamedIn, type NamedEra } from './rules/era.js';

/** Every rule, in the order of the rules' table. */
export const RULES: readonly QcRule[] = [
	REQ_001,
	CAT_001,
	ERA_001,
	ERA_002,
	LOC_001,
	LOC_002,
	LOC_003,
	GEO_001,
	GEO_002,
	GEO_003,
	DUP_001,
	DUP_002,
	DUP_003,
	DUP_004,
	PHO_001,
	PHO_002,
	PHO_003,
	PHO_004,
	TXT_001,
	CHG_001,
	CHG_002,
	LVL_001,
	DATE_001
];

/** Runs every rule on a record; findings in rule order, then by path. */
export function runQc(record: SurveyRecord, ctx: QcContext): QcFinding[] {
	const findings: QcFinding[] = [];
	for (const rule of RULES) {
		const own = rule.check(record, ctx);
		// Array.prototype.sort is stable: findings with one path keep the rule's order
		own.sort((a, b) => comparePaths(a.path, b.path));
		findings.push(...own);
	}
	return findings;
}
