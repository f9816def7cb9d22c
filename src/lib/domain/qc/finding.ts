import { z } from 'zod';

/** The rule codes of `qc-rules.md` version 1, in the order of its table. */
export const QC_RULE_CODES = [
	'REQ-001',
	'CAT-001',
	'ERA-001',
	'ERA-002',
	'LOC-001',
	'LOC-002',
	'LOC-003',
	'GEO-001',
	'GEO-002',
	'GEO-003',
	'DUP-001',
	'DUP-002',
	'DUP-003',
	'DUP-004',
	'PHO-001',
	'PHO-002',
	'PHO-003',
	'PHO-004',
	'TXT-001',
	'CHG-001',
	'CHG-002',
	'LVL-001',
	'DATE-001'
] as const;
export type QcRuleCode = (typeof QC_RULE_CODES)[number];

/** `error` blocks finalizing on the device; `warning` needs the surveyor's explanation. */
export const QC_SEVERITIES = ['error', 'warning'] as const;
export type QcSeverity = (typeof QC_SEVERITIES)[number];

/**
 * One QC finding, as the device shows it and the server stores it with a revision. `rule` is a
 * code pattern rather than an enum, so findings stored under an older rule set still parse.
 * `path` names the field (`name`, `location`, `photos.2`, `boundary` …) for the UI to jump to.
 */
export const QcFindingSchema = z.strictObject({
	rule: z.string().regex(/^[A-Z]{2,5}-\d{3}$/, '规则代码格式应为 “LOC-003”'),
	severity: z.enum(QC_SEVERITIES),
	message: z.string().min(1).max(2000),
	path: z.string().min(1).max(200).optional()
});
export type QcFinding = z.infer<typeof QcFindingSchema>;

/**
 * Orders findings by path: absent first, then segment by segment, numeric segments by value
 * (`photos.2` before `photos.10`).
 */
export function comparePaths(a: string | undefined, b: string | undefined): number {
	if (a === b) return 0;
	if (a === undefined) return -1;
	if (b === undefined) return 1;
	const left = a.split('.');
	const right = b.split('.');
	for (let i = 0; i < Math.min(left.length, right.length); i++) {
		const x = left[i] as string;
		const y = right[i] as string;
		if (x === y) continue;
		const numeric = /^\d+$/.test(x) && /^\d+$/.test(y);
		if (numeric) return Number(x) - Number(y);
		return x < y ? -1 : 1;
	}
	return left.length - right.length;
}
