import { mkdtempSync, readdirSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { MIGRATOR_USER_VERSION } from '$lib/server/db/connection.js';
import { DataStore } from '$lib/server/db/store.js';
import { tableRows } from '$lib/server/db/copy.js';
import { LEGACY_MIGRATIONS } from '../../fixtures/db/legacy-sqlite-migrations.js';
import { sha256Hex } from '../../fixtures/photos.js';
import { PhotoStore, PhotoStoreError } from '$lib/server/photos/store.js';
import { PHOTO_MAX_BYTES } from '$lib/domain/sync/limits.js';
import { hashPassword, verifyPassword } from '$lib/server/auth/password.js';
import { canonicalContent } from '$lib/domain/records/identity.js';

const dirs: string[] = [];
function tempDir(): string {
	const dir = mkdtempSync(join(tmpdir(), 'survey-unit-'));
	dirs.push(dir);
	return dir;
}
afterEach(() => {
	for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function* chunks(...parts: Uint8Array[]): AsyncIterable<Uint8Array> {
	for (const part of parts) yield part;
}
const jpeg = readFileSync('tests/fixtures/photos/site-hangjin-1600x1200.jpg');

describe('database', () => {
	it('is created in WAL mode with every migration applied, and reopening applies none again', async () => {
		const dir = tempDir();
		const store = await DataStore.open({ dataDir: dir });
		expect(store.sqlite!.pragma('journal_mode', { simple: true })).toBe('wal');
		expect(store.sqlite!.pragma('synchronous', { simple: true })).toBe(2); // FULL
		expect(store.sqlite!.pragma('user_version', { simple: true })).toBe(MIGRATOR_USER_VERSION);
		await store.db.insertInto('meta').values({ key: 'probe', value: 'kept' }).execute();
		await store.close();
		const again = await DataStore.open({ dataDir: dir });
		expect(await tableRows(again, 'meta')).toEqual([{ key: 'probe', value: 'kept' }]);
		await again.close();
	});

	it('upgrades a database made by the SQLite-only server in place, losing nothing', async () => {
		for (const version of [1, 2, LEGACY_MIGRATIONS.length]) {
			const dir = tempDir();
			const raw = new Database(join(dir, 'survey.sqlite'));
			for (const [i, migration] of LEGACY_MIGRATIONS.slice(0, version).entries()) {
				raw.exec(migration);
				raw.pragma(`user_version = ${i + 1}`);
			}
			raw
				.prepare(
					`INSERT INTO users (username, role, counties, password_hash, created_at, updated_at)
					 VALUES ('old-surveyor', 'surveyor', '["150627"]', 'scrypt$x', '2025-06-01T00:00:00Z', '2025-06-01T00:00:00Z')`
				)
				.run();
			raw
				.prepare(
					`INSERT INTO devices (device_id, user_id, first_seen_at, last_sync_at) VALUES ('tablet-1', 1, 'a', 'b')`
				)
				.run();
			raw.close();

			const store = await DataStore.open({ dataDir: dir });
			const user = await store.users.byUsername('old-surveyor');
			expect(user).toMatchObject({ id: 1, role: 'surveyor', counties: ['150627'] });
			// the later migrations ran: a device can be reported and revoked
			await store.users.reportDevice('tablet-1', 1, { unsent: 3 });
			await store.write((tx) => tx.users.revokeDevice('tablet-1'));
			expect(await store.users.deviceBinding('tablet-1')).toMatchObject({ userId: 1 });
			expect(store.sqlite!.pragma('user_version', { simple: true })).toBe(MIGRATOR_USER_VERSION);
			await store.close();
			// and opening it again changes nothing
			const again = await DataStore.open({ dataDir: dir });
			expect((await tableRows(again, 'users')).length).toBe(1);
			await again.close();
		}
	});

	it('refuses a database made by a newer server', async () => {
		const dir = tempDir();
		const raw = new Database(join(dir, 'survey.sqlite'));
		raw.pragma(`user_version = ${LEGACY_MIGRATIONS.length + 1}`);
		raw.close();
		await expect(DataStore.open({ dataDir: dir })).rejects.toThrow(/比本程序认识的/);

		const newer = tempDir();
		const store = await DataStore.open({ dataDir: newer });
		await store
			.sqlite!.prepare(
				`INSERT INTO kysely_migration (name, timestamp) VALUES ('9999_future', '2030-01-01T00:00:00Z')`
			)
			.run();
		await store.close();
		await expect(DataStore.open({ dataDir: newer })).rejects.toThrow(/比本程序认识的/);
	});
});

describe('photo store', () => {
	it('stores bytes under their hash and leaves no temporary file', async () => {
		const store = new PhotoStore(tempDir());
		const hash = sha256Hex(jpeg);
		const size = await store.put(
			hash,
			'image/jpeg',
			chunks(jpeg.subarray(0, 1000), jpeg.subarray(1000))
		);
		expect(size).toBe(jpeg.byteLength);
		expect(sha256Hex(readFileSync(store.pathOf(hash)))).toBe(hash);
		expect(readdirSync(store.tmp)).toEqual([]);
	});

	it('refuses bytes whose hash differs from the address, keeping nothing', async () => {
		const store = new PhotoStore(tempDir());
		const wrong = sha256Hex(new Uint8Array([1, 2, 3]));
		await expect(store.put(wrong, 'image/jpeg', chunks(jpeg))).rejects.toMatchObject({
			status: 400
		});
		expect(existsSync(store.pathOf(wrong))).toBe(false);
		expect(readdirSync(store.tmp)).toEqual([]);
	});

	it('refuses bytes that are not the declared type', async () => {
		const store = new PhotoStore(tempDir());
		const text = new TextEncoder().encode('not an image at all');
		await expect(store.put(sha256Hex(text), 'image/jpeg', chunks(text))).rejects.toBeInstanceOf(
			PhotoStoreError
		);
		await expect(store.put(sha256Hex(jpeg), 'image/png', chunks(jpeg))).rejects.toMatchObject({
			status: 400
		});
	});

	it('refuses a photo over the limit with 413', async () => {
		const store = new PhotoStore(tempDir());
		const big = new Uint8Array(PHOTO_MAX_BYTES + 1);
		big.set(jpeg.subarray(0, 3));
		await expect(
			store.put(
				sha256Hex(big),
				'image/jpeg',
				chunks(big.subarray(0, 1 << 20), big.subarray(1 << 20))
			)
		).rejects.toMatchObject({
			status: 413
		});
		expect(readdirSync(store.tmp)).toEqual([]);
	});

	it('sweeps temporary files a crash left behind', async () => {
		const dir = tempDir();
		const store = new PhotoStore(dir);
		const { writeFileSync } = await import('node:fs');
		writeFileSync(join(store.tmp, 'half-written'), 'x');
		expect(await new PhotoStore(dir).sweepTemporary()).toBe(1);
		expect(readdirSync(store.tmp)).toEqual([]);
	});

	it('refuses a path that is not a SHA-256', () => {
		const store = new PhotoStore(tempDir());
		expect(() => store.pathOf('../../etc/passwd')).toThrow();
		expect(() => store.pathOf('A'.repeat(64))).toThrow();
	});
});

describe('passwords', () => {
	it('verify only the password they were made from, and never contain it', async () => {
		const hash = await hashPassword('草原上的烽火台-2025');
		expect(hash).not.toContain('烽火台');
		expect(hash).toMatch(/^scrypt\$/);
		expect(await verifyPassword('草原上的烽火台-2025', hash)).toBe(true);
		expect(await verifyPassword('草原上的烽火台-2024', hash)).toBe(false);
		expect(await hashPassword('same')).not.toBe(await hashPassword('same'));
	});
});

describe('record identity', () => {
	it('ignores key order, updatedAt, baseRevision and empty values', () => {
		const a = {
			id: 'x',
			name: '烽燧',
			updatedAt: '2025-06-02T10:00:00+08:00',
			baseRevision: 0,
			location: { lat: 1, lon: 2, altitude: null }
		};
		const b = {
			location: { lon: 2, lat: 1 },
			baseRevision: 3,
			name: '烽燧',
			id: 'x',
			village: '',
			threats: [],
			updatedAt: '2026-01-01T00:00:00Z'
		};
		expect(canonicalContent(a)).toBe(canonicalContent(b));
	});

	it('sees any change of content, and of array order', () => {
		const base = { id: 'x', threats: ['农耕', '盗掘'], name: '烽燧' };
		expect(canonicalContent(base)).not.toBe(canonicalContent({ ...base, name: '烽燧遗址' }));
		expect(canonicalContent(base)).not.toBe(
			canonicalContent({ ...base, threats: ['盗掘', '农耕'] })
		);
	});
});
