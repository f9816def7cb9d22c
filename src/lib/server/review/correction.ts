import { isEmpty, parseWith, type Issue } from '../../domain/schemas/common.js';
import { SurveyRecordSchema, type SurveyRecord } from '../../domain/schemas/survey-record.js';
import { changedFields } from '../../domain/records/identity.js';
import { runQc } from '../../domain/qc/index.js';
import type { RecordStatus } from '../../domain/codelists/index.js';
import type { CorrectionBody } from '../../domain/sync/wire.js';
import { inScope, type Principal } from '../auth/roles.js';
import { contentKey, type PushDeps } from '../sync/push.js';
import { ruleFor, STATUS_WORDS } from './decision.js';

export { CorrectionBodySchema, type CorrectionBody } from '../../domain/sync/wire.js';

/** What a correction needs: the data layer, and the county boundaries QC checks against. */
export type CorrectionDeps = PushDeps;

export type CorrectionOutcome =
	| { ok: true; status: RecordStatus; revision: number; changed: string[] }
	| { ok: false; status: 403 | 404 | 409 | 422; error: string; issues?: Issue[] };

/**
 * The record with `changes` applied: a value that means "not filled in" (`null`, `""`, `[]`)
 * clears its field. `updatedAt` becomes the correction's time and `baseRevision` the revision it
 * was made from, as a device's edit would have them.
 */
export function applyCorrection(
	record: SurveyRecord,
	changes: CorrectionBody['changes'],
	revision: number,
	now: Date
): Record<string, unknown> {
	const out: Record<string, unknown> = { ...record };
	for (const [field, value] of Object.entries(changes)) {
		if (isEmpty(value)) delete out[field];
		else out[field] = value;
	}
	out.updatedAt = now.toISOString();
	out.baseRevision = revision;
	return out;
}

/**
 * A reviewer's correction of a record (issue 12 point 3, contract §3), in one writing
 * transaction as `decide`: the row is read locked, and the new revision (action `correct`, by
 * the reviewer, with the reason; the status stays), its QC findings, its audit entry and the
 * change the author's device pulls are stored together or not at all.
 *
 * Answers as a decision does: 404 for a record that does not exist or is outside the user's
 * counties, 403 for a surveyor, 409 for a stale `revision`, 422 when the record is not in the
 * status this reviewer decides (county_reviewer: `submitted`; city_reviewer: `county_approved`).
 * Also 422, with `issues` naming the fields, when the corrected record fails the record schema,
 * and 422 when the changes change nothing. Nothing is written on any refusal.
 *
 * `deps` is the SurveyServer (`app()`) or any `{store, counties}`.
 */
export async function correct(
	deps: CorrectionDeps,
	user: Principal,
	id: string,
	body: CorrectionBody,
	now = new Date()
): Promise<CorrectionOutcome> {
	return deps.store.write(async (tx): Promise<CorrectionOutcome> => {
		const row = await tx.records.getForUpdate(id);
		if (!row || !inScope(user, row.countyCode))
			return { ok: false, status: 404, error: '没有这条记录' };
		const rule = ruleFor(user.role);
		if (!rule)
			return { ok: false, status: 403, error: '调查员不能更正记录：更正由审核人员署名进行' };
		if (body.revision !== row.revision) {
			return {
				ok: false,
				status: 409,
				error: `记录已更新到第 ${row.revision} 版（您更正的是第 ${body.revision} 版）：请刷新后重新更正`
			};
		}
		if (row.status !== rule.from) {
			return {
				ok: false,
				status: 422,
				error: `记录当前状态为“${STATUS_WORDS[row.status]}”，${rule.who}只能更正状态为“${STATUS_WORDS[rule.from]}”的记录`
			};
		}
		const parsed = parseWith(
			SurveyRecordSchema,
			applyCorrection(row.record, body.changes, row.revision, now)
		);
		if (!parsed.ok) {
			return {
				ok: false,
				status: 422,
				error: '更正后的记录不符合登记表要求：请按提示修改更正的字段',
				issues: parsed.issues
			};
		}
		const record = parsed.value;
		const changed = changedFields(row.record, record);
		if (changed.length === 0) {
			return {
				ok: false,
				status: 422,
				error: '更正的内容与记录现有内容相同：没有需要保存的修改'
			};
		}
		const findings = runQc(record, {
			counties: deps.counties,
			registry: await tx.registry.ofCounty(record.countyCode),
			otherRecords: await tx.records.qcNeighbours(record),
			now
		});
		const revision = await tx.records.storeCorrection({
			row,
			record,
			contentKey: contentKey(record),
			by: user.username,
			reason: body.reason,
			findings,
			at: now.toISOString()
		});
		await tx.reviewQueue.noteFindings(row.id, findings);
		return { ok: true, status: row.status, revision, changed };
	});
}
