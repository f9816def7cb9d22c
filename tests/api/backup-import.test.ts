/**
 * A device's backup file into the server (docs/BACKUP.md), as a city reviewer does it: with the
 * command-line tool from a path, and through the chunked upload of the review UI. The file is
 * made by the device's own export code (on fake-indexeddb), and the server holds afterwards
 * exactly what a push of the same records gives; importing it again changes nothing.
 */
import 'fake-indexeddb/auto';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tableRows } from '$lib/server/db/copy.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeviceStore, type StoredRecord } from '$lib/db/index.js';
import { backupStream, planBackup } from '$lib/backup/export.js';
import type { ImportReport } from '$lib/backup/format.js';
import { uploadBackup, UploadError } from '$lib/backup/upload.js';
import type { RegisteredSite, SurveyRecord } from '$lib/domain/schemas/index.js';
import { newFind, recheckOf, TestServer } from './harness.js';
import {
	jpegBlob,
	offset,
	sha256Hex,
	storedPhotoOf,
	storedRowOf,
	uniqueJpeg
} from '../fixtures/builders.js';

const COUNTY = '150627';
const SURVEYOR = `surveyor-${COUNTY}`;
const DEVICE_ID = '3b241101-e2bb-4255-8caf-4136c566a962';
const RECORDS = 30;
const PHOTOS_PER_RECORD = 3;

let importServer: TestServer;
let pushServer: TestServer;
let sites: RegisteredSite[];
let work: string;
let device: DeviceStore;
/** The queued records of the device, oldest change first (as the device sends them). */
let queued: StoredRecord[];
let zipPath: string;

/** Stores a record and its photos on the device as the app does. */
async function putOnDevice(
	store: DeviceStore,
	record: SurveyRecord,
	photos: Uint8Array[],
	row: Partial<StoredRecord>
): Promise<StoredRecord> {
	for (const [i, bytes] of photos.entries()) {
		const { kind, sha256 } = record.photos[i]!;
		await store.putPhoto(
			storedPhotoOf(
				record.id,
				{ bytes, sha256 },
				{ kind, number: i + 1, width: 16, height: 16, createdAt: record.updatedAt }
			),
			jpegBlob(bytes)
		);
	}
	const stored: StoredRecord = { ...storedRowOf(record), ...row };
	await store.putRecord(stored);
	return stored;
}

/** A record with `n` fresh JPEGs, changed at minute `minute` (so the send order is known). */
function withPhotos(
	make: (hashes: string[]) => SurveyRecord,
	n: number,
	minute: number
): { record: SurveyRecord; photos: Uint8Array[] } {
	const photos = Array.from({ length: n }, () => uniqueJpeg());
	const record = make(photos.map((p) => sha256Hex(p)));
	const updatedAt = new Date(Date.UTC(2025, 5, 2, 2, minute)).toISOString();
	return { record: { ...record, updatedAt }, photos };
}

async function exportTo(store: DeviceStore, path: string): Promise<void> {
	const plan = await planBackup(store, {
		deviceId: DEVICE_ID,
		username: SURVEYOR,
		county: COUNTY
	});
	const blob = await new Response(backupStream(store, plan)).blob();
	writeFileSync(path, new Uint8Array(await blob.arrayBuffer()));
}

