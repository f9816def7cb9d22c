/**
 * The data layer's guarantees on each database: SQLite always, PostgreSQL too when TEST_PG_URL
 * (an admin URL of a cluster, as scripts/test-all.sh sets it) is given.
 */
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DataStore } from '$lib/server/db/store.js';
import { copyDatabase, tableRows } from '$lib/server/db/copy.js';
import { BACKENDS, freshWhere } from './databases.js';

type Backend = { name: string; config: () => Promise<{ dataDir: string; url?: string }> };

const backends: Backend[] = BACKENDS.map(({ name, postgres }) => ({
	name,
	config: () => freshWhere(postgres, 'survey-data-layer-')
}));

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const TSX = resolve('node_modules/.bin/tsx');
const STORE_PROCESS = resolve('tests/fixtures/db/store-process.ts');

/** Starts a process of tests/fixtures/db/store-process.ts; resolves with its printed JSON. */
function storeProcess<T>(args: string[]): Promise<T> {
	return new Promise((done, fail) => {
		execFile(TSX, [STORE_PROCESS, ...args], { timeout: 60_000 }, (error, out, err) =>
			error ? fail(new Error(`${error.message}\n${err}`)) : done(JSON.parse(out) as T)
		);
	});
}

describe.each(backends)('data layer on $name', ({ config }) => {
	// child processes (tsx) take seconds each to start on a busy 2-core machine
	it('migrates once when several processes start at once', { timeout: 60_000 }, async () => {
		const where = await config();
		const opened = await Promise.all(
			[1, 2, 3].map(() =>
				storeProcess<{ users: number }>(['open', where.dataDir, where.url ?? '-'])
			)
		);
		expect(opened).toEqual([{ users: 0 }, { users: 0 }, { users: 0 }]);
		// and the database is whole: this process finds nothing left to migrate and writes to it
		const store = await DataStore.open(where);
		await store.users.create({
			username: 'u1',
			role: 'surveyor',
			counties: ['150627'],
			passwordHash: 'x'
		});
		expect(await store.users.count()).toBe(1);
		await store.close();
	});

	it('gives integers back as numbers, bigint columns and counts included', async () => {
		const store = await DataStore.open(await config());
		const user = await store.users.create({
			username: 'u1',
			role: 'surveyor',
			counties: ['150627'],
			passwordHash: 'x'
		});
		const token = await store.users.issueToken(user.id, 'device', 'tablet');
		const principal = await store.users.authenticate(token);
		expect(principal?.id).toBe(user.id);
		expect(typeof principal?.tokenId).toBe('number');
		await store.users.recordFailure('u1');
		const failures = await store.users.recentFailures('u1');
		expect(failures.count).toBe(1);
		expect(typeof failures.oldest).toBe('number');
		expect(await store.users.count()).toBe(1);
		const tokens = await tableRows(store, 'tokens');
		expect(typeof tokens[0]!.expires_at).toBe('number');
		await store.close();
	});

	// child processes (tsx) take seconds each to start on a busy 2-core machine
	it(
		'never lets a pull cursor skip a change, with writers in two processes',
		{ timeout: 60_000 },
		async () => {
			const where = await config();
			const a = await DataStore.open(where);
			const reader = { id: 0, counties: ['150627'], ownRecordsOnly: false };
			// two writing processes of 15 changes each, reading here as they write
			const writes = [0, 15].map((first) =>
				storeProcess<{ seqs: number[] }>([
					'append',
					where.dataDir,
					where.url ?? '-',
					String(first),
					'15'
				])
			);
			let writing = true;
			const all = Promise.all(writes).finally(() => (writing = false));
			const seen: number[] = [];
			let cursor = 0;
			while (writing || seen.length < 30) {
				const page = await a.read(async ({ feed }) => {
					const found = await feed.since(reader, cursor, 500);
					return {
						found,
						cursor: found.more ? found.changes.at(-1)!.seq : Math.max(cursor, await feed.last())
					};
				});
				seen.push(...page.found.changes.map((c) => c.seq));
				cursor = page.cursor;
				if (!writing && page.found.changes.length === 0 && seen.length < 30) break;
				await sleep(1);
			}
			await all;
			expect(seen).toHaveLength(30);
			expect([...seen].sort((x, y) => x - y)).toEqual(seen);
			expect((await all).flatMap((w) => w.seqs).sort((x, y) => x - y)).toEqual(seen);
			await a.close();
		}
	);

	it('stores nothing of a write that fails half-way', async () => {
		const store = await DataStore.open(await config());
		await expect(
			store.write(async (tx) => {
				await tx.users.create({
					username: 'half',
					role: 'surveyor',
					counties: ['150627'],
					passwordHash: 'x'
				});
				throw new Error('crash');
			})
		).rejects.toThrow('crash');
		expect(await store.users.count()).toBe(0);
		await store.close();
	});

	it('copies a database into an empty one, and the copy carries on numbering', async () => {
		const from = await DataStore.open(await config());
		await from.users.create({
			username: 'a',
			role: 'surveyor',
			counties: ['150627'],
			passwordHash: 'x'
		});
		await from.write((tx) =>
			tx.feed.append({ type: 'site', countyCode: '150627', payload: {}, at: 'now' })
		);
		const to = await DataStore.open(await config());
		await copyDatabase(from, to);
		expect(await tableRows(to, 'users')).toEqual(await tableRows(from, 'users'));
		const next = await to.users.create({
			username: 'b',
			role: 'surveyor',
			counties: ['150627'],
			passwordHash: 'x'
		});
		expect(next.id).toBe(2);
		expect(
			await to.write((tx) =>
				tx.feed.append({ type: 'site', countyCode: '150627', payload: {}, at: 'now' })
			)
		).toBe(2);
		await Promise.all([from.close(), to.close()]);
	});
});
