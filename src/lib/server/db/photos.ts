import type { Db } from './connection.js';

/** The photos table: which stored photos exist, who uploaded them. The bytes are in PhotoStore. */
export class PhotoRepository {
	constructor(private readonly db: Db) {}

	async has(sha256: string): Promise<boolean> {
		const row = await this.db
			.selectFrom('photos')
			.select('sha256')
			.where('sha256', '=', sha256)
			.executeTakeFirst();
		return row !== undefined;
	}

	/** The hashes of `hashes` that are not stored. */
	async missing(hashes: readonly string[]): Promise<string[]> {
		const wanted = [...new Set(hashes)];
		if (wanted.length === 0) return [];
		const held = new Set<string>();
		for (let i = 0; i < wanted.length; i += 200) {
			const rows = await this.db
				.selectFrom('photos')
				.select('sha256')
				.where('sha256', 'in', wanted.slice(i, i + 200))
				.execute();
			for (const row of rows) held.add(row.sha256);
		}
		return wanted.filter((h) => !held.has(h));
	}

	async get(
		sha256: string
	): Promise<
		{ sha256: string; size: number; mime: string; uploadedBy: number | null } | undefined
	> {
		const row = await this.db
			.selectFrom('photos')
			.select(['sha256', 'size', 'mime', 'uploaded_by'])
			.where('sha256', '=', sha256)
			.executeTakeFirst();
		return (
			row && { sha256: row.sha256, size: row.size, mime: row.mime, uploadedBy: row.uploaded_by }
		);
	}

	/** Records a stored photo; false when it was already there. */
	async add(sha256: string, size: number, mime: string, uploadedBy: number): Promise<boolean> {
		const result = await this.db
			.insertInto('photos')
			.values({
				sha256,
				size,
				mime,
				uploaded_by: uploadedBy,
				uploaded_at: new Date().toISOString()
			})
			.onConflict((oc) => oc.column('sha256').doNothing())
			.executeTakeFirst();
		return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
	}

	async count(): Promise<number> {
		const row = await this.db
			.selectFrom('photos')
			.select((eb) => eb.fn.countAll<number>().as('n'))
			.executeTakeFirstOrThrow();
		return row.n;
	}

	/** Every stored photo with its size, by hash (backups). */
	async list(): Promise<{ sha256: string; size: number }[]> {
		return this.db.selectFrom('photos').select(['sha256', 'size']).orderBy('sha256').execute();
	}

	/** When a photo was stored, if it is. */
	async uploadedAt(sha256: string): Promise<string | undefined> {
		const row = await this.db
			.selectFrom('photos')
			.select('uploaded_at')
			.where('sha256', '=', sha256)
			.executeTakeFirst();
		return row?.uploaded_at;
	}

	/** Forgets a stored photo no record names; false when one does (or it was not stored). */
	async forgetOrphan(sha256: string): Promise<boolean> {
		const result = await this.db
			.deleteFrom('photos')
			.where('sha256', '=', sha256)
			.where(({ not, exists, selectFrom }) =>
				not(
					exists(
						selectFrom('record_photos')
							.select('record_photos.sha256')
							.where('record_photos.sha256', '=', sha256)
					)
				)
			)
			.executeTakeFirst();
		return Number(result.numDeletedRows) > 0;
	}
}
