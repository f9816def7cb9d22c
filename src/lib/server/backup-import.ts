/**
 * Importing a device's backup file (docs/BACKUP.md) into the server: what a sync from that device
 * would have done, and nothing else.
 *
 * - Photos go through the PhotoStore (hash, type and size checked, fsync + rename) and the
 *   PhotoRepository, as `PUT /api/photos/{sha256}` does; photos the server holds are left alone.
 * - Records go through `push()`, the function behind `POST /api/sync/push`, as the account named
 *   in the file (or `as`) and with the file's device id, each with `baseRevision` = the revision
 *   the device last had acknowledged, exactly as the device sends it. So each record gets the
 *   result a push would give it, and importing a file twice changes nothing (`unchanged`).
 * - What the device would not send is not pushed either, and is reported as `skipped`: drafts
 *   (not finished by the surveyor), records whose photos could not be stored, records over the
 *   push size limit.
 *
 * The file is read with random access: the zip's directory first, then one entry at a time,
 * photos streamed straight to disk.
 */
import { openAsBlob } from 'node:fs';
import { z } from 'zod';
import { parseWith, type Issue } from '../domain/schemas/common.js';
import {
	MAX_RECORD_FILE_BYTES,
	isPushable,
	photoEntryName,
	recordEntryName,
	type BackupManifest,
	type ImportRecordResult,
	type ImportReport,
	type ImportStatus
} from '../backup/format.js';
import { BackupFormatError, openBackupZip, readManifest } from '../backup/zip-read.js';
import { principalOf } from './db/users.js';
import type { PhotoStore } from './photos/store.js';
import { PhotoStoreError } from './photos/store.js';
import type { Principal } from './auth/roles.js';
import { push, PUSH_MAX_RECORDS, type PushDeps } from './sync/push.js';
import { PUSH_BATCH_BYTES } from '../domain/sync/limits.js';

export type ImportDeps = PushDeps & { photoStore: PhotoStore };

export type { ImportRecordResult, ImportReport, ImportStatus };

export type ImportProgress = (phase: 'photos' | 'records', done: number, total: number) => void;

export type ImportOptions = {
	/** Push as this account instead of the one named in the file. */
	as?: string;
	/** Who imports (the review UI): pushed as this account when the file names none. */
	importer?: Principal;
	onProgress?: ImportProgress;
	now?: Date;
};

/** The file cannot be imported at all (not a backup, no such account); nothing was written. */
export class ImportError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'ImportError';
	}
}

/** The part of a stored record row an import reads; the wire record is checked by push(). */
const RowSchema = z.looseObject({
	id: z.string(),
	localState: z.enum(['draft', 'finalized']),
	outbox: z.string().optional(),
	serverStatus: z.string().optional(),
	serverRevision: z.number().int().min(1).optional(),
	updatedAt: z.string().optional(),
	record: z.record(z.string(), z.unknown())
});

const encoder = new TextEncoder();

type Row = z.infer<typeof RowSchema>;

/** The photo hashes a stored row's record names, in order. */
function photoHashes(row: Row): string[] {
	return Array.isArray(row.record.photos)
		? (row.record.photos as { sha256?: unknown }[])
				.map((p) => p?.sha256)
				.filter((s): s is string => typeof s === 'string')
		: [];
}

async function principalFor(
	deps: ImportDeps,
	manifest: BackupManifest,
	options: ImportOptions
): Promise<Principal> {
	const username = options.as ?? manifest.username ?? options.importer?.username;
	if (!username) {
		throw new ImportError('备份文件没有记录登录的账号：请指定记录归属的账号（--as <用户名>）');
	}
	const user =
		options.importer && username === options.importer.username
			? options.importer
			: await deps.store.users.byUsername(username);
	if (!user) {
		throw new ImportError(
			`服务器上没有账号 ${username}${options.as ? '' : '（备份文件中记录的账号）'}：请用 --as 指定一个账号`
		);
	}
	// the records go in as a push from the tablet would: only a surveyor's (contract §1)
	if (user.role !== 'surveyor') {
		throw new ImportError(
			`账号 ${username} 不是调查员账号：记录只能归属于调查员。请用 --as（或导入页面的「记录归属账号」）指定该平板调查员的账号`
		);
	}
	return 'tokenId' in user ? user : principalOf(user);
}

