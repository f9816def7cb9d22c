import { sql } from 'kysely';
import type { Db } from './connection.js';
import type { QcFinding } from '../../domain/qc/finding.js';
import { isNearSiteFinding } from '../../domain/qc/rules/duplicates.js';
import { COUNTY_CODES, type RecordStatus } from '../../domain/codelists/index.js';
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

export type QueueRow = {
	id: string;
	countyCode: string;
	status: RecordStatus;
	revision: number;
	record: SurveyRecord;
	receivedAt: string;
	errors: number;
	warnings: number;
	nearSite: boolean;
	surveyor: string | null;
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

/** The start of China Standard Time day `date` (YYYY-MM-DD) as the ISO text stored times use. */
function dayStart(date: string, plusDays = 0): string {
	const ms = Date.parse(`${date}T00:00:00+08:00`) + plusDays * 86_400_000;
	return new Date(ms).toISOString();
}

/** The review queue: its filters, sort, pages and counts, and reviewers' visits. */
export class ReviewQueueRepository {
	constructor(private readonly db: Db) {}

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
	 * The records, rows and counts, with every filter but the status. All nine counties (a city
	 * reviewer) need no county condition, which leaves the planner free to walk an index in the
	 * sort's order.
	 */
	#filtered(counties: readonly string[], query: ReviewQueueQuery) {
		const { severity, category, surveyor, from, to } = query;
		const everyCounty = COUNTY_CODES.every((c) => counties.includes(c));
		return this.db
			.selectFrom('records as r')
			.leftJoin('record_qc as q', 'q.record_id', 'r.id')
			.leftJoin('users as u', 'u.id', 'r.owner_id')
			.$if(!everyCounty, (b) => b.where('r.county_code', 'in', [...counties]))
			.$if(severity === 'error', (b) => b.where('q.errors', '>', 0))
			.$if(severity === 'warning', (b) => b.where('q.errors', '=', 0).where('q.warnings', '>', 0))
			.$if(severity === 'clean', (b) =>
				b.where((eb) =>
					eb.or([
						eb('q.record_id', 'is', null),
						eb.and([eb('q.errors', '=', 0), eb('q.warnings', '=', 0)])
					])
				)
			)
			.$if(category !== undefined, (b) => b.where('r.category', '=', category!))
			.$if(surveyor !== undefined, (b) => b.where('u.username', '=', surveyor!))
			.$if(from !== undefined, (b) => b.where('r.updated_at', '>=', dayStart(from!)))
			.$if(to !== undefined, (b) => b.where('r.updated_at', '<', dayStart(to!, 1)));
	}

	/**
	 * One page of the queue of `counties` (the caller has checked they are the user's), sorted,
	 * with the total and the counts per status. `pageSize` null gives every row.
	 */
	async page(
		counties: readonly string[],
		query: ReviewQueueQuery,
		pageSize: number | null = QUEUE_PAGE_SIZE
	): Promise<QueuePage> {
		const page = query.page ?? 1;
		if (counties.length === 0) return { rows: [], total: 0, counts: {}, page, pageSize };
		const grouped = await this.#filtered(counties, query)
			.select(['r.status', (eb) => eb.fn.countAll<number | string>().as('n')])
			.groupBy('r.status')
			.execute();
		const counts: Partial<Record<RecordStatus, number>> = {};
		for (const g of grouped) counts[g.status as RecordStatus] = Number(g.n);
		const total = query.status
			? (counts[query.status] ?? 0)
			: Object.values(counts).reduce((a, b) => a + b, 0);

		const sort = query.sort ?? 'arrival';
		const natural = sort === 'name' || sort === 'county' ? 'asc' : 'desc';
		const order = query.order ?? natural;
		const flip = (d: 'asc' | 'desc') => (order === natural ? d : d === 'asc' ? 'desc' : 'asc');
		let select = this.#filtered(counties, query)
			.$if(query.status !== undefined, (b) => b.where('r.status', '=', query.status!))
			.select([
				'r.id',
				'r.county_code',
				'r.status',
				'r.revision',
				'r.content',
				'r.updated_at',
				'u.username',
				sql<number>`coalesce(q.errors, 0)`.as('errors'),
				sql<number>`coalesce(q.warnings, 0)`.as('warnings'),
				sql<number>`coalesce(q.near_site, 0)`.as('near_site')
			]);
		if (sort === 'name') select = select.orderBy(sql`coalesce(r.name, '')`, flip('asc'));
		if (sort === 'county') select = select.orderBy('r.county_code', flip('asc'));
		if (sort === 'severity') {
			select = select
				.orderBy(sql`coalesce(q.errors, 0)`, flip('desc'))
				.orderBy(sql`coalesce(q.warnings, 0)`, flip('desc'));
		}
		select = select
			.orderBy('r.updated_at', sort === 'arrival' ? flip('desc') : 'desc')
			.orderBy('r.id');
		if (pageSize !== null) select = select.limit(pageSize).offset((page - 1) * pageSize);
		const raw = await select.execute();
		return {
			rows: raw.map((r) => ({
				id: r.id,
				countyCode: r.county_code,
				status: r.status as RecordStatus,
				revision: r.revision,
				record: JSON.parse(r.content) as SurveyRecord,
				receivedAt: r.updated_at,
				errors: Number(r.errors),
				warnings: Number(r.warnings),
				nearSite: Number(r.near_site) === 1,
				surveyor: r.username
			})),
			total,
			counts,
			page,
			pageSize
		};
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
	 * Notes a view of the queue at `at` and answers since when records count as new: the end of
	 * the previous visit. The first visit ever marks what arrives during it. Call inside
	 * DataStore.write.
	 */
	async visit(userId: number, at: string): Promise<string> {
		const row = await this.db
			.selectFrom('review_visits')
			.select(['marks_since', 'last_seen_at'])
			.where('user_id', '=', userId)
			.executeTakeFirst();
		let marksSince = row?.marks_since ?? at;
		if (row && Date.parse(at) - Date.parse(row.last_seen_at) >= VISIT_GAP_MS)
			marksSince = row.last_seen_at;
		await this.db
			.insertInto('review_visits')
			.values({ user_id: userId, marks_since: marksSince, last_seen_at: at })
			.onConflict((oc) =>
				oc.column('user_id').doUpdateSet({ marks_since: marksSince, last_seen_at: at })
			)
			.execute();
		return marksSince;
	}
}
