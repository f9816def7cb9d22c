import type { Db } from './connection.js';

export type ChangeInput = {
	type: 'record' | 'site';
	countyCode: string;
	recordId?: string;
	ownerId?: number;
	/** The change exactly as `pull` returns it. */
	payload: object;
	at: string;
};

/**
 * Appends a change to the feed and returns its sequence number. SQLite has one writer and the
 * number is taken inside the writer's transaction, so sequence order is commit order: a reader
 * that has seen N has seen every change before N (pull never skips).
 */
export function appendChange(db: Db, change: ChangeInput): number {
	const info = db
		.prepare(
			`INSERT INTO changes (type, county_code, record_id, owner_id, payload, at) VALUES (?, ?, ?, ?, ?, ?)`
		)
		.run(
			change.type,
			change.countyCode,
			change.recordId ?? null,
			change.ownerId ?? null,
			JSON.stringify(change.payload),
			change.at
		);
	return Number(info.lastInsertRowid);
}

/** Who reads the feed: every change of their counties, or (a surveyor) its own records'. */
export type FeedReader = { id: number; counties: readonly string[]; ownRecordsOnly: boolean };

/** Up to `limit` changes after `since`, and whether more follow. */
export function changesSince(
	db: Db,
	reader: FeedReader,
	since: number,
	limit: number
): { changes: { seq: number; payload: object }[]; more: boolean } {
	if (reader.counties.length === 0) return { changes: [], more: false };
	const marks = reader.counties.map(() => '?').join(',');
	const recordFilter = reader.ownRecordsOnly ? 'owner_id = ?' : '1 = 1';
	const params: unknown[] = [since, ...reader.counties];
	if (reader.ownRecordsOnly) params.push(reader.id);
	params.push(limit + 1);
	const rows = db
		.prepare(
			`SELECT seq, payload FROM changes
			 WHERE seq > ? AND county_code IN (${marks}) AND (type = 'site' OR ${recordFilter})
			 ORDER BY seq LIMIT ?`
		)
		.all(...params) as { seq: number; payload: string }[];
	const more = rows.length > limit;
	return {
		changes: rows
			.slice(0, limit)
			.map((row) => ({ seq: row.seq, payload: JSON.parse(row.payload) as object })),
		more
	};
}

/** The newest sequence number (0 on an empty feed). */
export function lastChange(db: Db): number {
	return (db.prepare('SELECT max(seq) AS s FROM changes').get() as { s: number | null }).s ?? 0;
}