/** Imports the backup zip at `path` (a file on disk). */
export async function importBackupFile(
	deps: ImportDeps,
	path: string,
	options: ImportOptions = {}
): Promise<ImportReport> {
	let blob: Blob;
	try {
		blob = await openAsBlob(path);
	} catch (error) {
		throw new ImportError(`无法读取 ${path}：${(error as Error).message}`);
	}
	return importBackup(deps, blob, options);
}

export async function importBackup(
	deps: ImportDeps,
	file: Blob,
	options: ImportOptions = {}
): Promise<ImportReport> {
	let zip;
	let manifest: BackupManifest;
	try {
		zip = await openBackupZip(file);
		manifest = await readManifest(zip);
	} catch (error) {
		if (error instanceof BackupFormatError) throw new ImportError(error.message);
		throw error;
	}
	try {
		const user = await principalFor(deps, manifest, options);
		const report: ImportReport = {
			file: {
				deviceId: manifest.deviceId,
				username: manifest.username,
				county: manifest.county,
				exportedAt: manifest.exportedAt,
				counts: manifest.counts
			},
			as: user.username,
			photos: { stored: 0, present: 0, failed: [] },
			results: [],
			counts: { accepted: 0, unchanged: 0, conflict: 0, rejected: 0, skipped: 0 }
		};

		// --- the rows, in the order the device sends them (oldest change first) -------------
		// Each row file is read, checked and let go: only its bookkeeping is kept (issue 10 point
		// 3: memory stays bounded by one row and one push batch, whatever the file lists).
		type Listed = BackupManifest['records'][number];
		type Plan = { listed: Listed; skip?: Issue[]; photos: string[] };
		const readRow = async (listed: Listed): Promise<Row | string> => {
			try {
				const parsed = parseWith(
					RowSchema,
					await zip.json(recordEntryName(listed.id), MAX_RECORD_FILE_BYTES)
				);
				return parsed.ok && parsed.value.id === listed.id ? parsed.value : '备份中的记录文件不合格';
			} catch (error) {
				return (error as Error).message;
			}
		};
		const plans: Plan[] = [];
		for (const listed of manifest.records) {
			const row = await readRow(listed);
			if (typeof row === 'string') {
				plans.push({ listed, skip: [{ path: '', message: row }], photos: [] });
			} else if (!isPushable(row)) {
				plans.push({
					listed,
					photos: [],
					skip: [
						{
							path: 'localState',
							message:
								row.serverStatus === 'returned'
									? '退回后正在修改的草稿：调查员尚未重新完成，设备不会上传'
									: '草稿：调查员尚未完成，设备不会上传'
						}
					]
				});
			} else {
				plans.push({ listed, photos: photoHashes(row) });
			}
		}
		plans.sort((a, b) =>
			a.listed.updatedAt < b.listed.updatedAt ? -1 : a.listed.updatedAt > b.listed.updatedAt ? 1 : 0
		);

		// --- photos the pushed records name, as PUT /api/photos does -------------------------
		const mimeOf = new Map(manifest.photos.map((p) => [p.sha256, p.mimeType]));
		const needed = [...new Set(plans.flatMap((p) => (p.skip ? [] : p.photos)))].filter((sha) =>
			mimeOf.has(sha)
		);
		const failedPhotos = new Map<string, string>();
		for (const [i, sha256] of needed.entries()) {
			options.onProgress?.('photos', i, needed.length);
			if (await deps.store.photos.has(sha256)) {
				report.photos.present++;
				continue;
			}
			const mime = mimeOf.get(sha256)!;
			const entry = zip.entries.get(photoEntryName(sha256, mime));
			if (!entry) {
				failedPhotos.set(sha256, '备份文件中没有这张照片的内容');
				continue;
			}
			const body = zip.stream(entry);
			try {
				const size = await deps.photoStore.put(
					sha256,
					mime,
					body as unknown as AsyncIterable<Uint8Array>
				);
				await deps.store.photos.add(sha256, size, mime, user.id);
				report.photos.stored++;
			} catch (error) {
				await body.cancel().catch(() => undefined);
				// a damaged entry (bad CRC) fails reading the body, which put() reports as its own
				if (!(error instanceof PhotoStoreError)) throw error;
				failedPhotos.set(sha256, `照片未能保存：${(error as Error).message}`);
			}
		}
		options.onProgress?.('photos', needed.length, needed.length);
		report.photos.failed = [...failedPhotos].map(([sha256, message]) => ({ sha256, message }));

		// --- records, through push() in batches as the device sends them ---------------------
		const results = new Map<string, ImportRecordResult>();
		const result = (
			listed: Listed,
			status: ImportStatus,
			extra: Partial<ImportRecordResult> = {}
		) =>
			results.set(listed.id, {
				id: listed.id,
				name: listed.name ?? '',
				countyCode: listed.countyCode,
				status,
				...extra
			});
		const batch: { listed: Listed; wire: Record<string, unknown> }[] = [];
		let batchBytes = 0;
		let done = 0;
		const flush = async () => {
			if (batch.length === 0) return;
			const sent = batch.splice(0);
			batchBytes = 0;
			const answers = await push(
				deps,
				user,
				manifest.deviceId,
				sent.map((s) => s.wire),
				options.now
			);
			for (const [i, s] of sent.entries()) {
				const answer = answers[i]!;
				result(s.listed, answer.status, {
					...(answer.status === 'rejected' ? {} : { revision: answer.revision }),
					...(answer.status === 'rejected' ? { issues: answer.issues } : {}),
					...(answer.status === 'conflict'
						? {
								issues: [
									{
										path: 'baseRevision',
										message: `服务器上的记录已是第 ${answer.revision} 版（${answer.current.status}），与设备所据的版本不同`
									}
								]
							}
						: {})
				});
			}
			done += sent.length;
			options.onProgress?.('records', done, plans.length);
		};
		for (const plan of plans) {
			const { listed } = plan;
			if (plan.skip) {
				result(listed, 'skipped', { issues: plan.skip });
				continue;
			}
			const held = plan.photos.flatMap((sha, i) =>
				failedPhotos.has(sha) ? [{ path: `photos.${i}`, message: failedPhotos.get(sha)! }] : []
			);
			if (held.length) {
				result(listed, 'skipped', { issues: held });
				continue;
			}
			// read again: the first pass kept none of the content
			const row = await readRow(listed);
			if (typeof row === 'string') {
				result(listed, 'skipped', { issues: [{ path: '', message: row }] });
				continue;
			}
			const wire = { ...row.record, baseRevision: row.serverRevision ?? 0 };
			// counted as the device counts it: the record's JSON and its comma
			const bytes = encoder.encode(JSON.stringify(wire)).length + 1;
			if (bytes > PUSH_BATCH_BYTES) {
				result(listed, 'skipped', {
					issues: [{ path: '', message: '记录超过 2 MB，设备无法上传，导入也不接收' }]
				});
				continue;
			}
			// batches as the device makes them: at most 50 records and 2 MB
			if (batch.length >= PUSH_MAX_RECORDS || batchBytes + bytes > PUSH_BATCH_BYTES) await flush();
			batch.push({ listed, wire });
			batchBytes += bytes;
		}
		await flush();
		if (done < plans.length) options.onProgress?.('records', plans.length, plans.length);

		// in the file's order
		for (const listed of manifest.records) {
			const r = results.get(listed.id)!;
			report.results.push(r);
			report.counts[r.status]++;
		}
		return report;
	} finally {
		await zip.close();
	}
}
