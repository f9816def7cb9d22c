import { sql } from 'kysely';
import type { Db } from './connection.js';
import type { CountyCode, RecordStatus } from '../../domain/codelists/index.js';
import type { SampleConclusion } from '../../domain/sync/wire.js';

/** A record a draw may pick: its id, county and revision now. */
export type PopulationRow = { id: string; countyCode: CountyCode; revision: number };

export type SampleRow = {
	id: number;
	drawnAt: string;
	drawnBy: string;
	seed: string;
	percent: number;
	statuses: RecordStatus[];
	counties: CountyCode[];
	/** county → records it had to draw from */
	populations: Partial<Record<CountyCode, number>>;
	note: string | null;
};

export type SampleItemRow = {
	recordId: string;
	countyCode: CountyCode;
	name: string | null;
	revisionAtDraw: number;
	status: RecordStatus;
	revision: number;
	conclusion: SampleConclusion | null;
	note: string | null;
	concludedBy: string | null;
	concludedAt: string | null;
};

/** How far one draw's checks have got, counted by the database. */
export type SampleCounts = { sampled: number; concluded: number; passed: number; failed: number };

const INSERT_BATCH = 500;

/** Spot checks (抽查): the draws and the conclusion on each drawn record. */
export class SampleRepository {
	constructor(private readonly db: Db) {}

	/** The records of `counties` in `statuses`, unordered (the draw orders them). */
	async population(
		counties: readonly string[],
		statuses: readonly RecordStatus[]
	): Promise<PopulationRow[]> {
		if (counties.length === 0 || statuses.length === 0) return [];
		const rows = await this.db
			.selectFrom('records')
			.select(['id', 'county_code', 'revision'])
			.where('county_code', 'in', [...counties])
			.where('status', 'in', [...statuses])
			.execute();
		return rows.map((r) => ({
			id: r.id,
			countyCode: r.county_code as CountyCode,
			revision: r.revision
		}));
	}

	/** Stores a draw and its records; returns its id. Call inside DataStore.write. */
	async create(sample: Omit<SampleRow, 'id'>, items: readonly PopulationRow[]): Promise<number> {
		const { id } = await this.db
			.insertInto('review_samples')
			.values({
				drawn_at: sample.drawnAt,
				drawn_by: sample.drawnBy,
				seed: sample.seed,
				percent: sample.percent,
				statuses: JSON.stringify(sample.statuses),
				counties: JSON.stringify(sample.counties),
				populations: JSON.stringify(sample.populations),
				note: sample.note
			})
			.returning('id')
			.executeTakeFirstOrThrow();
		for (let start = 0; start < items.length; start += INSERT_BATCH) {
			await this.db
				.insertInto('review_sample_items')
				.values(
					items.slice(start, start + INSERT_BATCH).map((item) => ({
						sample_id: id,
						record_id: item.id,
						county_code: item.countyCode,
						revision_at_draw: item.revision,
						conclusion: null,
						note: null,
						concluded_by: null,
						concluded_at: null
					}))
				)
				.execute();
		}
		return id;
	}

	#samples() {
		return this.db
			.selectFrom('review_samples')
			.select([
				'id',
				'drawn_at',
				'drawn_by',
				'seed',
				'percent',
				'statuses',
				'counties',
				'populations',
				'note'
			]);
	}

	static #toSample(row: {
		id: number;
		drawn_at: string;
		drawn_by: string;
		seed: string;
		percent: number;
		statuses: string;
		counties: string;
		populations: string;
		note: string | null;
	}): SampleRow {
		return {
			id: row.id,
			drawnAt: row.drawn_at,
			drawnBy: row.drawn_by,
			seed: row.seed,
			percent: Number(row.percent),
			statuses: JSON.parse(row.statuses) as RecordStatus[],
			counties: JSON.parse(row.counties) as CountyCode[],
			populations: JSON.parse(row.populations) as SampleRow['populations'],
			note: row.note
		};
	}

	async get(id: number): Promise<SampleRow | undefined> {
		const row = await this.#samples().where('id', '=', id).executeTakeFirst();
		return row && SampleRepository.#toSample(row);
	}

	/** Every draw, newest first, with how far its checks have got. */
	async list(): Promise<(SampleRow & { counts: SampleCounts })[]> {
		const samples = await this.#samples().orderBy('id', 'desc').execute();
		const counts = await this.db
			.selectFrom('review_sample_items')
			.select([
				'sample_id',
				(eb) => eb.fn.countAll<number | string>().as('sampled'),
				(eb) => eb.fn.count<number | string>('conclusion').as('concluded'),
				sql<number | string>`sum(case when conclusion = '合格' then 1 else 0 end)`.as('passed'),
				sql<number | string>`sum(case when conclusion = '不合格' then 1 else 0 end)`.as('failed')
			])
			.groupBy('sample_id')
			.execute();
		const bySample = new Map(
			counts.map((c) => [
				c.sample_id,
				{
					sampled: Number(c.sampled),
					concluded: Number(c.concluded),
					passed: Number(c.passed),
					failed: Number(c.failed)
				}
			])
		);
		return samples.map((row) => ({
			...SampleRepository.#toSample(row),
			counts: bySample.get(row.id) ?? { sampled: 0, concluded: 0, passed: 0, failed: 0 }
		}));
	}

	#items(sampleId: number) {
		return this.db
			.selectFrom('review_sample_items as i')
			.innerJoin('records as r', 'r.id', 'i.record_id')
			.select([
				'i.record_id',
				'i.county_code',
				'r.name',
				'i.revision_at_draw',
				'r.status',
				'r.revision',
				'i.conclusion',
				'i.note',
				'i.concluded_by',
				'i.concluded_at'
			])
			.where('i.sample_id', '=', sampleId);
	}

	static #toItem(row: {
		record_id: string;
		county_code: string;
		name: string | null;
		revision_at_draw: number;
		status: string;
		revision: number;
		conclusion: SampleConclusion | null;
		note: string | null;
		concluded_by: string | null;
		concluded_at: string | null;
	}): SampleItemRow {
		return {
			recordId: row.record_id,
			countyCode: row.county_code as CountyCode,
			name: row.name,
			revisionAtDraw: row.revision_at_draw,
			status: row.status as RecordStatus,
			revision: row.revision,
			conclusion: row.conclusion,
			note: row.note,
			concludedBy: row.concluded_by,
			concludedAt: row.concluded_at
		};
	}

	/** The records of a draw in county, then id order (code units, as the draw orders them). */
	async items(sampleId: number): Promise<SampleItemRow[]> {
		const rows = (await this.#items(sampleId).execute()).map((r) => SampleRepository.#toItem(r));
		return rows.sort(
			(a, b) => compare(a.countyCode, b.countyCode) || compare(a.recordId, b.recordId)
		);
	}

	/**
	 * Records a conclusion on a drawn record, replacing an earlier one with its author and time.
	 * False when the record is not in the draw. Call inside DataStore.write.
	 */
	async conclude(
		sampleId: number,
		recordId: string,
		conclusion: { conclusion: SampleConclusion; note: string | null; by: string; at: string }
	): Promise<boolean> {
		const result = await this.db
			.updateTable('review_sample_items')
			.set({
				conclusion: conclusion.conclusion,
				note: conclusion.note,
				concluded_by: conclusion.by,
				concluded_at: conclusion.at
			})
			.where('sample_id', '=', sampleId)
			.where('record_id', '=', recordId)
			.executeTakeFirst();
		return Number(result.numUpdatedRows) > 0;
	}
}

/** Code-unit order, the same on every database and in every locale. */
export const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
