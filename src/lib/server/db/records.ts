import { sql, type Insertable, type Selectable } from 'kysely';
import type { Db, DialectName } from './connection.js';
import type { RecordsTable, RevisionsTable } from './schema.js';
import type { SurveyRecord } from '../../domain/schemas/survey-record.js';
import type { QcFinding } from '../../domain/qc/finding.js';
import type { RecordStatus } from '../../domain/codelists/index.js';
import type { ChangeFeed, ChangeInput } from './changes.js';
import { revisionBodySha256, type AuditEntry, type AuditRepository } from './audit.js';
import { statColumns } from './stat-columns.js';
import { qcColumns } from './review-queue.js';
import { changedFields } from '../../domain/records/identity.js';
import type { HistoryEntry, ReviewComment } from '../../domain/sync/wire.js';

export type { HistoryEntry, ReviewComment };

/** One revision as `history` reads it: every field of the wire's HistoryEntry that applies. */
export type RevisionEntry = HistoryEntry & {
	status: RecordStatus;
	comments: ReviewComment[];
	changed?: string[];
	reason?: string;
};

export type RecordRow = {
	id: string;
	countyCode: string;
	status: RecordStatus;
	revision: number;
	ownerId: number;
	record: SurveyRecord;
	contentKey: string;
	createdAt: string;
	updatedAt: string;
};

type RawRecord = Selectable<RecordsTable>;

function toRow(raw: RawRecord): RecordRow {
	return {
		id: raw.id,
		countyCode: raw.county_code,
		status: raw.status as RecordStatus,
		revision: raw.revision,
		ownerId: raw.owner_id,
		record: JSON.parse(raw.content) as SurveyRecord,
		contentKey: raw.content_key,
		createdAt: raw.created_at,
		updatedAt: raw.updated_at
	};
}

/**
 * A record near a point as `near` reads it: the columns of its row (`name` trimmed or null,
 * `siteCode` null when it has none, the point of its location), not its content.
 */
export type NearRecord = {
	id: string;
	status: RecordStatus;
	kind: string;
	name: string | null;
	siteCode: string | null;
	lat: number;
	lon: number;
};

/** A revision's row as the history reads it. */
type RevisionRow = Pick<
	Selectable<RevisionsTable>,
	| 'revision'
	| 'at'
	| 'by_user'
	| 'action'
	| 'status'
	| 'comments'
	| 'content'
	| 'reason'
	| 'findings'
>;

/** The history of revisions `rows` (in order), as `RecordRepository.history` gives it. */
function historyOf(rows: readonly RevisionRow[]): RevisionEntry[] {
	let previous: object | null = null;
	return rows.map((r) => {
		const entry: RevisionEntry = {
			revision: r.revision,
			at: r.at,
			by: r.by_user,
			action: r.action,
			status: r.status as RecordStatus,
			comments: JSON.parse(r.comments) as ReviewComment[],
			...(r.reason !== null ? { reason: r.reason } : {})
		};
		if (r.content === null) return entry;
		const content = JSON.parse(r.content) as object;
		const changed = changedFields(previous, content);
		previous = content;
		return { ...entry, changed };
	});
}

/** The most records `near` answers. */
const NEAR_LIMIT = 500;

type RecordChangeInput = {
	id: string;
	countyCode: string;
	ownerId: number;
	status: string;
	revision: number;
	comments: ReviewComment[];
	at: string;
	correction?: { record: SurveyRecord; by: string; reason: string };
	/** a publication: the version and the code of the record's site in it */
	registry?: { version: number; code: string | null };
	/**
	 * A teammate's push of the author's record (issue 13, contract §3 *Teams*): its content, so
	 * the author's device replaces its sent copy or meets a conflict, never overwrites it.
	 */
	teammate?: { record: SurveyRecord; by: string };
};

