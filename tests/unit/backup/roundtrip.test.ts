/**
 * The backup file, round trip on fake-indexeddb: what a device exports is what another device
 * restores, byte for byte; what the server already has stays out; a newer local version is never
 * overwritten; damaged or foreign files are refused with a reason.
 */
import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { makeZip } from 'client-zip';
import { ZipReader } from '@zip.js/zip.js/lib/zip-core-reader.js';
import type { DeviceStore, StoredRecord } from '$lib/db/index.js';
import { backupStream, planBackup, type ExportOptions } from '$lib/backup/export.js';
import { restoreBackup } from '$lib/backup/restore.js';
import { BackupFormatError, openBackupZip } from '$lib/backup/zip-read.js';
import { BACKUP_FORMAT } from '$lib/backup/format.js';
import { closeStore, openStore, queuedRecord } from '../sync/device.js';
import { photoBytes } from '../../fixtures/builders.js';

const OPTIONS: ExportOptions = {
	deviceId: '7c9e6679-7425-40de-944b-e07fc1f90ae7',
	username: 'surveyor-150627',
	county: '150627',
	appVersion: '0.1.0',
	now: new Date('2025-06-03T08:00:00Z')
};

async function exportZip(store: DeviceStore, onPhoto?: () => void): Promise<Blob> {
	const plan = await planBackup(store, OPTIONS);
	return new Response(backupStream(store, plan, onPhoto)).blob();
}

async function zipEntries(blob: Blob) {
	const reader = new ZipReader(
		{
			size: blob.size,
			readUint8Array: async (i: number, n: number) =>
				new Uint8Array(await blob.slice(i, i + n).arrayBuffer())
		} as never,
		{ useWebWorkers: false }
	);
	const entries = await reader.getEntries();
	await reader.close();
	return entries;
}

/** Every record row, photo row and photo's bytes of a device, comparable with toEqual. */
async function contents(store: DeviceStore) {
	const records = await store.db.records.orderBy('id').toArray();
	const photos = await store.db.photos.orderBy('key').toArray();
	const blobs: Record<string, string> = {};
	for (const row of await store.db.photoBlobs.toArray()) {
		blobs[row.sha256] = Buffer.from(await row.blob.arrayBuffer()).toString('base64');
	}
	return { records, photos, blobs };
}

let a: DeviceStore;
let b: DeviceStore;
beforeEach(async () => {
	a = await openStore();
	b = await openStore();
});
afterEach(async () => {
	await closeStore(a);
	await closeStore(b);
});

/** A device with every kind of row: 3 queued, a draft, a conflict, a returned draft, one acknowledged. */
async function fill(store: DeviceStore): Promise<{ unsent: StoredRecord[]; acked: StoredRecord }> {
	const unsent = [
		await queuedRecord(store, 1, { photos: 3 }),
		await queuedRecord(store, 2, { photos: 3 }),
		await queuedRecord(store, 3, { photos: 1 }),
		await queuedRecord(store, 4, { photos: 2, row: { localState: 'draft', outbox: undefined } }),
		await queuedRecord(store, 5, {
			photos: 1,
			row: {
				outbox: 'conflict',
				serverStatus: 'submitted',
				serverRevision: 2,
				conflict: { current: { id: 'x', revision: 3 }, at: '2025-06-02T12:00:00.000Z' }
			}
		}),
		await queuedRecord(store, 6, {
			photos: 1,
			row: {
				localState: 'draft',
				outbox: undefined,
				serverStatus: 'returned',
				serverRevision: 2,
				serverComments: [
					{ message: '请补拍近景', by: 'reviewer-150627', at: '2025-06-02T12:00:00.000Z' }
				]
			}
		})
	];
	const acked = await queuedRecord(store, 7, {
		photos: 2,
		row: { outbox: undefined, serverStatus: 'submitted', serverRevision: 1 }
	});
	return { unsent, acked };
}

