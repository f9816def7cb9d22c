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

/** At most this many records in one push (contract §3). */
export const PUSH_MAX_RECORDS = 50;
/** At most this many bytes of JSON in one push (contract §3). */
export const PUSH_MAX_BYTES = 2 * 1024 * 1024;

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
	| { id: string | null; status: 'rejected'; issues: Issue[] };

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

/** Checks a pushed record against everything but the stored one; issues, or none. */
function admissionIssues(deps: PushDeps, user: Principal, record: SurveyRecord): Issue[] {
	if (!inScope(user, record.countyCode)) {
		return [
			{
				path: 'countyCode',
				message: `账号 ${user.username} 无权提交旗区 ${record.countyCode} 的记录：请用该旗区的账号同步`
			}
		];
	}
	const issues: Issue[] = [];
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
	}
	const missing = deps.photos.missing(record.photos.map((p) => p.sha256));
	for (const sha of missing) {
		const i = record.photos.findIndex((p) => p.sha256 === sha);
		issues.push({
			path: `photos.${i}`,
			message: `服务器还没有照片 ${sha.slice(0, 12)}…：请先上传照片（PUT /api/photos/${sha}），再推送记录`
		});
	}
	return issues;
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
				results.push({ id, status: 'rejected', issues: parsed.issues });
				continue;
			}
			const record = parsed.value;
			const issues = admissionIssues(deps, user, record);
			const previous: RecordRow | undefined = deps.records.get(record.id);
			if (previous && !inScope(user, previous.countyCode)) {
				issues.unshift({ path: 'id', message: `记录 ${record.id} 属于您无权访问的旗区` });
			}
			if (issues.length > 0) {
				results.push({ id: record.id, status: 'rejected', issues });
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