/** A record's new revision as the change feed holds it (pull's `record` change). */
function recordChange(change: RecordChangeInput): ChangeInput {
	const { id, countyCode, status, revision, comments, at } = change;
	return {
		type: 'record',
		countyCode,
		recordId: id,
		ownerId: change.ownerId,
		payload: {
			type: 'record',
			id,
			status,
			revision,
			comments,
			at,
			countyCode,
			...(change.correction
				? {
						record: change.correction.record,
						correction: { by: change.correction.by, reason: change.correction.reason }
					}
				: {}),
			...(change.registry ? { registry: change.registry } : {}),
			...(change.teammate ? { record: change.teammate.record, revisedBy: change.teammate.by } : {})
		},
		at
	};
}

/** The audit entry of a stored revision: its body hash from what the revision stores. */
function auditInput(
	revision: Insertable<RevisionsTable>
): Omit<AuditEntry, 'seq' | 'prevHash' | 'hash'> {
	return {
		at: revision.at,
		actor: revision.by_user,
		action: revision.action,
		recordId: revision.record_id,
		revision: revision.revision,
		bodySha256: revisionBodySha256({
			content: revision.content ?? null,
			status: revision.status,
			comments: revision.comments ?? '[]',
			reason: revision.reason ?? null
		})
	};
}

/** 1° of latitude is at least 110.5 km; the box is generous, QC measures the real distance. */
const DEGREES_PER_100M = 100 / 110_000;

/** Survey records, their revisions, the photos they name, and their entries in the change feed. */
export class RecordRepository {
	constructor(
		private readonly db: Db,
		private readonly feed: ChangeFeed,
		private readonly dialect: DialectName,
		private readonly audit: AuditRepository
	) {}

	async get(id: string): Promise<RecordRow | undefined> {
		// no record id holds U+0000, and PostgreSQL refuses text that does (a 500, not a 404)
		if (id.includes('\u0000')) return undefined;
		const raw = await this.db
			.selectFrom('records')
			.selectAll()
			.where('id', '=', id)
			.executeTakeFirst();
		return raw && toRow(raw);
	}

	/**
	 * The record as `get` reads it, its row locked until the transaction ends (PostgreSQL; SQLite
	 * has one writer anyway): the baseRevision check and the write that follows it see the same
	 * revision. DataStore.write's lock already serializes writers; this keeps the check safe on
	 * its own.
	 */
	async getForUpdate(id: string): Promise<RecordRow | undefined> {
		if (id.includes('\u0000')) return undefined;
		const raw = await this.db
			.selectFrom('records')
			.selectAll()
			.where('id', '=', id)
			.$if(this.dialect === 'postgres', (q) => q.forUpdate())
			.executeTakeFirst();
		return raw && toRow(raw);
	}

	async count(): Promise<number> {
		const row = await this.db
			.selectFrom('records')
			.select((eb) => eb.fn.countAll<number>().as('n'))
			.executeTakeFirstOrThrow();
		return row.n;
	}

	/**
	 * The other records QC needs for `record` (qc-rules.md DUP-001…004): those near it of its
	 * category, those of its county with its name, those sharing a photo, and those re-checking its
	 * site. Found through indexes, so a push stays fast however many records the county holds.
	 */
	async qcNeighbours(record: SurveyRecord): Promise<SurveyRecord[]> {
		const found = new Map<string, SurveyRecord>();
		const add = (rows: { id: string; content: string }[]) => {
			for (const raw of rows)
				if (raw.id !== record.id && !found.has(raw.id))
					found.set(raw.id, JSON.parse(raw.content) as SurveyRecord);
		};
		const lat = record.location.lat;
		const dLon = DEGREES_PER_100M / Math.max(0.01, Math.cos((lat * Math.PI) / 180));
		const { category } = record;
		if (category) {
			add(
				await this.db
					.selectFrom('records')
					.select(['id', 'content'])
					.where('lat', '>=', lat - DEGREES_PER_100M)
					.where('lat', '<=', lat + DEGREES_PER_100M)
					.where('lon', '>=', record.location.lon - dLon)
					.where('lon', '<=', record.location.lon + dLon)
					.where('category', '=', category)
					.execute()
			);
		}
		const name = record.name?.trim();
		if (name) {
			add(
				await this.db
					.selectFrom('records')
					.select(['id', 'content'])
					.where('county_code', '=', record.countyCode)
					.where('name', '=', name)
					.execute()
			);
		}
		if (record.photos.length > 0) {
			const hashes = [...new Set(record.photos.map((p) => p.sha256))];
			for (let i = 0; i < hashes.length; i += 200) {
				add(
					await this.db
						.selectFrom('records as r')
						.innerJoin('record_photos as p', 'p.record_id', 'r.id')
						.select(['r.id', 'r.content'])
						.where('p.sha256', 'in', hashes.slice(i, i + 200))
						.execute()
				);
			}
		}
		const { siteCode } = record;
		if (siteCode) {
			add(
				await this.db
					.selectFrom('records')
					.select(['id', 'content'])
					.where('site_code', '=', siteCode)
					.execute()
			);
		}
		return [...found.values()];
	}

