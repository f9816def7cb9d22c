import type { Db } from './connection.js';

/** The photos table: which stored photos exist, who uploaded them. The bytes are in PhotoStore. */
export class PhotoRepository {
	constructor(private readonly db: Db) {}

	has(sha256: string): boolean {
		return this.db.prepare('SELECT 1 FROM photos WHERE sha256 = ?').get(sha256) !== undefined;
	}

	/** The hashes of `hashes` that are not stored. */
	missing(hashes: readonly string[]): string[] {
		const check = this.db.prepare('SELECT 1 FROM photos WHERE sha256 = ?');
		return [...new Set(hashes)].filter((h) => check.get(h) === undefined);
	}

	get(
		sha256: string
	): { sha256: string; size: number; mime: string; uploadedBy: number | null } | undefined {
		const row = this.db.prepare('SELECT * FROM photos WHERE sha256 = ?').get(sha256) as
			{ sha256: string; size: number; mime: string; uploaded_by: number | null } | undefined;
		return (
			row && { sha256: row.sha256, size: row.size, mime: row.mime, uploadedBy: row.uploaded_by }
		);
	}

	/** Records a stored photo; false when it was already there. */
	add(sha256: string, size: number, mime: string, uploadedBy: number): boolean {
		return (
			this.db
				.prepare(
					'INSERT OR IGNORE INTO photos (sha256, size, mime, uploaded_by, uploaded_at) VALUES (?, ?, ?, ?, ?)'
				)
				.run(sha256, size, mime, uploadedBy, new Date().toISOString()).changes === 1
		);
	}

	count(): number {
		return (this.db.prepare('SELECT count(*) AS n FROM photos').get() as { n: number }).n;
	}
}
