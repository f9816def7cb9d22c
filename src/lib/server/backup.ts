import { createHash } from 'node:crypto';
import { createReadStream, existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { copyFile, rename, rm, writeFile, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DATABASE_FILE, isPostgresUrl, type DatabaseConfig } from './db/connection.js';
import { copyDatabase, isEmpty } from './db/copy.js';
import { DataStore } from './db/store.js';
import { SHA256_PATTERN } from './photos/store.js';
import { AUDIT_HEAD_FILE, headFilePath, readHeadFile } from './db/audit.js';

export type Progress = (done: number, total: number) => void;

const MANIFEST = 'backup.json';
/** Orphan photos younger than this are kept: their record's push may still be on its way. */
export const ORPHAN_GRACE_MS = 24 * 3600 * 1000;

function photoPath(root: string, sha: string): string {
	return join(root, 'photos', sha.slice(0, 2), sha);
}

export function sha256File(path: string): Promise<string> {
	return new Promise((resolve, reject) => {
		const hash = createHash('sha256');
		createReadStream(path)
			.on('data', (chunk) => hash.update(chunk))
			.on('end', () => resolve(hash.digest('hex')))
			.on('error', reject);
	});
}

/** The SQLite database of a data directory, which must exist (nothing is created). */
async function openExisting(dataDir: string): Promise<DataStore> {
	if (!existsSync(join(dataDir, DATABASE_FILE)))
		throw new Error(`${dataDir} 中没有数据库 ${DATABASE_FILE}`);
	return DataStore.open({ dataDir }, { anchorAudit: false });
}

/**
 * The head file of a backup: the lines of the live head file up to the snapshot's last audit
 * entry (lines after it name entries committed after the snapshot, which the copy lacks). Read
 * after the snapshot, so every entry the snapshot holds that was anchored is.
 */
async function backupAuditHead(dataDir: string, target: string, snapshotSeq: number) {
	const file = readHeadFile(headFilePath(dataDir));
	if (!file.ok)
		throw new Error(
			`链头文件 ${AUDIT_HEAD_FILE} 第 ${file.line} 行无法识别：请先运行 npm run audit:verify`
		);
	const lines = file.anchors.filter((a) => a.seq <= snapshotSeq).map((a) => `${a.seq} ${a.hash}\n`);
	if (lines.length > 0) await writeFile(headFilePath(target), lines.join(''));
}

/**
 * A consistent backup of the server's data while it runs: the database as it was at one moment,
 * then every photo that snapshot names. SQLite: through its online backup API. PostgreSQL: every
 * row read in one REPEATABLE READ snapshot and written into a new SQLite file of the same schema,
 * so a backup has one format whichever database it came from (and restores into either). Photos
 * are stored before any record may name them and never change, so the copy is complete for that
 * moment.
 */
export async function backupDataDir(
	config: DatabaseConfig,
	target: string,
	progress: Progress = () => undefined
): Promise<{ records: number; photos: number; bytes: number }> {
	const { dataDir } = config;
	if (existsSync(target) && readdirSync(target).length > 0) {
		throw new Error(`目标目录 ${target} 不是空的：请换一个新目录`);
	}
	mkdirSync(join(target, 'photos'), { recursive: true });
	if (isPostgresUrl(config.url)) {
		const source = await DataStore.open(config, { anchorAudit: false });
		const copy = await DataStore.open({ dataDir: target }, { anchorAudit: false });
		try {
			await copyDatabase(source, copy);
		} finally {
			await Promise.all([source.close(), copy.close()]);
		}
	} else {
		const source = await openExisting(dataDir);
		try {
			await source.sqlite!.backup(join(target, DATABASE_FILE));
		} finally {
			await source.close();
		}
	}
	const copy = await openExisting(target);
	const photos = await copy.photos.list();
	const records = await copy.records.count();
	const auditHead = await copy.audit.head();
	await copy.close();
	await backupAuditHead(dataDir, target, auditHead?.seq ?? 0);
	let bytes = 0;
	for (const [i, photo] of photos.entries()) {
		const to = photoPath(target, photo.sha256);
		mkdirSync(join(target, 'photos', photo.sha256.slice(0, 2)), { recursive: true });
		await copyFile(photoPath(dataDir, photo.sha256), `${to}.part`);
		await rename(`${to}.part`, to);
		bytes += photo.size;
		progress(i + 1, photos.length);
	}
	await writeFile(
		join(target, MANIFEST),
		JSON.stringify(
			{
				format: 'ordos-survey-backup',
				version: 1,
				takenAt: new Date().toISOString(),
				records,
				photos: photos.length,
				bytes,
				auditEntries: auditHead?.seq ?? 0
			},
			null,
			2
		)
	);
	return { records, photos: photos.length, bytes };
}

/**
 * Restores a backup into an empty DATA_DIR (the server must not be running on it) and, with a
 * PostgreSQL `config.url`, its rows into that database, which must hold no account, site or
 * record. Every photo's hash is checked on the way; a backup with a damaged photo is refused
 * before anything is written.
 */
export async function restoreDataDir(
	backup: string,
	config: DatabaseConfig,
	progress: Progress = () => undefined
): Promise<{ records: number; photos: number }> {
	const { dataDir } = config;
	const postgres = isPostgresUrl(config.url);
	const manifest = JSON.parse(await readFile(join(backup, MANIFEST), 'utf8')) as {
		format?: string;
	};
	if (manifest.format !== 'ordos-survey-backup')
		throw new Error(`${backup} 不是本系统的备份（缺少 ${MANIFEST}）`);
	if (!postgres && existsSync(join(dataDir, DATABASE_FILE))) {
		throw new Error(`${dataDir} 中已有数据库：恢复只写入空的数据目录，请先移走现有数据`);
	}
	let target: DataStore | undefined;
	if (postgres) {
		target = await DataStore.open(config);
		if (!(await isEmpty(target))) {
			await target.close();
			throw new Error('PostgreSQL 数据库中已有数据：恢复只写入空的数据库');
		}
	}
	try {
		const check = await checkDataDir({ dataDir: backup }, { progress });
		if (check.missing.length > 0 || check.corrupt.length > 0) {
			throw new Error(
				`备份不完整：缺少 ${check.missing.length} 张、损坏 ${check.corrupt.length} 张照片，未恢复`
			);
		}
		mkdirSync(join(dataDir, 'photos', 'tmp'), { recursive: true });
		const source = await openExisting(backup);
		let photos: string[];
		let records: number;
		try {
			photos = (await source.photos.list()).map((p) => p.sha256);
			records = await source.records.count();
			for (const sha of photos) {
				mkdirSync(join(dataDir, 'photos', sha.slice(0, 2)), { recursive: true });
				await copyFile(photoPath(backup, sha), `${photoPath(dataDir, sha)}.part`);
				await rename(`${photoPath(dataDir, sha)}.part`, photoPath(dataDir, sha));
			}
			// the rows last: a database that names photos the directory lacks never exists
			if (target) await copyDatabase(source, target);
		} finally {
			await source.close();
		}
		if (!target) {
			const staging = join(dataDir, `${DATABASE_FILE}.restoring`);
			await copyFile(join(backup, DATABASE_FILE), staging);
			await rename(staging, join(dataDir, DATABASE_FILE));
		}
		// the audit chain's head file of the backup, after the rows (never ahead of them); it
		// replaces a head file the data directory held for a database it no longer has
		if (existsSync(headFilePath(backup))) {
			await copyFile(headFilePath(backup), `${headFilePath(dataDir)}.restoring`);
			await rename(`${headFilePath(dataDir)}.restoring`, headFilePath(dataDir));
		}
		return { records, photos: photos.length };
	} finally {
		await target?.close();
	}
}

export type CheckReport = {
	/** Photos the database names (photos table or a record) that are not on disk. */
	missing: string[];
	/** Photos on disk whose bytes do not hash to their name. */
	corrupt: string[];
	/** Photo files no revision of any record names. */
	orphans: string[];
	checked: number;
	removed: number;
};

/**
 * Verifies that every photo a record names is present with the right hash, and lists photo files
 * no record names; removes those only when `removeOrphans` is set.
 */
export async function checkDataDir(
	config: DatabaseConfig,
	options: { removeOrphans?: boolean; progress?: Progress } = {}
): Promise<CheckReport> {
	const { dataDir } = config;
	const store = isPostgresUrl(config.url)
		? await DataStore.open(config)
		: await openExisting(dataDir);
	try {
		const { named, referenced } = await store.read(async (tx) => {
			const current = await tx.records.namedPhotos();
			const stored = (await tx.photos.list()).map((p) => p.sha256);
			// photos named by any revision, not only the current one, are not orphans
			const referenced = await tx.records.photosOfAllRevisions();
			for (const sha of current) referenced.add(sha);
			return { named: new Set([...current, ...stored]), referenced };
		});
		const onDisk = new Set<string>();
		const root = join(dataDir, 'photos');
		if (existsSync(root)) {
			for (const dir of readdirSync(root)) {
				if (!/^[0-9a-f]{2}$/.test(dir)) continue;
				for (const name of readdirSync(join(root, dir))) {
					if (SHA256_PATTERN.test(name) && statSync(join(root, dir, name)).isFile())
						onDisk.add(name);
				}
			}
		}
		const report: CheckReport = { missing: [], corrupt: [], orphans: [], checked: 0, removed: 0 };
		const all = [...named].sort();
		for (const [i, sha] of all.entries()) {
			if (!onDisk.has(sha)) report.missing.push(sha);
			else if ((await sha256File(photoPath(dataDir, sha))) !== sha) report.corrupt.push(sha);
			report.checked++;
			options.progress?.(i + 1, all.length);
		}
		for (const sha of [...onDisk].sort()) {
			if (!referenced.has(sha)) report.orphans.push(sha);
		}
		if (options.removeOrphans && report.orphans.length > 0) {
			// a photo uploaded in the last day may belong to a record whose push is still to come
			const cutoff = new Date(Date.now() - ORPHAN_GRACE_MS).toISOString();
			for (const sha of report.orphans) {
				const uploadedAt = await store.photos.uploadedAt(sha);
				if (uploadedAt && uploadedAt > cutoff) continue;
				// the row first: from then on the server answers 404 and a device uploads it again
				await store.photos.forgetOrphan(sha);
				await rm(photoPath(dataDir, sha), { force: true });
				report.removed++;
			}
		}
		return report;
	} finally {
		await store.close();
	}
}