	/**
	 * Records of `counties` whose point lies in the box `metres` around (lat, lon), nearest first
	 * (the record page's nearby records; the caller measures the real distance), at most
	 * NEAR_LIMIT of them. Only the columns a neighbour shows, all in the index of migration 0011
	 * (county, point and those columns): the box comes out of the index without reading a row.
	 */
	async near(
		lat: number,
		lon: number,
		metres: number,
		counties: readonly string[]
	): Promise<NearRecord[]> {
		if (counties.length === 0) return [];
		const dLat = (DEGREES_PER_100M * metres) / 100;
		const scale = Math.max(0.01, Math.cos((lat * Math.PI) / 180));
		const dLon = dLat / scale;
		const rows = await this.db
			.selectFrom('records')
			.select(['id', 'status', 'kind', 'name', 'site_code', 'lat', 'lon'])
			.where('county_code', 'in', counties)
			.where('lat', '>=', lat - dLat)
			.where('lat', '<=', lat + dLat)
			.where('lon', '>=', lon - dLon)
			.where('lon', '<=', lon + dLon)
			// the square of the planar distance in degrees of latitude: nearest first
			.orderBy(
				sql`(lat - ${lat}) * (lat - ${lat}) + (lon - ${lon}) * (lon - ${lon}) * ${scale * scale}`
			)
			.orderBy('id')
			.limit(NEAR_LIMIT)
			.execute();
		return rows.map((r) => ({
			id: r.id,
			status: r.status as RecordStatus,
			kind: r.kind,
			name: r.name,
			siteCode: r.site_code,
			lat: Number(r.lat),
			lon: Number(r.lon)
		}));
	}

