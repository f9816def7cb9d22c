import { sql, type RawBuilder } from 'kysely';
import type { Db } from './connection.js';
import type { QcFinding } from '../../domain/qc/finding.js';
import { isNearSiteFinding } from '../../domain/qc/rules/duplicates.js';
import { COUNTY_CODES, RECORD_STATUSES, type RecordStatus } from '../../domain/codelists/index.js';
import type { SurveyRecord } from '../../domain/schemas/survey-record.js';
import { QUEUE_PAGE_SIZE, type ReviewQueueQuery } from '../../domain/sync/wire.js';

/**
 * A visit to the queue is a run of views less than this apart. Records that arrived after the
 * previous visit ended stay marked new for the whole of this one: a reload, a filter or the next
 * page does not clear them.
 */
export const VISIT_GAP_MS = 30 * 60 * 1000;

/** The record_qc row of a record whose newest pushed revision has `findings`. */
export function qcRow(recordId: string, findings: readonly QcFinding[]) {
	return {
		record_id: recordId,
		errors: findings.filter((f) => f.severity === 'error').length,
		warnings: findings.filter((f) => f.severity === 'warning').length,
		near_site: findings.some(isNearSiteFinding) ? 1 : 0
	};
}

/** The QC counts a record's row keeps for the queue's indexes (migration 0009), as qcRow's. */
export function qcColumns(findings: readonly QcFinding[]) {
	return {
		qc_errors: findings.filter((f) => f.severity === 'error').length,
		qc_warnings: findings.filter((f) => f.severity === 'warning').length
	};
}

export type QueueRow = {
	id: string;
	countyCode: string;
	status: RecordStatus;
	revision: number;
	/** the record as stored: JSON.stringify of a SurveyRecord */
	content: string;
	/** `content` parsed, on first use */
	readonly record: SurveyRecord;
	receivedAt: string;
	errors: number;
	warnings: number;
	nearSite: boolean;
	surveyor: string | null;
	/** the surveyor's team now */
	team: { id: number; name: string } | null;
};

export type QueuePage = {
	rows: QueueRow[];
	/** rows matching every filter */
	total: number;
	/** rows per status matching every filter but the status */
	counts: Partial<Record<RecordStatus, number>>;
	page: number;
	/** null: every row in one page */
	pageSize: number | null;
};

/** Whether `counties` are all of them: a city reviewer's queue, with no county condition. */
const everyCounty = (counties: readonly string[]) =>
	COUNTY_CODES.every((c) => counties.includes(c));

/** The start of China Standard Time day `date` (YYYY-MM-DD) as the ISO text stored times use. */
function dayStart(date: string, plusDays = 0): string {
	const ms = Date.parse(`${date}T00:00:00+08:00`) + plusDays * 86_400_000;
	return new Date(ms).toISOString();
}

/** The queue's size under `query`: its status's count, or the sum of the counts. */
function totalOf(counts: Partial<Record<RecordStatus, number>>, query: ReviewQueueQuery): number {
	return query.status
		? (counts[query.status] ?? 0)
		: Object.values(counts).reduce((a, b) => a + b, 0);
}

/** The review queue: its filters, sort, pages and counts, and reviewers' visits. */
export class ReviewQueueRepository {
	constructor(private readonly db: Db) {}