describe('backup export', () => {
	it('holds every unsent record with its photos, STORED, and leaves out what the server has', async () => {
		const { unsent, acked } = await fill(a);
		const blob = await exportZip(a);
		const entries = await zipEntries(blob);
		const names = entries.map((e) => e.filename);
		expect(names[0]).toBe('manifest.json');
		for (const row of unsent) expect(names).toContain(`records/${row.id}.json`);
		expect(names).not.toContain(`records/${acked.id}.json`);
		for (const sha of acked.record.photos.map((p) => p.sha256)) {
			expect(names).not.toContain(`photos/${sha}.jpg`);
		}
		const photoNames = names.filter((n) => /^photos\/[0-9a-f]{64}\.jpg$/.test(n));
		expect(photoNames).toHaveLength(11);
		expect(names.filter((n) => /^photos\/[0-9a-f]{64}\.json$/.test(n))).toHaveLength(11);
		// STORED: compression method 0, stored size = real size
		for (const e of entries) {
			expect(e.compressionMethod).toBe(0);
			expect(e.compressedSize).toBe(e.uncompressedSize);
		}
		const plan = await planBackup(a, OPTIONS);
		expect(plan.manifest).toMatchObject({
			format: BACKUP_FORMAT,
			version: 1,
			deviceId: OPTIONS.deviceId,
			username: 'surveyor-150627',
			county: '150627',
			exportedAt: '2025-06-03T08:00:00.000Z',
			counts: { records: 6, photos: 11, missingPhotos: 0 }
		});
		expect(plan.manifest.records.find((r) => r.id === unsent[4]!.id)).toMatchObject({
			outbox: 'conflict',
			serverRevision: 2
		});
	});

	it('reads photo Blobs one at a time, as the zip stream asks for them', async () => {
		for (let i = 1; i <= 5; i++) await queuedRecord(a, i, { photos: 4 });
		const plan = await planBackup(a, OPTIONS);
		const read = vi.spyOn(a, 'photoBlob');
		const progress: number[] = [];
		const reader = backupStream(a, plan, (p) => progress.push(p.photos.done)).getReader();
		// the manifest and the records come first: no photo has been read yet
		const first = await reader.read();
		expect(first.done).toBe(false);
		expect(read.mock.calls.length).toBeLessThanOrEqual(1);
		let chunks = 0;
		while (!(await reader.read()).done) {
			chunks++;
			// never more than one photo ahead of what the stream has given out
			expect(read.mock.calls.length).toBeLessThanOrEqual((progress.at(-1) ?? 0) + 1);
		}
		expect(chunks).toBeGreaterThan(20);
		expect(read).toHaveBeenCalledTimes(20);
		expect(progress.at(-1)).toBe(20);
	});
});