	/**
	 * Stores an accepted push as the record's next revision (1 for a new record) and appends the
	 * record change to the feed. Call inside DataStore.write.
	 */
	async storePush(input: {
		record: SurveyRecord;
		contentKey: string;
		previous: RecordRow | undefined;
		status: RecordStatus;
		ownerId: number;
		by: string;
		deviceId: string;
		findings: QcFinding[];
		at: string;
	}): Promise<number> {
		const { record, previous, at } = input;
		const revision = (previous?.revision ?? 0) + 1;
		const content = JSON.stringify(record);
		const name = record.name?.trim() || null;
		// one statement for a new record and the next revision of a known one; the owner and the
		// first arrival stay those of the first push
		await this.db
			.insertInto('records')
			.values({
				id: record.id,
				county_code: record.countyCode,
				kind: record.kind,
				site_code: record.siteCode || null,
				name,
				category: record.category || null,
				lat: record.location.lat,
				lon: record.location.lon,
				status: input.status,
				revision,
				owner_id: input.ownerId,
				content,
				content_key: input.contentKey,
				created_at: at,
				updated_at: at,
				...qcColumns(input.findings), // the review queue's QC counts (0009)
				...statColumns(record) // the statistics' terms (0015)
			})
			.onConflict((oc) =>
				oc.column('id').doUpdateSet((eb) => ({
					county_code: eb.ref('excluded.county_code'),
					kind: eb.ref('excluded.kind'),
					site_code: eb.ref('excluded.site_code'),
					name: eb.ref('excluded.name'),
					category: eb.ref('excluded.category'),
					lat: eb.ref('excluded.lat'),
					lon: eb.ref('excluded.lon'),
					status: eb.ref('excluded.status'),
					revision: eb.ref('excluded.revision'),
					content: eb.ref('excluded.content'),
					content_key: eb.ref('excluded.content_key'),
					updated_at: eb.ref('excluded.updated_at'),
					qc_errors: eb.ref('excluded.qc_errors'), // the review queue's (0009)
					qc_warnings: eb.ref('excluded.qc_warnings'),
					stat_change: eb.ref('excluded.stat_change'), // the statistics' (0015)
					stat_era: eb.ref('excluded.stat_era'),
					stat_level: eb.ref('excluded.stat_level'),
					stat_condition: eb.ref('excluded.stat_condition'),
					stat_threats: eb.ref('excluded.stat_threats')
				}))
			)
			.execute();
		if (previous)
			await this.db.deleteFrom('record_photos').where('record_id', '=', record.id).execute();
		const hashes = [...new Set(record.photos.map((p) => p.sha256))];
		for (let i = 0; i < hashes.length; i += 200) {
			await this.db
				.insertInto('record_photos')
				.values(hashes.slice(i, i + 200).map((sha256) => ({ record_id: record.id, sha256 })))
				.onConflict((oc) => oc.doNothing())
				.execute();
		}
		await this.appendRevision({
			record_id: record.id,
			revision,
			at,
			by_user: input.by,
			action: 'push',
			status: input.status,
			content,
			findings: JSON.stringify(input.findings),
			device_id: input.deviceId
		});
		await this.appendRecordChange({
			id: record.id,
			countyCode: record.countyCode,
			ownerId: previous?.ownerId ?? input.ownerId,
			status: input.status,
			revision,
			comments: [],
			at,
			...(previous && previous.ownerId !== input.ownerId
				? { teammate: { record, by: input.by } }
				: {})
		});
		return revision;
	}

	/**
	 * Stores a review decision as the next revision (the comments as given: their ids name this
	 * revision). Call inside DataStore.write.
	 */
	async storeDecision(input: {
		row: RecordRow;
		action: 'approve' | 'return';
		status: RecordStatus;
		by: string;
		comments: ReviewComment[];
		at: string;
	}): Promise<number> {
		const { row, at } = input;
		const revision = row.revision + 1;
		const comments = JSON.stringify(input.comments);
		await this.db
			.updateTable('records')
			.set({ status: input.status, revision, updated_at: at })
			.where('id', '=', row.id)
			.execute();
		await this.appendRevision({
			record_id: row.id,
			revision,
			at,
			by_user: input.by,
			action: input.action,
			status: input.status,
			content: null,
			findings: '[]',
			comments
		});
		await this.appendRecordChange({
			id: row.id,
			countyCode: row.countyCode,
			ownerId: row.ownerId,
			status: input.status,
			revision,
			comments: input.comments,
			at
		});
		return revision;
	}

