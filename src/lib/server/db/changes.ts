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
 * Who reads the feed: every change of their counties, or (a surveyor) its own records' and,
 * with `teammates`, those of the records its teammates wrote in the team's county (issue 13).
 */
export type FeedReader = {
	id: number;
	counties: readonly string[];
	ownRecordsOnly: boolean;
	teammates?: { ids: readonly number[]; county: string };
};

/**
 * The change feed that `pull` reads. Its promise: a reader that has seen seq N has seen every
 * change before N, so a cursor never skips a row. That needs sequence order to be commit order,
 * which both databases get from DataStore.write: SQLite has one writer at a time, and on
 * PostgreSQL every writing transaction first takes one advisory lock, so no seq can commit after
 * a higher one (see store.ts).
 */
export class ChangeFeed {
	constructor(private readonly db: Db) {}

	/** Appends a change and returns its seq. Only inside DataStore.write (see above). */
	async append(change: ChangeInput): Promise<number> {
		const row = await this.db
			.insertInto('changes')
			.values({
				type: change.type,
				county_code: change.countyCode,
				record_id: change.recordId ?? null,
				owner_id: change.ownerId ?? null,
				payload: JSON.stringify(change.payload),
				at: change.at
			})
			.returning('seq')
			.executeTakeFirstOrThrow();
		return row.seq;
	}

	/**
	 * Appends many changes in the order given, in batches (a publish: one per record). Only
	 * inside DataStore.write.
	 */
	async appendMany(changes: readonly ChangeInput[]): Promise<void> {
		for (let i = 0; i < changes.length; i += 500)
			await this.db
				.insertInto('changes')
				.values(
					changes.slice(i, i + 500).map((change) => ({
						type: change.type,
						county_code: change.countyCode,
						record_id: change.recordId ?? null,
						owner_id: change.ownerId ?? null,
						payload: JSON.stringify(change.payload),
						at: change.at
					}))
				)
				.execute();
	}

	/** Up to `limit` changes after `since`, and whether more follow. */
	async since(
		reader: FeedReader,
		since: number,
		limit: number
	): Promise<{
		changes: { seq: number; payload: object; ownerId: number | null }[];
		more: boolean;
	}> {
		if (reader.counties.length === 0) return { changes: [], more: false };
		const team = reader.teammates?.ids.length ? reader.teammates : undefined;
		const rows = await this.db
			.selectFrom('changes')
			.select(['seq', 'payload', 'owner_id'])
			.where('seq', '>', since)
			.where('county_code', 'in', reader.counties)
			.$if(reader.ownRecordsOnly, (q) =>
				q.where((eb) =>
					eb.or([
						eb('type', '=', 'site'),
						eb('owner_id', '=', reader.id),
						...(team
							? [eb.and([eb('owner_id', 'in', [...team.ids]), eb('county_code', '=', team.county)])]
							: [])
					])
				)
			)
			.orderBy('seq')
			.limit(limit + 1)
			.execute();
		const more = rows.length > limit;
		return {
			changes: rows.slice(0, limit).map((row) => ({
				seq: row.seq,
				payload: JSON.parse(row.payload) as object,
				ownerId: row.owner_id
			})),
			more
		};
	}

	/** The newest seq (0 on an empty feed). */
	async last(): Promise<number> {
		const row = await this.db
			.selectFrom('changes')
			.select((eb) => eb.fn.max('seq').as('s'))
			.executeTakeFirst();
		return row?.s ?? 0;
	}
}
