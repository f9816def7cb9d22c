/**
 * Spot checks (抽查, issue 12 point 5): the draw is reproducible from its seed, and the draws,
 * their conclusions and their results are stored on each database (SQLite always, PostgreSQL
 * with TEST_PG_URL) and carried by a copy of the database (what a backup of PostgreSQL is).
 */
import { describe, expect, it } from 'vitest';
import { DataStore } from '$lib/server/db/store.js';
import { copyDatabase, tableRows } from '$lib/server/db/copy.js';
import type { PopulationRow } from '$lib/server/db/samples.js';
import {
	conclude,
	countySeed,
	draw,
	drawSample,
	listSamples,
	readSample,
	sampleSize
} from '$lib/server/review/samples.js';
import type { Principal } from '$lib/server/auth/roles.js';
import { COUNTY_CODES, type CountyCode, type RecordStatus } from '$lib/domain/codelists/index.js';
import { BACKENDS, freshWhere } from './databases.js';

const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

/** `n` records of `county`, with ids from `from`. */
function population(county: CountyCode, n: number, from = 0): PopulationRow[] {
	return Array.from({ length: n }, (_, i) => ({
		id: id(from + i),
		countyCode: county,
		revision: 1 + (i % 3)
	}));
}

const ids = (rows: readonly PopulationRow[]) => rows.map((r) => r.id);

/** A deterministic reordering (reversed, then every other one first). */
const reordered = <T>(rows: readonly T[]): T[] => {
	const reversed = [...rows].reverse();
	return [...reversed.filter((_, i) => i % 2 === 0), ...reversed.filter((_, i) => i % 2 === 1)];
};

describe('the draw', () => {
	const people = [...population('150602', 40), ...population('150603', 25, 100)];

	it('takes ⌈percent/100 × n⌉ of each county, none of an empty one', () => {
		expect(sampleSize(10, 30)).toBe(3);
		expect(sampleSize(10, 31)).toBe(4);
		expect(sampleSize(0.1, 1)).toBe(1);
		expect(sampleSize(33.3, 3)).toBe(1);
		expect(sampleSize(100, 7)).toBe(7);
		expect(sampleSize(50, 0)).toBe(0);
		const { picked, populations } = drawSample('s', 10, ['150602', '150603', '150621'], people);
		expect(populations).toEqual({ '150602': 40, '150603': 25, '150621': 0 });
		expect(picked.filter((r) => r.countyCode === '150602')).toHaveLength(4);
		expect(picked.filter((r) => r.countyCode === '150603')).toHaveLength(3);
		// distinct records of the population, with their revisions
		expect(new Set(ids(picked)).size).toBe(7);
		for (const row of picked) expect(people).toContainEqual(row);
	});

	it('gives the same sample for the same seed and the same records, in any order', () => {
		const first = drawSample('2025-抽查-1', 20, ['150602', '150603'], people);
		const again = drawSample('2025-抽查-1', 20, ['150603', '150602'], reordered(people));
		expect(ids(again.picked)).toEqual(ids(first.picked));
		// and it is ordered by county, then id
		const sorted = [...first.picked].sort(
			(a, b) => a.countyCode.localeCompare(b.countyCode) || (a.id < b.id ? -1 : 1)
		);
		expect(ids(first.picked)).toEqual(ids(sorted));
	});

	it('gives another sample for another seed', () => {
		const a = ids(drawSample('seed-a', 20, ['150602', '150603'], people).picked);
		const b = ids(drawSample('seed-b', 20, ['150602', '150603'], people).picked);
		expect(b).toHaveLength(a.length);
		expect(b).not.toEqual(a);
		expect(countySeed('seed-a', '150602')).not.toBe(countySeed('seed-b', '150602'));
		expect(countySeed('seed-a', '150602')).not.toBe(countySeed('seed-a', '150603'));
	});

	it("draws a county's sample whichever other counties are drawn with it", () => {
		const both = drawSample('k', 25, ['150602', '150603'], people).picked;
		const alone = drawSample('k', 25, ['150603'], people).picked;
		expect(ids(alone)).toEqual(ids(both.filter((r) => r.countyCode === '150603')));
	});

	it('draws exactly what it drew when this test was written (a stored seed must redraw the same)', () => {
		// If a dependency upgrade changes the generator, draws stored before it can no longer be
		// redrawn from their seeds: this fails first.
		const { picked } = drawSample('ordos', 10, ['150602', '150603'], people);
		expect(ids(picked).map((i) => Number(i.slice(-12)))).toEqual(PINNED);
	});
});