	/**
	 * Stores a reviewer's correction as the next revision (action `correct`, by the reviewer, with
	 * the reason; the status stays), with its audit entry and, for the author's device, a record
	 * change carrying the corrected content and who corrected it why. The content changes, so
	 * its QC findings are those of `record`. The record's arrival time (`updated_at`, the
	 * queue's `receivedAt`) stays: a correction is neither a push nor a decision. Call inside
	 * DataStore.write.
	 */
	async storeCorrection(input: {
		row: RecordRow;
		record: SurveyRecord;
		contentKey: string;
		by: string;
		reason: string;
		findings: QcFinding[];
		at: string;
	}): Promise<number> {
		const { row, record, at } = input;
		const revision = row.revision + 1;
		const content = JSON.stringify(record);
		// identity, location and photos are not correctable: county, kind, site and position stay
		await this.db
			.updateTable('records')
			.set({
				name: record.name?.trim() || null,
				category: record.category || null,
				revision,
				content,
				content_key: input.contentKey,
				...qcColumns(input.findings), // the review queue's QC counts (0009)
				...statColumns(record) // the statistics' terms (0015)
			})
			.where('id', '=', row.id)
			.execute();
		await this.appendRevision({
			record_id: row.id,
			revision,
			at,
			by_user: input.by,
			action: 'correct',
			status: row.status,
			content,
			findings: JSON.stringify(input.findings),
			reason: input.reason
		});
		await this.appendRecordChange({
			id: row.id,
			countyCode: row.countyCode,
			ownerId: row.ownerId,
			status: row.status,
			revision,
			comments: [],
			at,
			correction: { record, by: input.by, reason: input.reason }
		});
		return revision;
	}

	/**
	 * Appends a record's new revision to the change feed, as `pull` gives it to the author's device
	 * and the reviewers; a correction carries the corrected record and who corrected it why.
	 */
	private async appendRecordChange(change: RecordChangeInput): Promise<void> {
		await this.feed.append(recordChange(change));
	}

	/**
	 * Stores a revision with its audit entry, whose hash covers the body the revision stores (its
	 * content and a correction's reason, or a decision's status and comments). Call inside
	 * DataStore.write.
	 */
	private async appendRevision(revision: Insertable<RevisionsTable>): Promise<void> {
		await this.db.insertInto('revisions').values(revision).execute();
		await this.audit.append(auditInput(revision));
	}

	// ---- publishing (issue 13 point 3; registry/publish.ts) ------------------------------------

	/**
	 * The first `limit` records waiting for publication (`accepted`), in the order they were
	 * accepted (the city's approval: `updated_at`), then by id. A publish takes them page by page:
	 * each page it publishes leaves the status, so the next call returns the next page.
	 */
	async acceptedPage(limit: number): Promise<RecordRow[]> {
		const rows = await this.db
			.selectFrom('records')
			.selectAll()
			.where('status', '=', 'accepted')
			.orderBy('updated_at')
			.orderBy('id')
			.limit(limit)
			.execute();
		return rows.map(toRow);
	}

	/** How many records wait for publication. */
	async countAccepted(): Promise<number> {
		const row = await this.db
			.selectFrom('queue_counts')
			.select((eb) => eb.fn.coalesce(eb.fn.sum<number | string>('n'), eb.lit(0)).as('n'))
			.where('status', '=', 'accepted')
			.executeTakeFirstOrThrow();
		return Number(row.n);
	}

	/** For each of `ids`, the revision that set its present content (its last push or correction). */
	async contentRevisions(ids: readonly string[]): Promise<Map<string, number>> {
		const out = new Map<string, number>();
		for (let i = 0; i < ids.length; i += 500) {
			const rows = await this.db
				.selectFrom('revisions')
				.select(['record_id', (eb) => eb.fn.max<number>('revision').as('revision')])
				.where('record_id', 'in', ids.slice(i, i + 500))
				.where('content', 'is not', null)
				.groupBy('record_id')
				.execute();
			for (const row of rows) out.set(row.record_id, Number(row.revision));
		}
		return out;
	}

