/**
 * A review queue of any size, written straight into a database through the server's data layer
 * (bench/review.ts): as a server that had received `total` records through pushes and decisions
 * would hold them, but in bulk inserts (one transaction per CHUNK records) instead of HTTP pushes.
 *
 * Each record is made from a template: TEMPLATES_PER_COUNTY valid records per county made the way
 * the field app makes them (RecordFactory), some with a defect a surveyor leaves (one photo
 * instead of two: PHO-001, an error; a GNSS accuracy of 25 m: LOC-003, a warning), and each
 * template's QC findings are the real ones (runQc against the county's registry). A record takes
 * its template's content with its own id, its own name (new finds: the number in the name), its
 * own photo hashes and, for new finds, a point moved up to ~1 km from the template's (location,
 * boundary and photo points alike), so names sort and places spread as in a real survey.
 *
 * The records go round the nine counties in turn, one arrival every ~100 s over 120 days, and
 * follow the review workflow (every 20 records):
 * - 8 submitted (one push);
 * - 2 returned (push, then the county reviewer returns it with a 必须修改 comment on `description`);
 * - 2 submitted again (push, return, and a second push that answers the comment: 已修改);
 * - 4 county_approved (push, the county reviewer approves);
 * - 4 accepted (push, the county reviewer approves, the city reviewer accepts).
 *
 * Every row a push or a decision stores is written (bulk-load settings on the seeding connection
 * only: SQLite's page cache and synchronous, PostgreSQL's synchronous_commit): `records`, `record_photos`, `revisions` (the
 * findings with each push), `record_qc`, `changes` (one per revision, as pull reads them) and
 * `audit_log` (one entry per revision, chained after the database's head, so `npm run
 * audit:verify` holds; the server writes the head file when it opens the database). The owner is
 * the county's surveyor account, the deciders its reviewer and `city` (the demo accounts: the
 * database must be seeded with them first).
 */
import { sql } from 'kysely';
import { createHash } from 'node:crypto';
import {
	COUNTY_CODES,
	type CountyCode,
	type RecordStatus
} from '../src/lib/domain/codelists/index.js';
import type { CountyCollection } from '../src/lib/domain/geometry/counties.js';
import { runQc, type QcFinding } from '../src/lib/domain/qc/index.js';
import type { RecordPhoto, RegisteredSite, SurveyRecord } from '../src/lib/domain/schemas/index.js';
import type { ReviewComment } from '../src/lib/domain/sync/wire.js';
import {
	entryHash,
	GENESIS_HASH,
	revisionBodySha256,
	type ChainHead
} from '../src/lib/server/db/audit.js';
import { qcColumns, qcRow } from '../src/lib/server/db/review-queue.js';
import { statColumns } from '../src/lib/server/db/stat-columns.js';
import type { TableName } from '../src/lib/server/db/schema.js';
import type { DataStore } from '../src/lib/server/db/store.js';
import { contentKey } from '../src/lib/server/sync/push.js';
import { RecordFactory, rng, SURVEYORS } from './records.js';