	/**
	 * The statistics' filters (issue 14 point 2) on the record's columns of its content
	 * (stat-columns.ts, migration 0015).
	 */
	#contentFilters(query: ReviewQueueQuery): RawBuilder<boolean>[] {
		const conditions: RawBuilder<boolean>[] = [];
		const equal = (column: string, value: string | undefined) => {
			if (value !== undefined) conditions.push(sql<boolean>`${sql.ref(column)} = ${value}`);
		};
		equal('r.kind', query.kind);
		equal('r.stat_change', query.change);
		equal('r.stat_era', query.era);
		equal('r.stat_level', query.level);
		equal('r.stat_condition', query.condition);
		// a code-list term (the schema checked it) holds no `|`, `%` or `_`
		if (query.threat !== undefined)
			conditions.push(sql<boolean>`r.stat_threats LIKE ${`%|${query.threat}|%`}`);
		// the weeks of the statistics: first received (records_created, 0016), and accepted by
		// the city (an approval that made it accepted: revisions_city_accepted, 0015)
		if (query.receivedWeek !== undefined)
			conditions.push(
				sql<boolean>`r.created_at >= ${dayStart(query.receivedWeek)} AND r.created_at < ${dayStart(query.receivedWeek, 7)}`
			);
		if (query.acceptedWeek !== undefined)
			conditions.push(sql<boolean>`EXISTS (SELECT 1 FROM revisions v
				WHERE v.record_id = r.id AND v.action = 'approve' AND v.status = 'accepted'
					AND v.at >= ${dayStart(query.acceptedWeek)} AND v.at < ${dayStart(query.acceptedWeek, 7)})`);
		// one 复查 record per registered site (records_site): the site's first, or its first the
		// city accepted (accepted or published) — the statistics' re-checked sites
		if (query.perSite !== undefined) {
			const done = query.perSite === 'accepted';
			const accepted = sql.join(['accepted', 'published'].map((s) => sql.lit(s)));
			conditions.push(sql<boolean>`r.kind = '复查' AND r.site_code IS NOT NULL
				${done ? sql`AND r.status IN (${accepted})` : sql``}
				AND NOT EXISTS (SELECT 1 FROM records r2
					WHERE r2.site_code = r.site_code AND r2.kind = '复查'
						${done ? sql`AND r2.status IN (${accepted})` : sql``}
						AND (r2.created_at < r.created_at OR (r2.created_at = r.created_at AND r2.id < r.id)))`);
		}
		return conditions;
	}

	/** Keeps the QC counts of a record's newest pushed revision. Call inside DataStore.write. */
	async noteFindings(recordId: string, findings: readonly QcFinding[]): Promise<void> {
		const row = qcRow(recordId, findings);
		await this.db
			.insertInto('record_qc')
			.values(row)
			.onConflict((oc) =>
				oc.column('record_id').doUpdateSet({
					errors: row.errors,
					warnings: row.warnings,
					near_site: row.near_site
				})
			)
			.execute();
	}

	/**
	 * The records matching every filter but the status, on `records` alone: every column a filter
	 * reads is in the queue's indexes (migration 0009), so the counts and a page's ids come out
	 * of an index without reading a row. `ownerIds`: the accounts of the `surveyor` filter. All
	 * nine counties (a city reviewer) need no county condition, which leaves the planner free to
	 * walk an index in the sort's order.
	 */
	#filtered(counties: readonly string[], query: ReviewQueueQuery, ownerIds: number[] | null) {
		const { severity, category, from, to } = query;
		return this.db
			.selectFrom('records as r')
			.$if(!everyCounty(counties) && counties.length === 1, (b) =>
				b.where('r.county_code', '=', counties[0]!)
			)
			.$if(!everyCounty(counties) && counties.length > 1, (b) =>
				b.where('r.county_code', 'in', [...counties])
			)
			.$if(severity === 'error', (b) => b.where('r.qc_errors', '>', 0))
			.$if(severity === 'warning', (b) =>
				b.where('r.qc_errors', '=', 0).where('r.qc_warnings', '>', 0)
			)
			.$if(severity === 'clean', (b) =>
				b.where('r.qc_errors', '=', 0).where('r.qc_warnings', '=', 0)
			)
			.$if(category !== undefined, (b) => b.where('r.category', '=', category!))
			.$if(ownerIds !== null, (b) => b.where('r.owner_id', 'in', [...ownerIds!, -1]))
			.$if(from !== undefined, (b) => b.where('r.updated_at', '>=', dayStart(from!)))
			.$if(to !== undefined, (b) => b.where('r.updated_at', '<', dayStart(to!, 1)))
			.$call((b) => {
				let filtered = b;
				for (const condition of this.#contentFilters(query)) filtered = filtered.where(condition);
				return filtered;
			});
	}

	/**
	 * The records per status matching every filter but the status. Without a filter but the
	 * county (the views a reviewer opens first), they are the counts kept per county and status
	 * (queue_counts, 0009); otherwise a count over one index range.
	 */
	async #counts(
		counties: readonly string[],
		query: ReviewQueueQuery,
		ownerIds: number[] | null
	): Promise<Partial<Record<RecordStatus, number>>> {
		const { severity, category, surveyor, team, from, to } = query;
		const { kind, change, era, level, condition, threat, receivedWeek, acceptedWeek } = query;
		const kept =
			[severity, category, surveyor, team, from, to].every((f) => f === undefined) &&
			[kind, change, era, level, condition, threat].every((f) => f === undefined) &&
			[receivedWeek, acceptedWeek, query.perSite].every((f) => f === undefined);
		const grouped = kept
			? await this.db
					.selectFrom('queue_counts')
					.$if(!everyCounty(counties), (b) => b.where('county_code', 'in', [...counties]))
					.select(['status', (eb) => eb.fn.sum<number | string>('n').as('n')])
					.groupBy('status')
					.execute()
			: await this.#filtered(counties, query, ownerIds)
					.select(['r.status', (eb) => eb.fn.countAll<number | string>().as('n')])
					.groupBy('r.status')
					.execute();
		const found = new Map(grouped.map((g) => [g.status, Number(g.n)]));
		const counts: Partial<Record<RecordStatus, number>> = {};
		for (const status of RECORD_STATUSES) {
			const n = found.get(status) ?? 0;
			if (n > 0) counts[status] = n;
		}
		return counts;
	}

	/**
	 * The queue's order: the sort's key, then newest first, then by id, which is the order of the
	 * indexes of migration 0009 (OFFSET skips index entries, not rows). Each key is on `r`, so it
	 * orders the page's ids and the page's rows alike.
	 */
	#order(query: ReviewQueueQuery): [RawBuilder<unknown>, 'asc' | 'desc'][] {
		const sort = query.sort ?? 'arrival';
		const natural = sort === 'name' || sort === 'county' ? 'asc' : 'desc';
		const order = query.order ?? natural;
		const flip = (d: 'asc' | 'desc') => (order === natural ? d : d === 'asc' ? 'desc' : 'asc');
		const keys: [RawBuilder<unknown>, 'asc' | 'desc'][] = [];
		if (sort === 'name') keys.push([sql`coalesce(r.name, '')`, flip('asc')]);
		if (sort === 'county') keys.push([sql.ref('r.county_code'), flip('asc')]);
		if (sort === 'severity')
			keys.push([sql.ref('r.qc_errors'), flip('desc')], [sql.ref('r.qc_warnings'), flip('desc')]);
		keys.push([sql.ref('r.updated_at'), sort === 'arrival' ? flip('desc') : 'desc']);
		keys.push([sql.ref('r.id'), 'asc']);
		return keys;
	}

	/** The ids of the queue's records (every filter, the status too), in the queue's order. */
	#ordered(counties: readonly string[], query: ReviewQueueQuery, ownerIds: number[] | null) {
		let select = this.#filtered(counties, query, ownerIds)
			.$if(query.status !== undefined, (b) => b.where('r.status', '=', query.status!))
			.select('r.id');
		for (const [key, direction] of this.#order(query)) select = select.orderBy(key, direction);
		return select;
	}

	/** The surveyor filter names an account: the ids of the accounts a record keeps (or null). */
	async #ownerIds(query: ReviewQueueQuery): Promise<number[] | null> {
		// the surveyor filter names an account: the id is what a record keeps
		let ownerIds: number[] | null = null;
		if (query.surveyor !== undefined) {
			const owners = await this.db
				.selectFrom('users')
				.select('id')
				.where('username', '=', query.surveyor)
				.execute();
			ownerIds = owners.map((o) => o.id);
		}
		// the team filter: the records of its members now (a team of other counties matches none
		// of the user's records, so it needs no scope check of its own)
		if (query.team !== undefined) {
			const members = await this.db
				.selectFrom('team_members')
				.select('user_id')
				.where('team_id', '=', query.team)
				.execute();
			const memberIds = members.map((m) => m.user_id);
			ownerIds = ownerIds === null ? memberIds : ownerIds.filter((id) => memberIds.includes(id));
		}
		return ownerIds;
	}

	/**
	 * The ids of the queue from `offset` on, at most `limit`, in the queue's order (out of an
	 * index, no row read): the record page's place in the queue and its neighbours.
	 */
	async ids(
		counties: readonly string[],
		query: ReviewQueueQuery,
		offset: number,
		limit: number
	): Promise<string[]> {
		if (counties.length === 0) return [];
		const select = this.#ordered(counties, query, await this.#ownerIds(query))
			.limit(limit)
			.offset(offset);
		return (await select.execute()).map((r) => r.id);
	}

	/**
	 * The queue's size under `query` (every filter), and the counts per status (every filter but
	 * the status).
	 */
	async count(
		counties: readonly string[],
		query: ReviewQueueQuery
	): Promise<{ total: number; counts: Partial<Record<RecordStatus, number>> }> {
		if (counties.length === 0) return { total: 0, counts: {} };
		const counts = await this.#counts(counties, query, await this.#ownerIds(query));
		return { total: totalOf(counts, query), counts };
	}

	/**
	 * The queue's rows of one page (every row when `pageSize` is null) in one query: the page's
	 * ids come out of an index (a subquery, so OFFSET skips index entries), then the rows of
	 * those ids (whose content is the bulk of a row) are read and put in the queue's order.
	 */
	async #pageRows(
		counties: readonly string[],
		query: ReviewQueueQuery,
		ownerIds: number[] | null,
		pageSize: number | null
	) {
		let ids = this.#ordered(counties, query, ownerIds);
		if (pageSize !== null) ids = ids.limit(pageSize).offset(((query.page ?? 1) - 1) * pageSize);
		// CROSS JOIN: SQLite walks the page's ids first (it keeps the order of a cross join), not
		// the whole table in the sort's index looking each row up among the ids
		let select = this.db
			.selectFrom(ids.as('p'))
			.crossJoin('records as r')
			.whereRef('r.id', '=', 'p.id')
			.leftJoin('record_qc as q', 'q.record_id', 'r.id')
			.leftJoin('users as u', 'u.id', 'r.owner_id')
			.leftJoin('team_members as tm', 'tm.user_id', 'r.owner_id')
			.leftJoin('teams as t', 't.id', 'tm.team_id')
			.select([
				'r.id',
				'r.county_code',
				'r.status',
				'r.revision',
				'r.content',
				'r.updated_at',
				'u.username',
				't.id as team_id',
				't.name as team_name',
				'r.qc_errors',
				'r.qc_warnings',
				sql<number>`coalesce(q.near_site, 0)`.as('near_site')
			]);
		for (const [key, direction] of this.#order(query)) select = select.orderBy(key, direction);
		return select.execute();
	}

	/**
	 * One page of the queue of `counties` (the caller has checked they are the user's), sorted,
	 * with the total and the counts per status. `pageSize` null gives every row. Two queries,
	 * side by side: the counts, and the page's rows. Outside a transaction (DataStore.read) they
	 * go over two connections at once on PostgreSQL; each is one snapshot, and a record that
	 * arrives between them shows in the next view.
	 */
	async page(
		counties: readonly string[],
		query: ReviewQueueQuery,
		pageSize: number | null = QUEUE_PAGE_SIZE
	): Promise<QueuePage> {
		const page = query.page ?? 1;
		if (counties.length === 0) return { rows: [], total: 0, counts: {}, page, pageSize };
		const ownerIds = await this.#ownerIds(query);
		const [counts, found] = await Promise.all([
			this.#counts(counties, query, ownerIds),
			this.#pageRows(counties, query, ownerIds, pageSize)
		]);
		const total = totalOf(counts, query);
		const rows = found.map((r): QueueRow => {
			let record: SurveyRecord | undefined;
			return {
				id: r.id,
				countyCode: r.county_code,
				status: r.status as RecordStatus,
				revision: r.revision,
				content: r.content,
				get record() {
					return (record ??= JSON.parse(r.content) as SurveyRecord);
				},
				receivedAt: r.updated_at,
				errors: Number(r.qc_errors),
				warnings: Number(r.qc_warnings),
				nearSite: Number(r.near_site) === 1,
				surveyor: r.username,
				team: r.team_id !== null ? { id: r.team_id, name: r.team_name! } : null
			};
		});
		return { rows, total, counts, page, pageSize };
	}

	/** Since when records count as new for `userId` (null: mark none), without a visit. */
	async marksSince(userId: number): Promise<string | null> {
		const row = await this.db
			.selectFrom('review_visits')
			.select('marks_since')
			.where('user_id', '=', userId)
			.executeTakeFirst();
		return row?.marks_since ?? null;
	}

	/**
	 * Notes a view of the queue at `at` (ISO text, as stored times are) and answers since when
	 * records count as new: the end of the previous visit. The first visit ever marks what
	 * arrives during it. One statement, atomic on its own: no transaction needed (the queue page
	 * runs it beside the page's reads). The gap is measured on the ISO texts, which sort as the
	 * times they name.
	 */
	async visit(userId: number, at: string): Promise<string> {
		const gapStart = new Date(Date.parse(at) - VISIT_GAP_MS).toISOString();
		const row = await this.db
			.insertInto('review_visits')
			.values({ user_id: userId, marks_since: at, last_seen_at: at })
			.onConflict((oc) =>
				oc.column('user_id').doUpdateSet({
					// after a gap, the previous visit ended at its last view
					marks_since: sql<string>`CASE WHEN review_visits.last_seen_at <= ${gapStart}
						THEN review_visits.last_seen_at
						ELSE coalesce(review_visits.marks_since, ${at}) END`,
					last_seen_at: at
				})
			)
			.returning('marks_since')
			.executeTakeFirstOrThrow();
		return row.marks_since ?? at;
	}
}