	/**
	 * Publishes accepted records: each gets its next revision (action `publish`, status
	 * `published`, by the publisher, no content) with its audit entry, and a record change in the
	 * feed for the author's device, as a decision does, carrying the version and the site's code
	 * (`registry`). In batches: one statement per step for the whole list. Call inside
	 * DataStore.write; `rows` are `accepted`.
	 */
	async storePublications(
		rows: readonly RecordRow[],
		input: { by: string; at: string; version: number; codes: ReadonlyMap<string, string> }
	): Promise<void> {
		if (rows.length === 0) return;
		const { by, at } = input;
		const ids = rows.map((r) => r.id);
		await this.db
			.updateTable('records')
			.set((eb) => ({ status: 'published', revision: eb('revision', '+', 1), updated_at: at }))
			.where('id', 'in', ids)
			.where('status', '=', 'accepted')
			.execute();
		const revisions: Insertable<RevisionsTable>[] = rows.map((row) => ({
			record_id: row.id,
			revision: row.revision + 1,
			at,
			by_user: by,
			action: 'publish',
			status: 'published',
			content: null,
			findings: '[]',
			comments: '[]'
		}));
		for (let i = 0; i < revisions.length; i += 500)
			await this.db
				.insertInto('revisions')
				.values(revisions.slice(i, i + 500))
				.execute();
		await this.audit.appendMany(revisions.map(auditInput));
		await this.feed.appendMany(
			rows.map((row) =>
				recordChange({
					id: row.id,
					countyCode: row.countyCode,
					ownerId: row.ownerId,
					status: 'published',
					revision: row.revision + 1,
					comments: [],
					at,
					registry: { version: input.version, code: input.codes.get(row.id) ?? null }
				})
			)
		);
	}

	/** The QC findings of the newest revision that set the content (a push or a correction). */
	async findings(id: string): Promise<QcFinding[]> {
		const row = await this.db
			.selectFrom('revisions')
			.select('findings')
			.where('record_id', '=', id)
			.where('action', 'in', ['push', 'correct'])
			.orderBy('revision', 'desc')
			.limit(1)
			.executeTakeFirst();
		return row ? (JSON.parse(row.findings) as QcFinding[]) : [];
	}

	/** The comments of the newest decision, when it returned the record. */
	async returnComments(id: string): Promise<ReviewComment[]> {
		const row = await this.db
			.selectFrom('revisions')
			.select(['action', 'comments'])
			.where('record_id', '=', id)
			.orderBy('revision', 'desc')
			.limit(1)
			.executeTakeFirst();
		return row?.action === 'return' ? (JSON.parse(row.comments) as ReviewComment[]) : [];
	}

	/**
	 * Every revision: who, when, what action, the status it left, the comments of a decision
	 * (empty for the others), a correction's `reason` and, for a push or a correction, `changed`
	 * (the top-level fields it changed; all filled-in fields for the first push) — the device's
	 * conflict view and the record page show who changed what.
	 */
	async history(id: string): Promise<RevisionEntry[]> {
		return historyOf(await this.#revisions(id, false));
	}

	/**
	 * What the record page and `GET /api/records/{id}` read of the revisions, from one query:
	 * `history`, `findings`, the `returnComments` and the `previousContent`, each as those give it.
	 */
	async reviewRevisions(id: string): Promise<{
		history: RevisionEntry[];
		findings: QcFinding[];
		comments: ReviewComment[];
		previous: SurveyRecord | null;
	}> {
		const rows = await this.#revisions(id, true);
		const newest = rows.at(-1);
		const contents = rows.filter((r) => r.content !== null);
		const lastContent = rows.findLast((r) => r.action === 'push' || r.action === 'correct');
		const previous = contents.at(-2)?.content;
		return {
			history: historyOf(rows),
			findings: lastContent ? (JSON.parse(lastContent.findings) as QcFinding[]) : [],
			comments: newest?.action === 'return' ? (JSON.parse(newest.comments) as ReviewComment[]) : [],
			previous: previous ? (JSON.parse(previous) as SurveyRecord) : null
		};
	}

	/** The revisions of record `id` in order (with their findings when `withFindings`). */
	async #revisions(id: string, withFindings: boolean): Promise<RevisionRow[]> {
		const rows = await this.db
			.selectFrom('revisions')
			.select(['revision', 'at', 'by_user', 'action', 'status', 'comments', 'content', 'reason'])
			.$if(withFindings, (q) => q.select('findings'))
			.where('record_id', '=', id)
			.orderBy('revision')
			.execute();
		return rows.map((r) => ({ findings: '[]', ...r }));
	}