const TEMPLATES_PER_COUNTY = 60;
/** Records per transaction. */
const CHUNK = 2000;
/** Parameters per INSERT: below PostgreSQL's 65,535 (and SQLite's 32,766). */
const PARAMETERS = 30_000;
const FIRST_ARRIVAL = Date.UTC(2025, 5, 15, 0, 0);
const SPAN_MS = 120 * 86_400_000;

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** A record id made from its number, shaped like the devices' UUIDs. */
export const seededId = (n: number) =>
	`b0000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;

type Template = { record: SurveyRecord; findings: QcFinding[] };

/** The templates of each county, with their real QC findings. */
function templates(
	registry: readonly RegisteredSite[],
	counties: CountyCollection
): Map<CountyCode, Template[]> {
	const factory = new RecordFactory(registry, counties, rng(20_250_615));
	const photos = (n: number): RecordPhoto[] =>
		(['全景', '近景'] as const).map((kind, i) => ({
			sha256: sha256(`template-${n}-${i}`),
			kind,
			direction: '由南向北',
			photographer: SURVEYORS[n % SURVEYORS.length]
		}));
	const out = new Map<CountyCode, Template[]>();
	for (const county of COUNTY_CODES) {
		const sites = registry.filter((s) => s.countyCode === county);
		out.set(
			county,
			factory.batch(county, TEMPLATES_PER_COUNTY, photos).map((record, j) => {
				if (j % 7 === 3) record.photos = record.photos.slice(0, 1);
				if (j % 5 === 2) record.location = { ...record.location, accuracyM: 25 };
				const findings = runQc(record, {
					counties,
					registry: sites,
					otherRecords: [],
					now: new Date(FIRST_ARRIVAL)
				});
				return { record, findings };
			})
		);
	}
	return out;
}

type Point = { lat: number; lon: number };
const round6 = (x: number) => Math.round(x * 1e6) / 1e6;

/** Moves every coordinate pair of a boundary by (dLat, dLon). */
function moveCoordinates(value: unknown, dLat: number, dLon: number): unknown {
	if (!Array.isArray(value)) return value;
	if (typeof value[0] === 'number')
		return [round6(value[0] + dLon), round6((value[1] as number) + dLat), ...value.slice(2)];
	return value.map((v) => moveCoordinates(v, dLat, dLon));
}

/** Record `n`'s content, made from its template. */
function recordOf(n: number, template: SurveyRecord, move: Point): SurveyRecord {
	const id = seededId(n);
	const record: SurveyRecord = structuredClone(template);
	record.id = id;
	if (record.kind === '新发现' && record.name) {
		const name = record.name.replace(/\d+号/, `${n + 1}号`);
		if (record.description) record.description = record.description.replaceAll(record.name, name);
		record.name = name;
	}
	const { lat: dLat, lon: dLon } = move;
	record.location = {
		...record.location,
		lat: round6(record.location.lat + dLat),
		lon: round6(record.location.lon + dLon)
	};
	if (record.boundary)
		record.boundary = {
			...record.boundary,
			coordinates: moveCoordinates(record.boundary.coordinates, dLat, dLon)
		} as typeof record.boundary;
	record.photos = record.photos.map((p, i) => ({
		...p,
		sha256: sha256(`${id}-${i}`),
		...(typeof p.lat === 'number' && typeof p.lon === 'number'
			? { lat: round6(p.lat + dLat), lon: round6(p.lon + dLon) }
			: {})
	}));
	return record;
}

type Step =
	| { action: 'push'; content: string }
	| { action: 'approve' | 'return'; by: string; status: RecordStatus; comments: ReviewComment[] };

export type SeededRecord = { id: string; countyCode: CountyCode; status: RecordStatus };

/**
 * Writes `total` records into `store` (demo accounts already there). Returns every record's id,
 * county and status, in arrival order.
 */
export async function seedReviewRecords(
	store: DataStore,
	options: { total: number; registry: readonly RegisteredSite[]; counties: CountyCollection }
): Promise<SeededRecord[]> {
	const { total, registry, counties } = options;
	const byCounty = templates(registry, counties);
	const users = await store.users.list();
	const ownerOf = new Map<string, number>();
	for (const u of users) if (u.role === 'surveyor') ownerOf.set(u.counties[0]!, u.id);
	for (const county of COUNTY_CODES)
		if (!ownerOf.has(county)) throw new Error(`no surveyor account of county ${county}`);
	const random = rng(7);
	const step = SPAN_MS / Math.max(1, total);
	const seeded: SeededRecord[] = [];
	let head: ChainHead | undefined = await store.audit.head();
	// a bulk load on a connection of its own: a page cache that holds the indexes being filled,
	// and no fsync per commit (the database is new and thrown away if this fails; the server
	// opens it afterwards with its own settings)
	store.sqlite?.pragma('cache_size = -524288');
	store.sqlite?.pragma('synchronous = OFF');

	for (let start = 0; start < total; start += CHUNK) {
		const end = Math.min(total, start + CHUNK);
		const records: object[] = [];
		const photos: { record_id: string; sha256: string }[] = [];
		const revisions: object[] = [];
		const qc: ReturnType<typeof qcRow>[] = [];
		const changes: object[] = [];
		const audit: object[] = [];
		for (let n = start; n < end; n++) {
			const county = COUNTY_CODES[n % COUNTY_CODES.length]!;
			const list = byCounty.get(county)!;
			const template = list[Math.floor(n / COUNTY_CODES.length) % list.length]!;
			// new finds spread up to ~1 km around the template's point; a 复查 stays at its site
			const spread = template.record.kind === '新发现' ? 0.009 : 0.00005;
			const move = { lat: random.between(-spread, spread), lon: random.between(-spread, spread) };
			const record = recordOf(n, template.record, move);
			const arrival = FIRST_ARRIVAL + n * step;
			const at = (k: number) => new Date(arrival + k * 1000).toISOString();
			const reviewer = `reviewer-${county}`;
			const returned: ReviewComment = {
				id: '2.1',
				path: 'description',
				message: '描述中缺少本体保存现状与周边环境的具体说明，请补充后重新提交。',
				severity: '必须修改',
				by: reviewer,
				at: at(1)
			};
			const push = JSON.stringify(record);
			const steps: Step[] = [{ action: 'push', content: push }];
			let final = record;
			const kind = n % 20;
			if (kind >= 8 && kind < 12) {
				steps.push({ action: 'return', by: reviewer, status: 'returned', comments: [returned] });
				if (kind >= 10) {
					final = {
						...record,
						schemaVersion: 2,
						description: `${record.description ?? ''}本体保存现状较好，周边为草场，未见新的人为破坏。`,
						answers: [{ commentId: '2.1', reply: '已修改' }]
					};
					steps.push({ action: 'push', content: JSON.stringify(final) });
				}
			} else if (kind >= 12) {
				steps.push({ action: 'approve', by: reviewer, status: 'county_approved', comments: [] });
				if (kind >= 16)
					steps.push({ action: 'approve', by: 'city', status: 'accepted', comments: [] });
			}
			const status: RecordStatus = steps.reduce<RecordStatus>(
				(s, st) => (st.action === 'push' ? 'submitted' : st.status),
				'submitted'
			);
			const id = record.id;
			const owner = ownerOf.get(county)!;
			const surveyor = `surveyor-${county}`;
			const last = steps.length;
			const lastContent = steps.findLast((s) => s.action === 'push')!;
			records.push({
				id,
				county_code: county,
				kind: final.kind,
				site_code: final.siteCode || null,
				name: final.name?.trim() || null,
				category: final.category || null,
				lat: final.location.lat,
				lon: final.location.lon,
				status,
				revision: last,
				owner_id: owner,
				content: (lastContent as { content: string }).content,
				content_key: contentKey(final),
				created_at: at(0),
				updated_at: at(last - 1),
				...qcColumns(template.findings),
				...statColumns(final)
			});
			for (const p of final.photos) photos.push({ record_id: id, sha256: p.sha256 });
			qc.push(qcRow(id, template.findings));
			const findings = JSON.stringify(template.findings);
			for (const [i, s] of steps.entries()) {
				const revision = i + 1;
				const content = s.action === 'push' ? s.content : null;
				const stepStatus = s.action === 'push' ? 'submitted' : s.status;
				const comments = JSON.stringify(s.action === 'push' ? [] : s.comments);
				const by = s.action === 'push' ? surveyor : s.by;
				revisions.push({
					record_id: id,
					revision,
					at: at(i),
					by_user: by,
					action: s.action,
					status: stepStatus,
					content,
					findings: s.action === 'push' ? findings : '[]',
					comments,
					device_id: s.action === 'push' ? `bench-device-${county}` : null
				});
				changes.push({
					type: 'record',
					county_code: county,
					record_id: id,
					owner_id: owner,
					payload: JSON.stringify({
						type: 'record',
						id,
						status: stepStatus,
						revision,
						comments: s.action === 'push' ? [] : s.comments,
						at: at(i),
						countyCode: county
					}),
					at: at(i)
				});
				const unhashed = {
					seq: (head?.seq ?? 0) + 1,
					at: at(i),
					actor: by,
					action: s.action,
					recordId: id,
					revision,
					bodySha256: revisionBodySha256({ content, status: stepStatus, comments }),
					prevHash: head?.hash ?? GENESIS_HASH
				};
				const hash = entryHash(unhashed);
				audit.push({
					seq: unhashed.seq,
					at: unhashed.at,
					actor: unhashed.actor,
					action: unhashed.action,
					record_id: id,
					revision,
					body_sha256: unhashed.bodySha256,
					prev_hash: unhashed.prevHash,
					hash
				});
				head = { seq: unhashed.seq, hash };
			}
			seeded.push({ id, countyCode: county, status });
		}
		await store.write(async (tx) => {
			if (tx.dialect === 'postgres') await sql`SET LOCAL synchronous_commit = off`.execute(tx.db);
			const insert = async (table: TableName, rows: object[]) => {
				if (rows.length === 0) return;
				const per = Math.floor(PARAMETERS / Object.keys(rows[0]!).length);
				for (let i = 0; i < rows.length; i += per) {
					// the rows are the tables' columns, built above
					await tx.db
						.insertInto(table)
						.values(rows.slice(i, i + per) as never)
						.execute();
					// better-sqlite3 works on this thread: let another seeding (PostgreSQL's) go on
					await new Promise((resolve) => setImmediate(resolve));
				}
			};
			await insert('records', records);
			await insert('record_photos', photos);
			await insert('revisions', revisions);
			await insert('record_qc', qc);
			await insert('changes', changes);
			await insert('audit_log', audit);
		});
	}
	return seeded;
}
