import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '$lib/server/db/connection';
import { MIGRATIONS } from '$lib/server/db/migrations';
import { PhotoStore, PhotoStoreError, PHOTO_MAX_BYTES } from '$lib/server/photos/store';
import { hashPassword, verifyPassword } from '$lib/server/auth/password';
import { canonicalContent } from '$lib/domain/records/identity';

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
const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const jpeg = readFileSync('tests/fixtures/photos/site-hangjin-1600x1200.jpg');

describe('database', () => {
	it('is created in WAL mode with every migration applied, and reopening applies none again', () => {
		const dir = tempDir();
		const db = openDatabase(dir);
		expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
		expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
		db.prepare("INSERT INTO meta (key, value) VALUES ('probe', 'kept')").run();
		db.close();
		const again = openDatabase(dir);
		expect(again.prepare("SELECT value FROM meta WHERE key = 'probe'").get()).toEqual({
			value: 'kept'
		});
		again.close();
	});

	it('refuses a database made by a newer server', () => {
		const dir = tempDir();
		const raw = new Database(join(dir, 'survey.sqlite'));
		raw.pragma(`user_version = ${MIGRATIONS.length + 1}`);
		raw.close();
		expect(() => openDatabase(dir)).toThrow(/比本程序认识的/);
	});
});

describe('photo store', () => {
	it('stores bytes under their hash and leaves no temporary file', async () => {
		const store = new PhotoStore(tempDir());
		const hash = sha(jpeg);
		const size = await store.put(
			hash,
			'image/jpeg',
			chunks(jpeg.subarray(0, 1000), jpeg.subarray(1000))
		);
		expect(size).toBe(jpeg.byteLength);
		expect(sha(readFileSync(store.pathOf(hash)))).toBe(hash);
		expect(readdirSync(store.tmp)).toEqual([]);
	});

	it('refuses bytes whose hash differs from the address, keeping nothing', async () => {
		const store = new PhotoStore(tempDir());
		const wrong = sha(new Uint8Array([1, 2, 3]));
		await expect(store.put(wrong, 'image/jpeg', chunks(jpeg))).rejects.toMatchObject({
			status: 400
		});
		expect(existsSync(store.pathOf(wrong))).toBe(false);
		expect(readdirSync(store.tmp)).toEqual([]);
	});

	it('refuses bytes that are not the declared type', async () => {
		const store = new PhotoStore(tempDir());
		const text = new TextEncoder().encode('not an image at all');
		await expect(store.put(sha(text), 'image/jpeg', chunks(text))).rejects.toBeInstanceOf(
			PhotoStoreError
		);
		await expect(store.put(sha(jpeg), 'image/png', chunks(jpeg))).rejects.toMatchObject({
			status: 400
		});
	});

	it('refuses a photo over the limit with 413', async () => {
		const store = new PhotoStore(tempDir());
		const big = new Uint8Array(PHOTO_MAX_BYTES + 1);
		big.set(jpeg.subarray(0, 3));
		await expect(
			store.put(sha(big), 'image/jpeg', chunks(big.subarray(0, 1 << 20), big.subarray(1 << 20)))
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
