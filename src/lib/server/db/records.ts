import type { Db } from './connection.js';
import type { SurveyRecord } from '../../domain/schemas/survey-record.js';
import type { QcFinding } from '../../domain/qc/finding.js';
import type { RecordStatus } from '../../domain/codelists/index.js';
import { appendChange } from './changes.js';
import { changedFields } from '../../domain/records/identity.js';

export type ReviewComment = { path?: string; message: string; by: string; at: string };
export type HistoryEntry = {
	revision: number;
	at: string;
	by: string;
	action: 'push' | 'approve' | 'return';
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

type RawRecord = {
	id: string;
	county_code: string;
	status: RecordStatus;
	revision: number;
	owner_id: number;
	content: string;
	content_key: string;
	created_at: string;
	updated_at: string;
};

function toRow(raw: RawRecord): RecordRow {
	return {
		id: raw.id,
		countyCode: raw.county_code,
		status: raw.status,
		revision: raw.revision,
		ownerId: raw.owner_id,
		record: JSON.parse(raw.content) as SurveyRecord,
		contentKey: raw.content_key,
		createdAt: raw.created_at,
		updatedAt: raw.updated_at
	};
}

/** 1° of latitude is at least 110.5 km; the box is generous, QC measures the real distance. */
const DEGREES_PER_100M = 100 / 110_000;

/** Survey records, their revisions, the photos they name, and their entries in the change feed. */
export class RecordRepository {
	constructor(private readonly db: Db) {}

	get(id: string): RecordRow | undefined {
		const raw = this.db.prepare('SELECT * FROM records WHERE id = ?').get(id) as
			RawRecord | undefined;
		return raw && toRow(raw);
	}

	count(): number {
		return (this.db.prepare('SELECT count(*) AS n FROM records').get() as { n: number }).n;
	}

	/**
	 * The other records QC needs for `record` (qc-rules.md DUP-001…004): those near it of its
	 * category, those of its county with its name, those sharing a photo, and those re-checking its
	 * site. Found through indexes, so a push stays fast however many records the county holds.
	 */
	qcNeighbours(record: SurveyRecord): SurveyRecord[] {
		const found = new Map<string, SurveyRecord>();
		const add = (rows: RawRecord[]) => {
			for (const raw of rows)
				if (raw.id !== record.id && !found.has(raw.id)) found.set(raw.id, JSON.parse(raw.content));
		};
		const lat = record.location.lat;
		const dLon = DEGREES_PER_100M / Math.max(0.01, Math.cos((lat * Math.PI) / 180));
		if (record.category) {
			add(
				this.db
					.prepare(
						`SELECT id, content FROM records WHERE lat BETWEEN ? AND ? AND lon BETWEEN ? AND ? AND category = ?`
					)
					.all(
						lat - DEGREES_PER_100M,
						lat + DEGREES_PER_100M,
						record.location.lon - dLon,
						record.location.lon + dLon,
						record.category
					) as RawRecord[]
			);
		}
		const name = record.name?.trim();
		if (name) {
			add(
				this.db
					.prepare('SELECT id, content FROM records WHERE county_code = ? AND name = ?')
					.all(record.countyCode, name) as RawRecord[]
			);
		}
		if (record.photos.length > 0) {
			const hashes = [...new Set(record.photos.map((p) => p.sha256))];
			for (let i = 0; i < hashes.length; i += 200) {
				const part = hashes.slice(i, i + 200);
				add(
					this.db
						.prepare(
							`SELECT r.id, r.content FROM records r JOIN record_photos p ON p.record_id = r.id
							 WHERE p.sha256 IN (${part.map(() => '?').join(',')})`
						)
						.all(...part) as RawRecord[]
				);
			}
		}
		if (record.siteCode) {
			add(
				this.db
					.prepare('SELECT id, content FROM records WHERE site_code = ?')
					.all(record.siteCode) as RawRecord[]
			);
		}
		return [...found.values()];
	}

	/**
	 * Stores an accepted push as the record's next revision (1 for a new record) and appends the
	 * record change to the feed. Call inside a transaction.
	 */
	storePush(input: {
		record: SurveyRecord;
		contentKey: string;
		previous: RecordRow | undefined;
		status: RecordStatus;
		ownerId: number;
		by: string;
		deviceId: string;
		findings: QcFinding[];
		at: string;
	}): number {
		const { record, previous, at } = input;
		const revision = (previous?.revision ?? 0) + 1;
		const content = JSON.stringify(record);
		const name = record.name?.trim() || null;
		// one statement for a new record and the next revision of a known one; the owner and the
		// first arrival stay those of the first push
		this.db
			.prepare(
				`INSERT INTO records (id, county_code, kind, site_code, name, category, lat, lon, status, revision,
				 owner_id, content, content_key, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
				 ON CONFLICT(id) DO UPDATE SET county_code = excluded.county_code, kind = excluded.kind,
				 site_code = excluded.site_code, name = excluded.name, category = excluded.category, lat = excluded.lat,
				 lon = excluded.lon, status = excluded.status, revision = excluded.revision, content = excluded.content,
				 content_key = excluded.content_key, updated_at = excluded.updated_at`
			)
			.run(
				record.id,
				record.countyCode,
				record.kind,
				record.siteCode || null,
				name,
				record.category || null,
				record.location.lat,
				record.location.lon,
				input.status,
				revision,
				input.ownerId,
				content,
				input.contentKey,
				at,
				at
			);
		if (previous) this.db.prepare('DELETE FROM record_photos WHERE record_id = ?').run(record.id);
		const photo = this.db.prepare(
			'INSERT OR IGNORE INTO record_photos (record_id, sha256) VALUES (?, ?)'
		);
		for (const p of record.photos) photo.run(record.id, p.sha256);
		this.db
			.prepare(
				`INSERT INTO revisions (record_id, revision, at, by_user, action, status, content, findings, device_id)
				 VALUES (?, ?, ?, ?, 'push', ?, ?, ?, ?)`
			)
			.run(
				record.id,
				revision,
				at,
				input.by,
				input.status,
				content,
				JSON.stringify(input.findings),
				input.deviceId
			);
		appendChange(this.db, {
			type: 'record',
			countyCode: record.countyCode,
			recordId: record.id,
			ownerId: previous?.ownerId ?? input.ownerId,
			payload: {
				type: 'record',
				id: record.id,
				status: input.status,
				revision,
				comments: [],
				at,
				countyCode: record.countyCode
			},
			at
		});
		return revision;
	}

	/** Stores a review decision as the next revision. Call inside a transaction. */
	storeDecision(input: {
		row: RecordRow;
		action: 'approve' | 'return';
		status: RecordStatus;
		by: string;
		comments: ReviewComment[];
		at: string;
	}): number {
		const { row, at } = input;
		const revision = row.revision + 1;
		this.db
			.prepare('UPDATE records SET status = ?, revision = ?, updated_at = ? WHERE id = ?')
			.run(input.status, revision, at, row.id);
		this.db
			.prepare(
				`INSERT INTO revisions (record_id, revision, at, by_user, action, status, content, findings, comments)
				 VALUES (?, ?, ?, ?, ?, ?, NULL, '[]', ?)`
			)
			.run(
				row.id,
				revision,
				at,
				input.by,
				input.action,
				input.status,
				JSON.stringify(input.comments)
			);
		appendChange(this.db, {
			type: 'record',
			countyCode: row.countyCode,
			recordId: row.id,
			ownerId: row.ownerId,
			payload: {
				type: 'record',
				id: row.id,
				status: input.status,
				revision,
				comments: input.comments,
				at,
				countyCode: row.countyCode
			},
			at
		});
		return revision;
	}

	/** The QC findings of the newest pushed revision. */
	findings(id: string): QcFinding[] {
		const row = this.db
			.prepare(
				`SELECT findings FROM revisions WHERE record_id = ? AND action = 'push' ORDER BY revision DESC LIMIT 1`
			)
			.get(id) as { findings: string } | undefined;
		return row ? (JSON.parse(row.findings) as QcFinding[]) : [];
	}

	/** The comments of the newest decision, when it returned the record. */
	returnComments(id: string): ReviewComment[] {
		const row = this.db
			.prepare(
				`SELECT action, comments FROM revisions WHERE record_id = ? ORDER BY revision DESC LIMIT 1`
			)
			.get(id) as { action: string; comments: string } | undefined;
		return row?.action === 'return' ? (JSON.parse(row.comments) as ReviewComment[]) : [];
	}

	/**
	 * Every revision: who, when, what action, the status it left, the comments of a decision and,
	 * for a push, `changed` (the top-level fields that push changed; all filled-in fields for the
	 * first) — the device's conflict view shows who changed what from it.
	 */
	history(
		id: string
	): (HistoryEntry & { status: RecordStatus; comments: ReviewComment[]; changed?: string[] })[] {
		let previous: object | null = null;
		return (
			this.db
				.prepare(
					'SELECT revision, at, by_user, action, status, comments, content FROM revisions WHERE record_id = ? ORDER BY revision'
				)
				.all(id) as {
				revision: number;
				at: string;
				by_user: string;
				action: HistoryEntry['action'];
				status: RecordStatus;
				comments: string;
				content: string | null;
			}[]
		).map((r) => {
			const entry = {
				revision: r.revision,
				at: r.at,
				by: r.by_user,
				action: r.action,
				status: r.status,
				comments: JSON.parse(r.comments) as ReviewComment[]
			};
			if (r.content === null) return entry;
			const content = JSON.parse(r.content) as object;
			const changed = changedFields(previous, content);
			previous = content;
			return { ...entry, changed };
		});
	}

	/** The review queue: records of the counties, optionally of one status, newest first. */
	list(counties: readonly string[], status?: RecordStatus): RecordRow[] {
		if (counties.length === 0) return [];
		const marks = counties.map(() => '?').join(',');
		const params: unknown[] = [...counties];
		let sql = `SELECT * FROM records WHERE county_code IN (${marks})`;
		if (status) {
			sql += ' AND status = ?';
			params.push(status);
		}
		sql += ' ORDER BY updated_at DESC, id';
		return (this.db.prepare(sql).all(...params) as RawRecord[]).map(toRow);
	}

	/** Whether `userId` may read photo `sha256` through a record of `counties`. */
	photoReadable(sha256: string, counties: readonly string[]): boolean {
		if (counties.length === 0) return false;
		const marks = counties.map(() => '?').join(',');
		return (
			this.db
				.prepare(
					`SELECT 1 FROM record_photos p JOIN records r ON r.id = p.record_id
					 WHERE p.sha256 = ? AND r.county_code IN (${marks}) LIMIT 1`
				)
				.get(sha256, ...counties) !== undefined
		);
	}
}
