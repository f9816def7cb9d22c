import { createHash } from 'node:crypto';
import { nulIssues, parseWith, type Issue } from '../../domain/schemas/common.js';
import { SurveyRecordSchema, type SurveyRecord } from '../../domain/schemas/survey-record.js';
import { canonicalContent } from '../../domain/records/identity.js';
import { runQc } from '../../domain/qc/index.js';
import type { CountyCollection } from '../../domain/geometry/counties.js';
import type { RecordStatus } from '../../domain/codelists/index.js';
import type { RecordRow } from '../db/records.js';
import type { DataStore } from '../db/store.js';
import { inScope, type Principal } from '../auth/roles.js';
import type { PushResult, RejectCode } from '../../domain/sync/wire.js';

export { PUSH_MAX_BYTES, PUSH_MAX_RECORDS } from '../../domain/sync/limits.js';
export { PushBodySchema } from '../../domain/sync/wire.js';
export type { PushResult, RejectCode };

/** Statuses a push may not change: the record is locked until a reviewer returns it. */
const LOCKED: readonly RecordStatus[] = ['county_approved', 'accepted', 'published'];

export function contentKey(record: SurveyRecord): string {
	return createHash('sha256').update(canonicalContent(record)).digest('hex');
}

function idOf(input: unknown): string | null {
	if (input && typeof input === 'object' && 'id' in input) {
		const id = (input as { id: unknown }).id;
		if (typeof id === 'string') return id.slice(0, 100);
	}
	return null;
}

export type PushDeps = {
	store: DataStore;
	counties: CountyCollection;
};

type Refusal = { code: RejectCode; issues: Issue[] };

/**
 * Whether the pusher may revise a record another account wrote (contract §1): both are members
 * of the same team now, and that team is of the record's county, before and after the push. The
 * record keeps its author; the revision is the pusher's.
 */
async function teammates(
	tx: DataStore,
	user: Principal,
	previous: RecordRow,
	record: SurveyRecord
): Promise<boolean> {
	const team = await tx.teams.teamOf(user.id);
	if (!team || (await tx.teams.teamOf(previous.ownerId))?.id !== team.id) return false;
	return team.countyCode === previous.countyCode && team.countyCode === record.countyCode;
}

/**
 * Checks a pushed record against the account and the stored row, before its content is looked
 * at: the first refusal found, or none.
 */
async function admission(
	tx: DataStore,
	user: Principal,
	record: SurveyRecord,
	previous: RecordRow | undefined
): Promise<Refusal | undefined> {
	if (user.role !== 'surveyor') {
		return {
			code: 'not_surveyor',
			issues: [
				{ path: '', message: `账号 ${user.username} 不是调查员账号：只有调查员的设备可以推送记录` }
			]
		};
	}
	if (!inScope(user, record.countyCode)) {
		return {
			code: 'out_of_scope',
			issues: [
				{
					path: 'countyCode',
					message: `账号 ${user.username} 无权提交旗区 ${record.countyCode} 的记录：请用该旗区的账号同步`
				}
			]
		};
	}
	if (previous && !inScope(user, previous.countyCode)) {
		return {
			code: 'out_of_scope',
			issues: [{ path: 'id', message: `记录 ${record.id} 属于您无权访问的旗区` }]
		};
	}
	if (previous && previous.ownerId !== user.id && !(await teammates(tx, user, previous, record))) {
		return {
			code: 'not_author',
			issues: [
				{
					path: 'id',
					message: `记录 ${record.id} 由另一位调查员登记：只有登记人和与登记人同在本旗区一支普查队的队员可以提交它的新版本。如需修改，请联系登记人，或请审核人员退回给登记人`
				}
			]
		};
	}
	const issues: Issue[] = [];
	let code: RejectCode | undefined;
	if (record.kind === '复查' && record.siteCode) {
		const site = await tx.registry.get(record.siteCode);
		if (!site) {
			issues.push({
				path: 'siteCode',
				message: `登记编号 ${record.siteCode} 不在文物名录中：复查只能针对已登记文物`
			});
		} else if (site.countyCode !== record.countyCode) {
			issues.push({
				path: 'siteCode',
				message: `文物 ${record.siteCode} 属于旗区 ${site.countyCode}，与记录的旗区 ${record.countyCode} 不符`
			});
		}
		if (issues.length > 0) code = 'unknown_site';
	}
	for (const sha of await tx.photos.missing(record.photos.map((p) => p.sha256))) {
		code ??= 'photo_missing';
		issues.push({
			path: `photos.${record.photos.findIndex((p) => p.sha256 === sha)}`,
			message: `服务器还没有照片 ${sha.slice(0, 12)}…：请先上传照片（PUT /api/photos/${sha}），再推送记录`
		});
	}
	return code ? { code, issues } : undefined;
}