/** `npm run admin -- import …` against a server's DATA_DIR, while that server runs. */
function cli(
	server: TestServer,
	args: string[]
): { status: number | null; stdout: string; stderr: string } {
	const result = spawnSync(
		process.execPath,
		['--import', 'tsx', 'scripts/admin.ts', 'import', ...args],
		{
			env: { ...process.env, DATA_DIR: server.dataDir, ...server.databaseEnv },
			encoding: 'utf8',
			timeout: 120_000
		}
	);
	return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function cliReport(server: TestServer, args: string[] = []): ImportReport {
	const run = cli(server, [zipPath, '--format', 'json', ...args]);
	expect(run.stderr).not.toMatch(/admin:/);
	expect(run.status).toBe(0);
	return JSON.parse(run.stdout) as ImportReport;
}

/**
 * The stored data, without the times of the moment it was written: what a push and an import
 * must agree on.
 */
async function contents(server: TestServer) {
	const store = await server.openStore();
	const pick = (row: Record<string, unknown>, keys: string[]) =>
		Object.fromEntries(keys.map((k) => [k, row[k]]));
	try {
		return {
			records: (await tableRows(store, 'records')).map((r) =>
				pick(r, [
					'id',
					'county_code',
					'kind',
					'site_code',
					'name',
					'category',
					'lat',
					'lon',
					'status',
					'revision',
					'owner_id',
					'content',
					'content_key'
				])
			),
			revisions: (await tableRows(store, 'revisions')).map((r) =>
				pick(r, [
					'record_id',
					'revision',
					'by_user',
					'action',
					'status',
					'content',
					'findings',
					'comments',
					'device_id'
				])
			),
			recordPhotos: await tableRows(store, 'record_photos'),
			photos: (await tableRows(store, 'photos')).map((r) =>
				pick(r, ['sha256', 'size', 'mime', 'uploaded_by'])
			),
			changes: (await tableRows(store, 'changes'))
				.filter((c) => c.type === 'record')
				.map((c) => {
					const row = pick(c, ['type', 'county_code', 'record_id', 'owner_id', 'payload']);
					const payload = JSON.parse(row.payload as string) as Record<string, unknown>;
					delete payload.at;
					return { ...row, payload };
				})
		};
	} finally {
		await store.close();
	}
}

beforeAll(async () => {
	[importServer, pushServer] = await Promise.all([TestServer.start(), TestServer.start()]);
	sites = await importServer.sites(COUNTY);
	work = mkdtempSync(join(tmpdir(), 'backup-import-'));
	zipPath = join(work, '四普备份-伊金霍洛旗-3b241101-20250602-1030.zip');

	device = new DeviceStore(`backup-import-${Date.now()}`);
	await device.open();
	queued = [];
	for (let i = 0; i < RECORDS; i++) {
		// 25 re-checks of registered sites and 5 new finds, 3 photos each
		const made =
			i < 25
				? withPhotos((h) => recheckOf(sites[i]!, h), PHOTOS_PER_RECORD, i)
				: withPhotos(
						(h) => newFind(COUNTY, offset(sites[i]!.location, 4000, 0), h),
						PHOTOS_PER_RECORD,
						i
					);
		queued.push(await putOnDevice(device, made.record, made.photos, {}));
	}
	// Two drafts with their photos: in the file, but the device would not send them.
	for (let i = 0; i < 2; i++) {
		const made = withPhotos((h) => recheckOf(sites[40 + i]!, h), 2, 40 + i);
		await putOnDevice(device, made.record, made.photos, { localState: 'draft', outbox: undefined });
	}
	// One record the server acknowledged: not in the file at all.
	const acked = withPhotos((h) => recheckOf(sites[45]!, h), 1, 45);
	await putOnDevice(device, acked.record, acked.photos, {
		outbox: undefined,
		serverStatus: 'submitted',
		serverRevision: 1
	});
	await exportTo(device, zipPath);
}, 180_000);

afterAll(async () => {
	await Promise.all([importServer?.stop(), pushServer?.stop()]);
	if (device) {
		device.close();
		await device.db.delete();
	}
	if (work) rmSync(work, { recursive: true, force: true });
});

describe('npm run admin -- import', () => {
	let first: ImportReport;
	let afterFirst: Awaited<ReturnType<TestServer['snapshot']>>;

	it('imports 30 records and 90 photos as a push from the device, and leaves the drafts out', async () => {
		first = cliReport(importServer);
		expect(first.as).toBe(SURVEYOR);
		expect(first.photos).toEqual({ stored: RECORDS * PHOTOS_PER_RECORD, present: 0, failed: [] });
		expect(first.counts).toEqual({
			accepted: RECORDS,
			unchanged: 0,
			conflict: 0,
			rejected: 0,
			skipped: 2
		});
		const skipped = first.results.filter((r) => r.status === 'skipped');
		expect(skipped.map((r) => r.issues?.[0]?.message)).toEqual([
			expect.stringMatching(/草稿/),
			expect.stringMatching(/草稿/)
		]);
		afterFirst = await importServer.snapshot();
		expect(afterFirst['records.count']).toBe(RECORDS);
		expect(afterFirst['photos.count']).toBe(RECORDS * PHOTOS_PER_RECORD);
		expect(afterFirst['photos.files']).toHaveLength(RECORDS * PHOTOS_PER_RECORD);
		// every record as revision 1, submitted, owned by the surveyor, from the file's device
		const stored = await contents(importServer);
		expect(new Set(stored.revisions.map((r) => JSON.stringify([r.by_user, r.device_id])))).toEqual(
			new Set([JSON.stringify([SURVEYOR, DEVICE_ID])])
		);
		expect(stored.records.every((r) => (r as { status: string }).status === 'submitted')).toBe(
			true
		);
	});

	it('imports the same file again without changing anything: every record unchanged', async () => {
		const second = cliReport(importServer);
		expect(second.counts).toEqual({
			accepted: 0,
			unchanged: RECORDS,
			conflict: 0,
			rejected: 0,
			skipped: 2
		});
		expect(second.photos).toEqual({
			stored: 0,
			present: RECORDS * PHOTOS_PER_RECORD,
			failed: []
		});
		expect(second.results.filter((r) => r.status === 'unchanged').map((r) => r.revision)).toEqual(
			Array(RECORDS).fill(1)
		);
		expect(await importServer.snapshot()).toEqual(afterFirst);
	});

	it('gives the server exactly what a push of the same records from the device gives', async () => {
		// the pooled keep-alive socket of the readiness check may have been closed by the idle
		// server meanwhile: one throwaway request so the login does not land on it
		await pushServer.get('/api/public/info').catch(() => undefined);
		const token = (await pushServer.login(SURVEYOR, undefined, DEVICE_ID)).token;
		for (const row of queued) {
			for (const photo of row.record.photos) {
				const blob = await device.photoBlob(photo.sha256);
				await pushServer.uploadPhoto(token, new Uint8Array(await blob!.arrayBuffer()));
			}
		}
		// as the device sends them: oldest change first, baseRevision = what it had acknowledged
		const results = await pushServer.push(
			token,
			queued.map((row) => ({ ...row.record, baseRevision: row.serverRevision ?? 0 })),
			DEVICE_ID
		);
		expect(results.map((r) => r.status)).toEqual(
			first.results.filter((r) => r.status !== 'skipped').map((r) => r.status)
		);
		expect(await contents(importServer)).toEqual(await contents(pushServer));
	});

	it('prints a table of the results, and a progress bar on stderr', () => {
		const run = cli(importServer, [zipPath]);
		expect(run.status).toBe(0);
		expect(run.stdout).toMatch(/结果\s+记录 id\s+旗区\s+版本\s+名称\s+说明/);
		const lines = run.stdout.split('\n');
		for (const row of queued) {
			expect(lines.find((l) => l.includes(row.id))).toMatch(/^unchanged 无变化/);
		}
		expect(lines.filter((l) => l.startsWith('skipped 未导入'))).toHaveLength(2);
		expect(run.stdout).toMatch(/合计 32 条：已接收 0，无变化 30，冲突 0，拒收 0，未导入 2/);
		expect(run.stderr).toMatch(/照片 \[#+\] 90\/90/);
		expect(run.stderr).toMatch(/记录 \[#+\] 32\/32/);
	});

	it('refuses what it cannot import: no such file, not a backup, an unknown account', async () => {
		const missing = cli(importServer, [join(work, 'nope.zip')]);
		expect(missing.status).toBe(1);
		expect(missing.stderr).toMatch(/无法读取/);
		const notZip = join(work, 'not-a-backup.zip');
		writeFileSync(notZip, 'hello');
		const bad = cli(importServer, [notZip]);
		expect(bad.status).toBe(1);
		expect(bad.stderr).toMatch(/不是有效的 zip 文件/);
		const nobody = cli(importServer, [zipPath, '--as', 'nobody']);
		expect(nobody.status).toBe(1);
		expect(nobody.stderr).toMatch(/没有账号 nobody/);
		expect(await importServer.snapshot()).toEqual(afterFirst);
	});

	it('pushes as the account given with --as: another county surveyor is rejected as a push would be', async () => {
		const other = cliReport(importServer, ['--as', 'surveyor-150602']);
		expect(other.counts.rejected).toBe(RECORDS);
		expect(other.results.find((r) => r.status === 'rejected')?.issues?.[0]?.message).toMatch(
			/无权/
		);
		expect(await importServer.snapshot()).toEqual(afterFirst);
	});
});

describe('chunked upload: /api/imports', () => {
	const fetchAs =
		(server: TestServer, token: string): typeof fetch =>
		(input, init) => {
			const headers = new Headers(init?.headers);
			headers.set('authorization', `Bearer ${token}`);
			return fetch(`${server.url}${String(input)}`, { ...init, headers });
		};

	it('imports a file sent in chunks with the result a push gives (conflict, accepted, unchanged)', async () => {
		// the device later: one record edited without knowing the server has it (a conflict), one new
		const [edited] = queued;
		await device.updateRecord(edited!.id, (row) => ({
			...row,
			record: { ...row.record, description: `${row.record.description ?? ''}（补充）` },
			updatedAt: new Date(Date.UTC(2025, 5, 3)).toISOString()
		}));
		const fresh = withPhotos((h) => recheckOf(sites[50]!, h), 2, 50);
		await putOnDevice(device, fresh.record, fresh.photos, {});
		const path = join(work, 'second.zip');
		await exportTo(device, path);
		const bytes = new Uint8Array(await (await import('node:fs/promises')).readFile(path));
		expect(bytes.length).toBeGreaterThan(3 * 64 * 1024);

		const city = await pushServer.as('city');
		const before = await pushServer.snapshot();
		const progress: number[] = [];
		const report = await uploadBackup(new Blob([bytes]), {
			fetch: fetchAs(pushServer, city),
			chunkBytes: 64 * 1024,
			onProgress: (p) => progress.push(p.chunk)
		});
		const chunks = Math.ceil(bytes.length / (64 * 1024));
		expect(progress).toEqual(Array.from({ length: chunks + 1 }, (_, i) => i));
		expect(report.as).toBe(SURVEYOR);
		const statusOf = (id: string) => report.results.find((r) => r.id === id)?.status;
		expect(statusOf(edited!.id)).toBe('conflict');
		expect(statusOf(fresh.record.id)).toBe('accepted');
		expect(report.counts).toEqual({
			accepted: 1,
			unchanged: RECORDS - 1,
			conflict: 1,
			rejected: 0,
			skipped: 2
		});
		expect(report.photos).toEqual({ stored: 2, present: RECORDS * PHOTOS_PER_RECORD, failed: [] });
		const after = await pushServer.snapshot();
		expect(after['records.count']).toBe((before['records.count'] as number) + 1);
		expect(after['photos.count']).toBe((before['photos.count'] as number) + 2);
		// the chunks are gone; only the report stays
		const stored = await contents(pushServer);
		expect(stored.records.find((r) => (r as { id: string }).id === edited!.id)).toMatchObject({
			revision: 1
		});
	});

	it('is for city reviewers only, keeps uploads apart, and refuses oversized or missing chunks', async () => {
		const surveyor = await pushServer.as(SURVEYOR);
		const county = await pushServer.as(`reviewer-${COUNTY}`);
		const city = await pushServer.as('city');
		for (const token of [surveyor, county]) {
			const refused = await pushServer.request('POST', '/api/imports', { token, json: {} });
			expect(refused.status).toBe(403);
			expect((refused.json as { error: string }).error).toMatch(/市文物局/);
		}
		const start = await pushServer.request('POST', '/api/imports', { token: city });
		expect(start.status).toBe(201);
		const { id, chunkBytes } = start.json as { id: string; chunkBytes: number };
		expect(chunkBytes).toBe(4 * 1024 * 1024);

		const tooBig = await pushServer.request('PUT', `/api/imports/${id}/chunks/0`, {
			token: city,
			body: new Uint8Array(4 * 1024 * 1024 + 1),
			headers: { 'content-type': 'application/octet-stream' }
		});
		expect(tooBig.status).toBe(413);
		const ok = await pushServer.request('PUT', `/api/imports/${id}/chunks/0`, {
			token: city,
			body: new Uint8Array([1, 2, 3]),
			headers: { 'content-type': 'application/octet-stream' }
		});
		expect(ok.status).toBe(201);
		const gap = await pushServer.request('POST', `/api/imports/${id}/finish`, {
			token: city,
			json: { chunks: 3 }
		});
		expect(gap.status).toBe(400);
		expect((gap.json as { error: string }).error).toMatch(/还缺 2 个分块/);
		// three bytes are no backup: 422, and nothing written
		const before = await pushServer.snapshot();
		const notBackup = await pushServer.request('POST', `/api/imports/${id}/finish`, {
			token: city,
			json: { chunks: 1 }
		});
		expect(notBackup.status).toBe(422);
		expect((notBackup.json as { error: string }).error).toMatch(/不是有效的 zip 文件/);
		expect(await pushServer.snapshot()).toEqual(before);
		// someone else's upload does not exist for this user
		const otherCity = await pushServer.request('PUT', `/api/imports/${'0'.repeat(32)}/chunks/0`, {
			token: city,
			body: new Uint8Array([1]),
			headers: { 'content-type': 'application/octet-stream' }
		});
		expect(otherCity.status).toBe(404);
		const anon = await pushServer.request('POST', '/api/imports', { json: {} });
		expect(anon.status).toBe(401);
	});

	it('the client function reports a refusal with the server’s message', async () => {
		const surveyor = await pushServer.as(SURVEYOR);
		await expect(
			uploadBackup(new Blob([new Uint8Array(10)]), { fetch: fetchAs(pushServer, surveyor) })
		).rejects.toEqual(new UploadError(403, '只有市文物局审核员可以导入设备备份'));
	});
});