/** The sample of seed "ordos", 10 %, of the population above, as first drawn (pure-rand 8.4.2). */
const PINNED = [1, 22, 24, 31, 105, 112, 122];

// ---- stored draws ----------------------------------------------------------------------------

const at = (ms: number) => new Date(Date.UTC(2025, 5, 2, 1) + ms);

const principal = (
	username: string,
	role: Principal['role'],
	counties: readonly CountyCode[]
): Principal => ({ id: 1, username, role, counties: [...counties], demo: false, tokenId: 0 });

const city = principal('city', 'city_reviewer', COUNTY_CODES);

async function seeded(postgres: boolean) {
	const store = await DataStore.open(await freshWhere(postgres, 'survey-samples-'));
	const owner = await store.users.create({
		username: 'surveyor-samples',
		role: 'surveyor',
		counties: ['150602', '150603'],
		passwordHash: 'x'
	});
	const rows: { n: number; county: CountyCode; status: RecordStatus }[] = [];
	for (let n = 0; n < 60; n++) {
		const county: CountyCode = n < 40 ? '150602' : '150603';
		const status: RecordStatus = (['county_approved', 'accepted', 'submitted'] as const)[n % 3]!;
		rows.push({ n, county, status });
	}
	await store.write((tx) =>
		tx.db
			.insertInto('records')
			.values(
				rows.map(({ n, county, status }) => ({
					id: id(n),
					county_code: county,
					kind: '复查',
					site_code: null,
					name: `抽查记录${n}`,
					category: '古遗址',
					lat: 39,
					lon: 109,
					status,
					revision: 2,
					owner_id: owner.id,
					content: JSON.stringify({ id: id(n), kind: '复查', name: `抽查记录${n}` }),
					content_key: 'k',
					created_at: at(n).toISOString(),
					updated_at: at(n).toISOString()
				}))
			)
			.execute()
	);
	return { store, rows };
}