/**
 * Handles one push (contract §3): each record in order, each one validated, scoped, compared with
 * the stored revision and, when accepted, stored with its QC findings. All in one writing
 * transaction (DataStore.write: writers take turns on either database), so a repeated id meets
 * the first, a retry of an accepted revision finds it (`unchanged`, nothing written), the
 * baseRevision check sees the revision it writes after, and a crash stores all or nothing of the
 * push.
 */
export async function push(
	deps: PushDeps,
	user: Principal,
	deviceId: string,
	inputs: readonly unknown[],
	now = new Date()
): Promise<PushResult[]> {
	const at = now.toISOString();
	const done = await deps.store.write(async (tx) => {
		const results: PushResult[] = [];
		let accepted = 0;
		for (const input of inputs) {
			const id = idOf(input);
			const nul = nulIssues(input);
			if (nul.length > 0) {
				results.push({ id, status: 'rejected', code: 'invalid', issues: nul });
				continue;
			}
			const parsed = parseWith(SurveyRecordSchema, input);
			if (!parsed.ok) {
				results.push({ id, status: 'rejected', code: 'invalid', issues: parsed.issues });
				continue;
			}
			const record = parsed.value;
			const previous: RecordRow | undefined = await tx.records.getForUpdate(record.id);
			const refusal = await admission(tx, user, record, previous);
			if (refusal) {
				results.push({ id: record.id, status: 'rejected', ...refusal });
				continue;
			}
			const key = contentKey(record);
			if (previous && previous.contentKey === key) {
				results.push({
					id: record.id,
					status: 'unchanged',
					revision: previous.revision,
					findings: await tx.records.findings(record.id)
				});
				continue;
			}
			if (previous && LOCKED.includes(previous.status)) {
				results.push({
					id: record.id,
					status: 'rejected',
					code: 'locked',
					issues: [
						{
							path: '',
							message: `记录已${previous.status === 'county_approved' ? '由旗区审核通过' : previous.status === 'accepted' ? '由市局审核通过' : '公布'}，已锁定：只有审核人员退回后才能修改`
						}
					]
				});
				continue;
			}
			if (previous && record.baseRevision !== previous.revision) {
				results.push({
					id: record.id,
					status: 'conflict',
					revision: previous.revision,
					current: { ...previous.record, status: previous.status, revision: previous.revision }
				});
				continue;
			}
			const findings = runQc(record, {
				counties: deps.counties,
				registry: await tx.registry.ofCounty(record.countyCode),
				otherRecords: await tx.records.qcNeighbours(record),
				now
			});
			const revision = await tx.records.storePush({
				record,
				contentKey: key,
				previous,
				status: 'submitted',
				ownerId: user.id,
				by: user.username,
				deviceId,
				findings,
				at
			});
			await tx.reviewQueue.noteFindings(record.id, findings);
			accepted++;
			results.push({ id: record.id, status: 'accepted', revision, findings });
		}
		return { results, accepted };
	});
	return done.results;
}