describe('backup restore', () => {
	it('restores everything onto an empty device exactly as it was, and a second restore changes nothing', async () => {
		await fill(a);
		const blob = await exportZip(a);
		const outcome = await restoreBackup(b, blob);
		expect(outcome.restored).toHaveLength(6);
		expect(outcome.skipped).toEqual([]);
		expect(outcome.photos).toEqual({ written: 11, present: 0, problems: [] });

		const source = await contents(a);
		const restored = await contents(b);
		// the same rows, bookkeeping included (outbox, server revision, comments, conflict)
		const acked = source.records.find(
			(r) => r.serverStatus && !r.outbox && r.localState === 'finalized'
		)!;
		expect(restored.records).toEqual(source.records.filter((r) => r.id !== acked.id));
		expect(restored.photos).toEqual(source.photos.filter((p) => p.recordId !== acked.id));
		const ackedHashes = new Set(acked.record.photos.map((p) => p.sha256));
		expect(restored.blobs).toEqual(
			Object.fromEntries(Object.entries(source.blobs).filter(([sha]) => !ackedHashes.has(sha)))
		);
		// blobs keep their type
		const one = restored.photos[0]!;
		expect((await b.photoBlob(one.sha256))?.type).toBe('image/jpeg');

		const again = await restoreBackup(b, blob);
		expect(again.restored).toEqual([]);
		expect(again.same).toHaveLength(6);
		expect(again.photos.written).toBe(0);
		expect(await contents(b)).toEqual(restored);
	});

	it('never overwrites a newer local version, and replaces an older one', async () => {
		const r1 = await queuedRecord(a, 1, { photos: 2, updatedAt: '2025-06-02T10:00:00+08:00' });
		const r2 = await queuedRecord(a, 2, { photos: 1, updatedAt: '2025-06-02T10:00:00+08:00' });
		const blob = await exportZip(a);

		// device b: r1 edited later than the backup, r2 an older version with another photo
		await queuedRecord(b, 1, { photos: 1, updatedAt: '2025-06-02T11:00:00+08:00' });
		const oldR2 = await queuedRecord(b, 2, { photos: 1, updatedAt: '2025-06-02T09:00:00+08:00' });
		const before = await b.getRecord(r1.id);

		const outcome = await restoreBackup(b, blob);
		expect(outcome.skipped).toEqual([expect.objectContaining({ id: r1.id, reason: 'newer' })]);
		expect(outcome.restored).toEqual([{ id: r2.id, name: r2.record.name, replaced: true }]);
		expect(await b.getRecord(r1.id)).toEqual(before);
		expect(await b.getRecord(r2.id)).toEqual(r2);
		// the older version's photo went with it
		const oldSha = oldR2.record.photos[0]!.sha256;
		expect(await b.photoBlob(oldSha)).toBeUndefined();
		expect((await b.photosOf(r2.id)).map((p) => p.sha256)).toEqual(
			r2.record.photos.map((p) => p.sha256)
		);
	});

	it('refuses a file that is not a backup, or of a newer format version, writing nothing', async () => {
		const notZip = new Blob(['hello']);
		await expect(restoreBackup(b, notZip)).rejects.toBeInstanceOf(BackupFormatError);
		const foreign = await new Response(
			makeZip([{ name: 'manifest.json', input: JSON.stringify({ format: 'other', version: 1 }) }])
		).blob();
		await expect(restoreBackup(b, foreign)).rejects.toThrow(/不是四普设备备份文件/);
		const future = await new Response(
			makeZip([
				{ name: 'manifest.json', input: JSON.stringify({ format: BACKUP_FORMAT, version: 2 }) }
			])
		).blob();
		await expect(restoreBackup(b, future)).rejects.toThrow(/版本是 2/);
		expect(await b.db.records.count()).toBe(0);
	});

	it('checks each photo against its SHA-256 and each row against its schema', async () => {
		const good = await queuedRecord(a, 1, { photos: 2 });
		const bad = await queuedRecord(a, 2, { photos: 1 });
		const plan = await planBackup(a, OPTIONS);
		const entries: { name: string; input: string | Blob }[] = [];
		const original = await openBackupZip(await exportZip(a));
		const forged = photoBytes();
		const badSha = bad.record.photos[0]!.sha256;
		for (const [name, e] of original.entries) {
			let input: string | Blob = await new Response(original.stream(e)).blob();
			// the photo's bytes replaced by others (a valid zip: the CRC matches the new bytes)
			if (name === `photos/${badSha}.jpg`) input = new Blob([forged.bytes]);
			// a row that fails StoredRecordSchema
			if (name === `records/${good.id}.json`) {
				const row = JSON.parse(await (input as Blob).text()) as StoredRecord;
				input = JSON.stringify({ ...row, localState: 'sent' });
			}
			entries.push({ name, input });
		}
		expect(plan.manifest.counts.records).toBe(2);
		const zip = await new Response(makeZip(entries)).blob();
		const outcome = await restoreBackup(b, zip);
		expect(outcome.skipped).toEqual([
			expect.objectContaining({
				id: good.id,
				reason: 'invalid',
				detail: expect.stringMatching(/localState/)
			})
		]);
		// the record itself is kept (its text is the surveyor's work); the photo is not
		expect(outcome.restored.map((r) => r.id)).toEqual([bad.id]);
		expect(outcome.photos.problems).toEqual([
			{ recordId: bad.id, sha256: badSha, message: expect.stringMatching(/SHA-256/) }
		]);
		expect(await b.photoBlob(badSha)).toBeUndefined();
		expect(await b.getRecord(good.id)).toBeUndefined();
	});

	it('says the file is damaged when a byte of a photo changed (CRC-32)', async () => {
		const row = await queuedRecord(a, 1, { photos: 1 });
		const bytes = new Uint8Array(await (await exportZip(a)).arrayBuffer());
		const sha = row.record.photos[0]!.sha256;
		// find the photo's bytes in the file and flip one
		const original = new Uint8Array(await (await a.photoBlob(sha))!.arrayBuffer());
		const at = Buffer.from(bytes).indexOf(Buffer.from(original.subarray(0, 64)));
		expect(at).toBeGreaterThan(0);
		bytes[at + 10]! ^= 0xff;
		const outcome = await restoreBackup(b, new Blob([bytes]));
		expect(outcome.photos.problems).toEqual([
			{ recordId: row.id, sha256: sha, message: expect.stringMatching(/损坏|CRC/i) }
		]);
		expect(await b.photoBlob(sha)).toBeUndefined();
	});
});
