import { createHash } from 'node:crypto';
import { z } from 'zod';
import { parseWith, type Issue } from '../../domain/schemas/common.js';
import { SurveyRecordSchema, type SurveyRecord } from '../../domain/schemas/survey-record.js';
import { canonicalContent } from '../../domain/records/identity.js';
import { runQc } from '../../domain/qc/index.js';
import type { QcFinding } from '../../domain/qc/finding.js';
import type { CountyCollection } from '../../domain/geometry/counties.js';
import type { RecordStatus } from '../../domain/codelists/index.js';
import type { Db } from '../db/connection.js';
import type { RecordRepository, RecordRow } from '../db/records.js';
import type { RegistryRepository } from '../db/registry.js';
import type { PhotoRepository } from '../db/photos.js';
import { inScope, type Principal } from '../auth/roles.js';
import { PUSH_MAX_RECORDS } from '../../domain/sync/limits.js';

export { PUSH_MAX_BYTES, PUSH_MAX_RECORDS } from '../../domain/sync/limits.js';

/** Statuses a push may not change: the record is locked until a reviewer returns it. */
const LOCKED: readonly RecordStatus[] = ['county_approved', 'accepted', 'published'];

export const PushBodySchema = z.strictObject({
	deviceId: z.string().trim().min(1, 'deviceId 不能为空').max(200),
	records: z.array(z.unknown()).max(PUSH_MAX_RECORDS, `一次最多推送 ${PUSH_MAX_RECORDS} 条记录`)
});

export type PushResult =
	| { id: string | null; status: 'accepted'; revision: number; findings: QcFinding[] }
	| { id: string | null; status: 'unchanged'; revision: number; findings: QcFinding[] }
	| {
			id: string | null;
			status: 'conflict';
			revision: number;
			current: SurveyRecord & { status: RecordStatus; revision: number };
	  }
	| { id: string | null; status: 'rejected'; code: RejectCode; issues: Issue[] };

/**
 * Why a record was rejected (an extension of contract §3's push result): the first reason found.
 * - `invalid`: the record does not pass the schema;
 * - `not_surveyor`: the account is not a surveyor's (the sync API is for survey devices);
 * - `out_of_scope`: its county is outside the account's;
 * - `not_author`: the server holds it, and another account wrote it;
 * - `unknown_site`: a 复查 of a site the registry does not hold in that county;
 * - `photo_missing`: it names a photo the server does not hold;
 * - `locked`: approved or published, locked until a reviewer returns it.
 */
export type RejectCode =
	| 'invalid'
	| 'not_surveyor'
	| 'out_of_scope'
	| 'not_author'
	| 'unknown_site'
	| 'photo_missing'
	| 'locked';

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
	db: Db;
	records: RecordRepository;
	registry: RegistryRepository;
	photos: PhotoRepository;
	counties: CountyCollection;
};

type Refusal = { code: RejectCode; issues: Issue[] };

/**
 * Checks a pushed record against the account and the stored row, before its content is looked
 * at: the first refusal found, or none.
 */
function admission(
	deps: PushDeps,
	user: Principal,
	record: SurveyRecord,
	previous: RecordRow | undefined
): Refusal | undefined {
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
	if (previous && previous.ownerId !== user.id) {
		return {
			code: 'not_author',
			issues: [
				{
					path: 'id',
					message: `记录 ${record.id} 由另一位调查员登记：只有登记人可以提交它的新版本。如需修改，请联系登记人，或请审核人员退回给登记人`
				}
			]
		};
	}
	const issues: Issue[] = [];
	let code: RejectCode | undefined;
	if (record.kind === '复查' && record.siteCode) {
		const site = deps.registry.get(record.siteCode);
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
	for (const sha of deps.photos.missing(record.photos.map((p) => p.sha256))) {
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
 * the stored revision and, when accepted, stored with its QC findings. All in one transaction,
 * so a repeated id meets the first and a crash stores all or nothing of the push.
 */
export function push(
	deps: PushDeps,
	user: Principal,
	deviceId: string,
	inputs: readonly unknown[],
	now = new Date()
): PushResult[] {
	const at = now.toISOString();
	return deps.db.transaction(() => {
		const results: PushResult[] = [];
		let accepted = 0;
		for (const input of inputs) {
			const id = idOf(input);
			const parsed = parseWith(SurveyRecordSchema, input);
			if (!parsed.ok) {
				results.push({ id, status: 'rejected', code: 'invalid', issues: parsed.issues });
				continue;
			}
			const record = parsed.value;
			const previous: RecordRow | undefined = deps.records.get(record.id);
			const refusal = admission(deps, user, record, previous);
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
					findings: deps.records.findings(record.id)
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
				registry: deps.registry.ofCounty(record.countyCode),
				otherRecords: deps.records.qcNeighbours(record),
				now
			});
			const revision = deps.records.storePush({
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
			accepted++;
			results.push({ id: record.id, status: 'accepted', revision, findings });
		}
		return { results, accepted };
	})().results;
}
