import { createHash } from 'node:crypto';
import { createReadStream, existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { copyFile, rename, rm, writeFile, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { DATABASE_FILE } from './db/connection.js';
import { SHA256_PATTERN } from './photos/store.js';

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

/**
 * A consistent backup of a DATA_DIR while the server runs: the database through SQLite's online
 * backup API (a snapshot of one moment), then every photo that snapshot names. Photos are stored
 * before any record may name them and never change, so the copy is complete for that moment.
 */
export async function backupDataDir(
	dataDir: string,
	target: string,
	progress: Progress = () => undefined
): Promise<{ records: number; photos: number; bytes: number }> {
	if (existsSync(target) && readdirSync(target).length > 0) {
		throw new Error(`目标目录 ${target} 不是空的：请换一个新目录`);
	}
	mkdirSync(join(target, 'photos'), { recursive: true });
	const source = new Database(join(dataDir, DATABASE_FILE), {
		readonly: true,
		fileMustExist: true
	});
	try {
		await source.backup(join(target, DATABASE_FILE));
	} finally {
		source.close();
	}
	const copy = new Database(join(target, DATABASE_FILE), { readonly: true });
	const photos = copy.prepare('SELECT sha256, size FROM photos ORDER BY sha256').all() as {
		sha256: string;
		size: number;
	}[];
	const records = (copy.prepare('SELECT count(*) AS n FROM records').get() as { n: number }).n;
	copy.close();
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
				bytes
			},
			null,
			2
		)
	);
	return { records, photos: photos.length, bytes };
}

/**
 * Restores a backup into an empty DATA_DIR (the server must not be running on it). Every photo's
 * hash is checked on the way; a backup with a damaged photo is refused before anything is written.
 */
export async function restoreDataDir(
	backup: string,
	dataDir: string,
	progress: Progress = () => undefined
): Promise<{ records: number; photos: number }> {
	const manifest = JSON.parse(await readFile(join(backup, MANIFEST), 'utf8')) as {
		format?: string;
	};
	if (manifest.format !== 'ordos-survey-backup')
		throw new Error(`${backup} 不是本系统的备份（缺少 ${MANIFEST}）`);
	if (existsSync(join(dataDir, DATABASE_FILE))) {
		throw new Error(`${dataDir} 中已有数据库：恢复只写入空的数据目录，请先移走现有数据`);
	}
	const check = await checkDataDir(backup, { progress });
	if (check.missing.length > 0 || check.corrupt.length > 0) {
		throw new Error(
			`备份不完整：缺少 ${check.missing.length} 张、损坏 ${check.corrupt.length} 张照片，未恢复`
		);
	}
	mkdirSync(join(dataDir, 'photos', 'tmp'), { recursive: true });
	const staging = join(dataDir, `${DATABASE_FILE}.restoring`);
	await copyFile(join(backup, DATABASE_FILE), staging);
	const db = new Database(join(backup, DATABASE_FILE), { readonly: true });
	const photos = (db.prepare('SELECT sha256 FROM photos').all() as { sha256: string }[]).map(
		(p) => p.sha256
	);
	const records = (db.prepare('SELECT count(*) AS n FROM records').get() as { n: number }).n;
	db.close();
	for (const sha of photos) {
		mkdirSync(join(dataDir, 'photos', sha.slice(0, 2)), { recursive: true });
		await copyFile(photoPath(backup, sha), `${photoPath(dataDir, sha)}.part`);
		await rename(`${photoPath(dataDir, sha)}.part`, photoPath(dataDir, sha));
	}
	await rename(staging, join(dataDir, DATABASE_FILE));
	return { records, photos: photos.length };
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
	dataDir: string,
	options: { removeOrphans?: boolean; progress?: Progress } = {}
): Promise<CheckReport> {
	const db = new Database(join(dataDir, DATABASE_FILE), { readonly: true, fileMustExist: true });
	const named = new Set(
		(
			db.prepare('SELECT sha256 FROM record_photos UNION SELECT sha256 FROM photos').all() as {
				sha256: string;
			}[]
		).map((r) => r.sha256)
	);
	const referenced = new Set(
		(db.prepare('SELECT sha256 FROM record_photos').all() as { sha256: string }[]).map(
			(r) => r.sha256
		)
	);
	// photos named by any revision, not only the current one, are not orphans
	for (const row of db
		.prepare('SELECT content FROM revisions WHERE content IS NOT NULL')
		.iterate() as Iterable<{
		content: string;
	}>) {
		for (const photo of (JSON.parse(row.content) as { photos?: { sha256: string }[] }).photos ??
			[]) {
			referenced.add(photo.sha256);
		}
	}
	db.close();
	const onDisk = new Set<string>();
	const root = join(dataDir, 'photos');
	if (existsSync(root)) {
		for (const dir of readdirSync(root)) {
			if (!/^[0-9a-f]{2}$/.test(dir)) continue;
			for (const name of readdirSync(join(root, dir))) {
				if (SHA256_PATTERN.test(name) && statSync(join(root, dir, name)).isFile()) onDisk.add(name);
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
		const rw = new Database(join(dataDir, DATABASE_FILE), { fileMustExist: true });
		rw.pragma('busy_timeout = 5000');
		try {
			const uploadedAt = rw.prepare('SELECT uploaded_at FROM photos WHERE sha256 = ?');
			const forget = rw.prepare(
				'DELETE FROM photos WHERE sha256 = ? AND NOT EXISTS (SELECT 1 FROM record_photos WHERE sha256 = ?)'
			);
			for (const sha of report.orphans) {
				const row = uploadedAt.get(sha) as { uploaded_at: string } | undefined;
				if (row && row.uploaded_at > cutoff) continue;
				// the row first: from then on the server answers 404 and a device uploads it again
				forget.run(sha, sha);
				await rm(photoPath(dataDir, sha), { force: true });
				report.removed++;
			}
		} finally {
			rw.close();
		}
	}
	return report;
}
