/**
 * The review queue's repository on each database (SQLite always, PostgreSQL with TEST_PG_URL):
 * what "new since the last visit" means, and a page and its counts out of 100,000 records.
 */
import { describe, expect, it } from 'vitest';
import { DataStore } from '$lib/server/db/store.js';
import { VISIT_GAP_MS } from '$lib/server/db/review-queue.js';
import { COUNTY_CODES, RECORD_STATUSES } from '$lib/domain/codelists/index.js';
import { BACKENDS, freshWhere } from './databases.js';

const open = async (postgres: boolean) =>
	DataStore.open(await freshWhere(postgres, 'survey-queue-'));
const backends = BACKENDS;

const at = (ms: number) => new Date(Date.UTC(2025, 5, 2, 1) + ms).toISOString();
const MINUTE = 60_000;

async function addUser(store: DataStore, username: string): Promise<number> {
	const user = await store.users.create({
		username,
		role: 'county_reviewer',
		counties: ['150602'],
		passwordHash: 'x'
	});
	return user.id;
}

describe.each(backends)('review queue on $name', ({ postgres }) => {
	it('keeps the marks for a whole visit, and moves them on after a 30-minute gap', async () => {
		const store = await open(postgres);
		const id = await addUser(store, 'reviewer-visits');
		const visit = (ms: number) => store.write((tx) => tx.reviewQueue.visit(id, at(ms)));
		// the first visit marks what arrives during it
		expect(await visit(0)).toBe(at(0));
		// a reload, a filter, the next page: the same marks
		expect(await visit(5 * MINUTE)).toBe(at(0));
		expect(await visit(20 * MINUTE)).toBe(at(0));
		// back after a break: new is what arrived since the last view of the previous visit
		expect(await visit(20 * MINUTE + VISIT_GAP_MS)).toBe(at(20 * MINUTE));
		expect(await visit(25 * MINUTE + VISIT_GAP_MS)).toBe(at(20 * MINUTE));
		expect(await store.reviewQueue.marksSince(id)).toBe(at(20 * MINUTE));
		await store.close();
	});

	it('answers a filtered page and its counts out of 100,000 records (its speed: npm run bench -- --only review)', async () => {
		const store = await open(postgres);
		const owner = await store.users.create({
			username: 'surveyor-bulk',
			role: 'surveyor',
			counties: ['150602'],
			passwordHash: 'x'
		});
		const TOTAL = 100_000;
		const BATCH = 500;
		await store.write(async (tx) => {
			for (let start = 0; start < TOTAL; start += BATCH) {
				const ids = Array.from({ length: BATCH }, (_, i) => start + i);
				const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
				await tx.db
					.insertInto('records')
					.values(
						ids.map((n) => ({
							id: id(n),
							county_code: COUNTY_CODES[n % COUNTY_CODES.length]!,
							kind: '复查',
							site_code: null,
							name: `记录${n}`,
							category: n % 3 === 0 ? '古墓葬' : '古遗址',
							lat: 39 + (n % 1000) / 1000,
							lon: 109 + (n % 997) / 1000,
							status: RECORD_STATUSES[n % RECORD_STATUSES.length]!,
							revision: 1,
							owner_id: owner.id,
							content: JSON.stringify({ id: id(n), kind: '复查', name: `记录${n}` }),
							content_key: 'k',
							created_at: at(n * 1000),
							updated_at: at(n * 1000),
							// as a push writes them: the QC counts with the row, and in record_qc
							qc_errors: n % 7 === 0 ? 1 : 0,
							qc_warnings: n % 5 === 0 ? 2 : 0
						}))
					)
					.execute();
				await tx.db
					.insertInto('record_qc')
					.values(
						ids.map((n) => ({
							record_id: id(n),
							errors: n % 7 === 0 ? 1 : 0,
							warnings: n % 5 === 0 ? 2 : 0,
							near_site: 0
						}))
					)
					.execute();
			}
		});
		const timed = async <T>(work: () => Promise<T>): Promise<[T, number]> => {
			const start = performance.now();
			const result = await work();
			return [result, performance.now() - start];
		};
		const county = ['150602'];
		const [plain, plainMs] = await timed(() =>
			store.read((tx) => tx.reviewQueue.page(county, { status: 'submitted' }))
		);
		expect(plain.rows).toHaveLength(50);
		expect(plain.total).toBeGreaterThan(2000);
		expect(Object.keys(plain.counts).sort()).toEqual([...RECORD_STATUSES].sort());
		// newest first
		expect(plain.rows[0]!.receivedAt > plain.rows[49]!.receivedAt).toBe(true);
		const [filtered, filteredMs] = await timed(() =>
			store.read((tx) =>
				tx.reviewQueue.page(county, {
					severity: 'error',
					category: '古墓葬',
					surveyor: 'surveyor-bulk',
					from: '2025-06-03',
					sort: 'severity',
					page: 3
				})
			)
		);
		expect(filtered.rows.length).toBeGreaterThan(0);
		expect(filtered.rows.every((r) => r.errors > 0)).toBe(true);
		const [all, allMs] = await timed(() =>
			store.read((tx) => tx.reviewQueue.page([...COUNTY_CODES], { sort: 'name', page: 200 }))
		);
		expect(all.total).toBe(TOTAL);
		const [city, cityMs] = await timed(() =>
			store.read((tx) => tx.reviewQueue.page([...COUNTY_CODES], {}))
		);
		expect(city.rows).toHaveLength(50);
		expect(all.rows).toHaveLength(50);
		console.log(
			`queue of 100,000 (${postgres ? 'PostgreSQL' : 'SQLite'}): county page ${plainMs.toFixed(0)} ms, filtered ${filteredMs.toFixed(0)} ms, whole city by name ${allMs.toFixed(0)} ms, whole city ${cityMs.toFixed(0)} ms`
		);
		await store.close();
	}, 180_000);
});
