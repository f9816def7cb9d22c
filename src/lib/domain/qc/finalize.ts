/**
 * The gate before a record is finalized on the device (qc-rules.md, "Finalizing"). Pure: the
 * editor refuses to finalize what it blocks, and the review step shows the same verdict.
 *
 * - Every `error` finding of `runQc` blocks.
 * - LOC-TAKEN blocks too: a new record starts at a provisional point (the registry's point or
 *   the county's centre); until the surveyor takes the location (GNSS, RTK, map or manual entry)
 *   the record cannot be finalized as if it had been measured. It is a rule of the device's
 *   record (whether the location was taken is not part of the survey record), so the server
 *   never reports it.
 * - Every rule with `warning` findings needs the surveyor's explanation (a non-blank qcNote).
 */
import type { QcFinding } from './finding.js';

export const LOC_TAKEN = 'LOC-TAKEN';

export type FinalizeInput = {
	findings: readonly QcFinding[];
	locationTaken: boolean;
	qcNotes?: readonly { rule: string; note: string }[] | null | undefined;
};

export type FinalizeVerdict = {
	ok: boolean;
	/** LOC-TAKEN: the location is still the provisional point. */
	locationMissing: boolean;
	errors: QcFinding[];
	warnings: QcFinding[];
	/** Rules with warnings and no explanation yet, in the order of the findings. */
	unexplained: string[];
	/** What blocks: the errors, and LOC-TAKEN when it holds. */
	blockers: number;
};

export function finalizeVerdict({
	findings,
	locationTaken,
	qcNotes
}: FinalizeInput): FinalizeVerdict {
	const errors = findings.filter((f) => f.severity === 'error');
	const warnings = findings.filter((f) => f.severity === 'warning');
	const explained = new Set((qcNotes ?? []).filter((n) => n.note.trim() !== '').map((n) => n.rule));
	const unexplained = [...new Set(warnings.map((w) => w.rule))].filter((r) => !explained.has(r));
	const locationMissing = !locationTaken;
	const blockers = errors.length + (locationMissing ? 1 : 0);
	return {
		ok: blockers === 0 && unexplained.length === 0,
		locationMissing,
		errors,
		warnings,
		unexplained,
		blockers
	};
}

/** Why a record cannot be finalized, in Chinese, naming the rules. */
export function refusalText(verdict: FinalizeVerdict): string {
	const parts: string[] = [];
	if (verdict.locationMissing) parts.push(`${LOC_TAKEN} 尚未采集位置`);
	if (verdict.errors.length > 0)
		parts.push(`错误 ${[...new Set(verdict.errors.map((e) => e.rule))].join('、')}`);
	if (verdict.unexplained.length > 0) parts.push(`警告未说明 ${verdict.unexplained.join('、')}`);
	return `记录还不能完成：${parts.join('；')}。请在“检查与完成”一步逐项处理。`;
}