describe.each(BACKENDS)('stored spot checks on $name', ({ postgres }) => {
	it('stores a draw with its seed, and redraws the same records from it', async () => {
		const { store, rows } = await seeded(postgres);
		const first = await draw(store, city, { percent: 25, seed: 'unit' }, at(0));
		expect(first.ok).toBe(true);
		if (!first.ok) return;
		const { sample, items, byCounty } = first.value;
		expect(sample).toMatchObject({
			id: 1,
			seed: 'unit',
			percent: 25,
			drawnBy: 'city',
			drawnAt: at(0).toISOString(),
			statuses: ['county_approved', 'accepted'],
			counties: COUNTY_CODES,
			note: null
		});
		// 150602: 27 of its 40 records are approved or accepted, 150603: 13 of 20
		const eligible = (county: string) =>
			rows.filter((r) => r.county === county && r.status !== 'submitted').length;
		expect(byCounty.find((c) => c.countyCode === '150602')).toMatchObject({
			population: eligible('150602'),
			sampled: Math.ceil(eligible('150602') / 4),
			concluded: 0,
			passRate: null
		});
		expect(byCounty.find((c) => c.countyCode === '150627')).toMatchObject({
			population: 0,
			sampled: 0
		});
		for (const item of items) {
			const row = rows.find((r) => id(r.n) === item.recordId)!;
			expect(row.status).not.toBe('submitted');
			expect(item).toMatchObject({ countyCode: row.county, revisionAtDraw: 2, conclusion: null });
		}
		const again = await draw(store, city, { percent: 25, seed: 'unit' }, at(1));
		expect(again.ok && again.value.items.map((i) => i.recordId)).toEqual(
			items.map((i) => i.recordId)
		);
		expect(again.ok && again.value.sample.id).toBe(2);
		await store.close();
	});

	it('makes a seed when none is given, and refuses an empty population and other roles', async () => {
		const { store } = await seeded(postgres);
		const made = await draw(store, city, { percent: 10, counties: ['150603'] }, at(0), () => '42');
		expect(made.ok && made.value.sample.seed).toBe('42');
		const empty = await draw(store, city, { percent: 10, counties: ['150627'] });
		expect(empty).toMatchObject({ ok: false, status: 422 });
		const reviewer = principal('reviewer-150602', 'county_reviewer', ['150602']);
		expect(await draw(store, reviewer, { percent: 10 })).toMatchObject({
			ok: false,
			status: 403
		});
		expect(await listSamples(store, reviewer)).toMatchObject({ ok: false, status: 403 });
		expect(await readSample(store, reviewer, '1')).toMatchObject({ ok: false, status: 403 });
		expect(await draw(store, city, { percent: 0 })).toMatchObject({ ok: false, status: 400 });
		expect(await tableRows(store, 'review_samples')).toHaveLength(1);
		await store.close();
	});

	it('keeps the latest conclusion with who and when, and counts the results', async () => {
		const { store } = await seeded(postgres);
		const drawn = await draw(store, city, { percent: 50, counties: ['150603'], seed: 'c' });
		if (!drawn.ok) throw new Error(drawn.error);
		const [a, b] = drawn.value.items;
		const other = { ...city, username: 'city-2' };
		await conclude(
			store,
			city,
			'1',
			a!.recordId,
			{ conclusion: '不合格', note: '照片不清' },
			at(5)
		);
		const replaced = await conclude(store, other, '1', a!.recordId, { conclusion: '合格' }, at(9));
		expect(replaced.ok && replaced.value.item).toMatchObject({
			conclusion: '合格',
			note: null,
			concludedBy: 'city-2',
			concludedAt: at(9).toISOString()
		});
		await conclude(
			store,
			city,
			'1',
			b!.recordId,
			{ conclusion: '不合格', note: '位置偏差' },
			at(6)
		);
		const read = await readSample(store, city, '1');
		if (!read.ok) throw new Error(read.error);
		expect(read.value.byCounty).toEqual([
			{
				countyCode: '150603',
				population: 13,
				sampled: 7,
				concluded: 2,
				passed: 1,
				failed: 1,
				passRate: 0.5
			}
		]);
		const list = await listSamples(store, city);
		expect(list.ok && list.value.samples[0]!.total).toEqual({
			population: 13,
			sampled: 7,
			concluded: 2,
			passed: 1,
			failed: 1,
			passRate: 0.5
		});
		// a record outside the draw, or a draw that does not exist: 404, nothing written
		const outside = await conclude(store, city, '1', id(0), { conclusion: '合格' });
		expect(outside).toMatchObject({ ok: false, status: 404 });
		expect(await conclude(store, city, '7', a!.recordId, { conclusion: '合格' })).toMatchObject({
			ok: false,
			status: 404
		});
		expect(await conclude(store, city, '1', a!.recordId, { conclusion: '通过' })).toMatchObject({
			ok: false,
			status: 400
		});
		expect(await readSample(store, city, 'x')).toMatchObject({ ok: false, status: 404 });

		// a copy of the database (a backup of PostgreSQL, or a restore into it) carries them
		const copy = await DataStore.open(await freshWhere(false, 'survey-samples-copy-'));
		await copyDatabase(store, copy);
		for (const table of ['review_samples', 'review_sample_items'] as const)
			expect(await tableRows(copy, table)).toEqual(await tableRows(store, table));
		expect(await readSample(copy, city, '1')).toEqual(read);
		// restored into the server's kind of database, the next draw is numbered after them
		const restored = await DataStore.open(await freshWhere(postgres, 'survey-samples-restore-'));
		await copyDatabase(copy, restored);
		const next = await draw(restored, city, { percent: 10, seed: 'after' });
		expect(next.ok && next.value.sample.id).toBe(2);
		await Promise.all([store.close(), copy.close(), restored.close()]);
	});
});