	/**
	 * The content of the revision that set the content before the current one (the push or
	 * correction before the newest), or null when only one ever set it: what the record page
	 * compares the current revision with.
	 */
	async previousContent(id: string): Promise<SurveyRecord | null> {
		const rows = await this.db
			.selectFrom('revisions')
			.select('content')
			.where('record_id', '=', id)
			.where('content', 'is not', null)
			.orderBy('revision', 'desc')
			.limit(2)
			.execute();
		const content = rows[1]?.content;
		return content ? (JSON.parse(content) as SurveyRecord) : null;
	}

	/** The review queue: records of the counties, optionally of one status, newest first. */
	async list(counties: readonly string[], status?: RecordStatus): Promise<RecordRow[]> {
		if (counties.length === 0) return [];
		const rows = await this.db
			.selectFrom('records')
			.selectAll()
			.where('county_code', 'in', counties)
			.$if(status !== undefined, (q) => q.where('status', '=', status!))
			.orderBy('updated_at', 'desc')
			.orderBy('id')
			.execute();
		return rows.map(toRow);
	}

	/**
	 * The records of `county` in `statuses` as a batch print lists them (issue 14 point 1):
	 * id, kind, site code and name, unordered (the print orders them the same on both databases).
	 */
	async printable(
		county: string,
		statuses: readonly RecordStatus[]
	): Promise<{ id: string; kind: string; siteCode: string | null; name: string | null }[]> {
		if (statuses.length === 0) return [];
		const rows = await this.db
			.selectFrom('records')
			.select(['id', 'kind', 'site_code', 'name'])
			.where('county_code', '=', county)
			.where('status', 'in', [...statuses])
			.execute();
		return rows.map((r) => ({ id: r.id, kind: r.kind, siteCode: r.site_code, name: r.name }));
	}

	/** How many records `county` has in each status (a status with none is left out). */
	async statusCounts(county: string): Promise<Partial<Record<RecordStatus, number>>> {
		const rows = await this.db
			.selectFrom('records')
			.select(['status', (eb) => eb.fn.countAll<number | string>().as('n')])
			.where('county_code', '=', county)
			.groupBy('status')
			.execute();
		return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
	}

	/** Whether photo `sha256` may be read through a record of `counties`. */
	async photoReadable(sha256: string, counties: readonly string[]): Promise<boolean> {
		if (counties.length === 0) return false;
		const row = await this.db
			.selectFrom('record_photos as p')
			.innerJoin('records as r', 'r.id', 'p.record_id')
			.select('p.sha256')
			.where('p.sha256', '=', sha256)
			.where('r.county_code', 'in', counties)
			.limit(1)
			.executeTakeFirst();
		return row !== undefined;
	}

	/** Every photo hash a current record names. */
	async namedPhotos(): Promise<string[]> {
		const rows = await this.db.selectFrom('record_photos').select('sha256').distinct().execute();
		return rows.map((r) => r.sha256);
	}

	/**
	 * Every photo hash any pushed revision names (a photo only an older revision names is no
	 * orphan), read in pages so memory stays bounded by one page.
	 */
	async photosOfAllRevisions(): Promise<Set<string>> {
		const out = new Set<string>();
		let after: { record_id: string; revision: number } | undefined;
		for (;;) {
			const page = await this.db
				.selectFrom('revisions')
				.select(['record_id', 'revision', 'content'])
				.where('content', 'is not', null)
				.$if(after !== undefined, (q) =>
					q.where((eb) =>
						eb.or([
							eb('record_id', '>', after!.record_id),
							eb.and([eb('record_id', '=', after!.record_id), eb('revision', '>', after!.revision)])
						])
					)
				)
				.orderBy('record_id')
				.orderBy('revision')
				.limit(500)
				.execute();
			for (const row of page) {
				const photos = (JSON.parse(row.content!) as { photos?: { sha256: string }[] }).photos;
				for (const photo of photos ?? []) out.add(photo.sha256);
			}
			if (page.length < 500) return out;
			after = page.at(-1)!;
		}
	}
}
