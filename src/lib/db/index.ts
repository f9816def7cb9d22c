import Dexie from 'dexie';
import type { Issue } from '$lib/domain/schemas/common.js';
import type { z } from 'zod';
import { SurveyDatabase } from './database.js';
import { indexRows } from './database.js';
import type { SiteSummary } from '$lib/domain/registry/search.js';
import { isTeammateCopy, mayDelete, type DeleteVerdict } from '$lib/records/rules.js';
import type {
	SettingKey,
	SettingValue,
	StoredPhoto,
	StoredPhotoBlob,
	StoredRecord,
	StoredSite
} from './schema.js';

export { SurveyDatabase } from './database.js';
export type * from './schema.js';

/**
 * The schemas load with the first write, not with the app: reads (the work list at start-up)
 * need no validation, and Zod is a large part of the start-up JavaScript otherwise.
 */
const schemas = () => import('./schema.js');

/** A write refused because the row does not match its schema; nothing was written. */
export class ValidationError extends Error {
	constructor(
		what: string,
		readonly issues: Issue[]
	) {
		super(
			`${what} 数据不合格，未保存：${issues.map((i) => `${i.path || '(根)'} ${i.message}`).join('；')}`
		);
		this.name = 'ValidationError';
	}
}

async function validated<T extends z.ZodType>(
	what: string,
	schema: T,
	value: unknown
): Promise<z.infer<T>> {
	const { parseWith } = await import('$lib/domain/schemas/common.js');
	const result = parseWith(schema, value);
	if (!result.ok) throw new ValidationError(what, result.issues);
	return result.value;
}

type ConnectionListener = (event: 'closed' | 'reopened' | 'failed', error?: unknown) => void;

/**
 * The device store: the one Dexie database behind a small repository in which every write is
 * validated by the shared schemas. It reopens the connection when the browser closes it (storage
 * cleared, the OS reclaiming memory in the background) and retries the interrupted call once.
 */
export class DeviceStore {
	readonly db: SurveyDatabase;
	#listeners = new Set<ConnectionListener>();
	#closedByUs = false;

	constructor(name?: string) {
		this.db = new SurveyDatabase(name);
		// Dexie fires 'close' for our own close() too (4.1+); only a close from outside reopens.
		this.db.on('close', () => {
			if (this.#closedByUs) return;
			this.#emit('closed');
			void this.#reopen().catch(() => undefined);
		});
	}

	onConnection(listener: ConnectionListener): () => void {
		this.#listeners.add(listener);
		return () => this.#listeners.delete(listener);
	}

	#emit(event: 'closed' | 'reopened' | 'failed', error?: unknown) {
		for (const l of this.#listeners) l(event, error);
	}

	async #reopen(): Promise<void> {
		if (this.db.isOpen()) return;
		try {
			await this.db.open();
			this.#emit('reopened');
		} catch (error) {
			this.#emit('failed', error);
			throw error;
		}
	}

	/** Runs `fn`, reopening and retrying once when the connection had been closed under it. */
	async #run<T>(fn: () => Promise<T>): Promise<T> {
		try {
			return await fn();
		} catch (error) {
			if (
				error instanceof Dexie.DatabaseClosedError ||
				(error as Error)?.name === 'InvalidStateError'
			) {
				await this.#reopen();
				return fn();
			}
			throw error;
		}
	}

	open(): Promise<void> {
		this.#closedByUs = false;
		return this.#run(async () => {
			await this.db.open();
		});
	}

	close(): void {
		this.#closedByUs = true;
		this.db.close();
	}

	// --- settings -------------------------------------------------------------------------

	getSetting<K extends SettingKey>(key: K): Promise<SettingValue<K> | undefined> {
		return this.#run(async () => {
			// Every stored value passed its schema when written (setSetting), so reading trusts it.
			const row = await this.db.settings.get(key);
			return row?.value as SettingValue<K> | undefined;
		});
	}

	async setSetting<K extends SettingKey>(key: K, value: SettingValue<K>): Promise<void> {
		const { SETTINGS } = await schemas();
		const checked = await validated(`设置 ${key}`, SETTINGS[key], value);
		return this.#run(async () => {
			await this.db.settings.put({ key, value: checked });
		});
	}

	deleteSetting(key: SettingKey): Promise<void> {
		return this.#run(() => this.db.settings.delete(key));
	}

	// --- registry -------------------------------------------------------------------------

	/**
	 * Replaces the registry on the device with `sites`, in one transaction: either every site is
	 * stored or none is. Each site is validated first.
	 */
	async replaceRegistry(
		sites: unknown[],
		source: Omit<SettingValue<'registrySource'>, 'count'>,
		onProgress?: (done: number, total: number) => void
	): Promise<number> {
		const { SETTINGS, StoredSiteSchema } = await schemas();
		const { parseWith } = await import('$lib/domain/schemas/common.js');
		const checked: StoredSite[] = [];
		for (const [i, site] of sites.entries()) {
			const result = parseWith(StoredSiteSchema, site);
			if (!result.ok) throw new ValidationError(`名录第 ${i + 1} 条`, result.issues);
			checked.push(result.value);
			if (onProgress && i % 2000 === 0) onProgress(i, sites.length * 2);
		}
		const codes = new Set(checked.map((s) => s.code));
		if (codes.size !== checked.length) {
			throw new ValidationError('名录', [{ path: 'code', message: '名录中有重复的登记编号' }]);
		}
		const registrySource = await validated('设置 registrySource', SETTINGS.registrySource, {
			...source,
			count: checked.length
		});
		await this.#run(() =>
			this.db.transaction('rw', [this.db.sites, this.db.siteIndex, this.db.settings], async () => {
				await this.db.sites.clear();
				await this.db.siteIndex.clear();
				await this.db.siteIndex.bulkPut(indexRows(checked));
				const chunk = 2000;
				for (let i = 0; i < checked.length; i += chunk) {
					await this.db.sites.bulkPut(checked.slice(i, i + chunk));
					onProgress?.(checked.length + i + chunk, checked.length * 2);
				}
				await this.db.settings.put({ key: 'registrySource', value: registrySource });
			})
		);
		return checked.length;
	}

	/**
	 * Adds or replaces single sites (registry changes from the server), keeping the per-county
	 * index in step, in one transaction. Each site is validated first; nothing changes if one
	 * is invalid.
	 */
	async putSites(sites: unknown[]): Promise<number> {
		if (sites.length === 0) return 0;
		const { StoredSiteSchema } = await schemas();
		const { parseWith } = await import('$lib/domain/schemas/common.js');
		const checked: StoredSite[] = [];
		for (const [i, site] of sites.entries()) {
			const result = parseWith(StoredSiteSchema, site);
			if (!result.ok) throw new ValidationError(`名录变更第 ${i + 1} 条`, result.issues);
			checked.push(result.value);
		}
		const counties = [...new Set(checked.map((s) => s.countyCode))];
		await this.#run(() =>
			this.db.transaction('rw', [this.db.sites, this.db.siteIndex, this.db.settings], async () => {
				await this.db.sites.bulkPut(checked);
				const inCounties = await this.db.sites.where('countyCode').anyOf(counties).toArray();
				await this.db.siteIndex.bulkPut(indexRows(inCounties));
				const source = (await this.db.settings.get('registrySource'))?.value as
					SettingValue<'registrySource'> | undefined;
				if (source) {
					await this.db.settings.put({
						key: 'registrySource',
						value: { ...source, count: await this.db.sites.count() }
					});
				}
			})
		);
		return checked.length;
	}

	/** The list fields of the sites of a county ('all': every county), in code order. */
	summariesOf(county: string): Promise<SiteSummary[]> {
		return this.#run(async () => {
			const rows =
				county === 'all'
					? await this.db.siteIndex.orderBy('countyCode').toArray()
					: await this.db.siteIndex.where('countyCode').equals(county).toArray();
			return rows.flatMap((r) => r.sites);
		});
	}

	sitesOf(county: string): Promise<StoredSite[]> {
		return this.#run(() =>
			county === 'all'
				? this.db.sites.toArray()
				: this.db.sites.where('countyCode').equals(county).toArray()
		);
	}

	countSites(): Promise<number> {
		return this.#run(() => this.db.sites.count());
	}

	/** Site counts per county code. */
	countSitesByCounty(): Promise<Record<string, number>> {
		return this.#run(async () => {
			const counts: Record<string, number> = {};
			await this.db.sites.orderBy('countyCode').eachKey((key) => {
				const k = String(key);
				counts[k] = (counts[k] ?? 0) + 1;
			});
			return counts;
		});
	}

	getSite(code: string): Promise<StoredSite | undefined> {
		return this.#run(() => this.db.sites.get(code));
	}

	// --- records --------------------------------------------------------------------------

	async putRecord(row: StoredRecord): Promise<void> {
		const { StoredRecordSchema } = await schemas();
		const checked = await validated('调查记录', StoredRecordSchema, row);
		return this.#run(async () => {
			await this.db.records.put(checked);
		});
	}

	/**
	 * Reads a record, lets `change` make the new row from the stored one, validates it and
	 * writes it, in one transaction: a change made meanwhile by another writer (the sync engine,
	 * an open form) is never overwritten with an older copy. `change` returning `undefined`
	 * writes nothing. Resolves to the row as stored afterwards.
	 */
	async updateRecord(
		id: string,
		change: (row: StoredRecord) => StoredRecord | undefined
	): Promise<StoredRecord | undefined> {
		const { StoredRecordSchema } = await schemas();
		const { parseWith } = await import('$lib/domain/schemas/common.js');
		return this.#run(() =>
			this.db.transaction('rw', this.db.records, async () => {
				const row = await this.db.records.get(id);
				if (!row) return undefined;
				const next = change(structuredClone(row));
				if (!next) return row;
				const result = parseWith(StoredRecordSchema, next);
				if (!result.ok) throw new ValidationError('调查记录', result.issues);
				await this.db.records.put(result.value);
				return result.value;
			})
		);
	}

	/**
	 * Stores a record the device did not hold (one fetched from the server) with its photos, in
	 * one transaction, unless a row with its id appeared meanwhile: that row is left as it is.
	 */
	async addRecord(
		row: StoredRecord,
		photos: { meta: Omit<StoredPhoto, 'key'>; blob: Blob }[]
	): Promise<'added' | 'present'> {
		const { StoredRecordSchema, StoredPhotoSchema, StoredPhotoBlobSchema } = await schemas();
		const checked = await validated('调查记录', StoredRecordSchema, row);
		const metas: StoredPhoto[] = [];
		const blobs: StoredPhotoBlob[] = [];
		for (const { meta, blob } of photos) {
			const key = `${meta.recordId}:${meta.sha256}`;
			metas.push(await validated('照片信息', StoredPhotoSchema, { ...meta, key }));
			blobs.push(await validated('照片', StoredPhotoBlobSchema, { sha256: meta.sha256, blob }));
		}
		return this.#run(() =>
			this.db.transaction('rw', [this.db.records, this.db.photos, this.db.photoBlobs], async () => {
				if (await this.db.records.get(checked.id)) return 'present';
				for (const blob of blobs) {
					if (!(await this.db.photoBlobs.get(blob.sha256))) await this.db.photoBlobs.put(blob);
				}
				await this.db.photos.bulkPut(metas);
				await this.db.records.put(checked);
				return 'added';
			})
		);
	}

	/**
	 * Adds `row` as a new record of its site unless `existing` (given the site's records as
	 * stored) names one to use instead, in one transaction. Resolves to the id to open.
	 */
	async addToSite(
		row: StoredRecord,
		existing: (rows: StoredRecord[]) => string | null
	): Promise<string> {
		const { StoredRecordSchema } = await schemas();
		const checked = await validated('调查记录', StoredRecordSchema, row);
		return this.#run(() =>
			this.db.transaction('rw', this.db.records, async () => {
				const rows = await this.db.records.where('siteCode').equals(checked.siteCode).toArray();
				const id = existing(rows);
				if (id !== null) return id;
				await this.db.records.add(checked);
				return checked.id;
			})
		);
	}

	/**
	 * Deletes a draft that never left the device (`mayDelete`), with its photos' metadata and
	 * the bytes no other record names, in one transaction: the rule is asked again there, so a
	 * sync that acknowledged the record meanwhile wins and nothing is deleted.
	 */
	deleteDraft(
		id: string
	): Promise<
		| { ok: true; photos: number }
		| Exclude<DeleteVerdict, { ok: true }>
		| { ok: false; reason: 'missing' }
	> {
		return this.#run(() =>
			this.db.transaction('rw', [this.db.records, this.db.photos, this.db.photoBlobs], async () => {
				const row = await this.db.records.get(id);
				if (!row) return { ok: false, reason: 'missing' } as const;
				const verdict = mayDelete(row);
				if (!verdict.ok) return verdict;
				const photos = await this.db.photos.where('recordId').equals(id).toArray();
				await this.db.photos.bulkDelete(photos.map((p) => p.key));
				for (const sha256 of new Set(photos.map((p) => p.sha256))) {
					if ((await this.db.photos.where('sha256').equals(sha256).count()) === 0) {
						await this.db.photoBlobs.delete(sha256);
					}
				}
				await this.db.records.delete(id);
				return { ok: true, photos: photos.length } as const;
			})
		);
	}

	/**
	 * Stores a teammate's record fetched from the server (issue 13) with the photos fetched
	 * with it, in one transaction: added when the device does not hold it; put in place of the
	 * held row only when that row is a copy as sent (`isTeammateCopy`) of an older revision.
	 * A row holding this surveyor's unsent edits, or of the surveyor's own, is left as it is.
	 */
	async storeTeammateCopy(
		row: StoredRecord,
		photos: { meta: Omit<StoredPhoto, 'key'>; blob: Blob }[]
	): Promise<'added' | 'replaced' | 'kept'> {
		const { StoredRecordSchema, StoredPhotoSchema, StoredPhotoBlobSchema } = await schemas();
		const checked = await validated('调查记录', StoredRecordSchema, row);
		const metas: StoredPhoto[] = [];
		const blobs: StoredPhotoBlob[] = [];
		for (const { meta, blob } of photos) {
			metas.push(
				await validated('照片信息', StoredPhotoSchema, {
					...meta,
					key: `${meta.recordId}:${meta.sha256}`
				})
			);
			blobs.push(await validated('照片', StoredPhotoBlobSchema, { sha256: meta.sha256, blob }));
		}
		return this.#run(() =>
			this.db.transaction('rw', [this.db.records, this.db.photos, this.db.photoBlobs], async () => {
				const held = await this.db.records.get(checked.id);
				if (
					held &&
					!(isTeammateCopy(held) && (held.serverRevision ?? 0) < (checked.serverRevision ?? 0))
				)
					return 'kept';
				for (const blob of blobs) {
					if (!(await this.db.photoBlobs.get(blob.sha256))) await this.db.photoBlobs.put(blob);
				}
				await this.db.photos.bulkPut(metas);
				if (held) {
					// the photos the new revision no longer names go, their bytes with them when unshared
					const named = new Set(checked.record.photos.map((p) => p.sha256));
					const gone = (await this.db.photos.where('recordId').equals(checked.id).toArray()).filter(
						(p) => !named.has(p.sha256)
					);
					await this.#dropPhotos(gone);
				}
				await this.db.records.put(held ? { ...checked, createdAt: held.createdAt } : checked);
				return held ? 'replaced' : 'added';
			})
		);
	}

	/**
	 * Removes a teammate's record the device holds as sent (`isTeammateCopy`), with its photos'
	 * metadata and the bytes no other record names, in one transaction: its author left the
	 * team (issue 13). A row with unsent edits stays. Resolves to whether it was removed.
	 */
	dropTeammateCopy(id: string): Promise<boolean> {
		return this.#run(() =>
			this.db.transaction('rw', [this.db.records, this.db.photos, this.db.photoBlobs], async () => {
				const row = await this.db.records.get(id);
				if (!row || !isTeammateCopy(row)) return false;
				await this.#dropPhotos(await this.db.photos.where('recordId').equals(id).toArray());
				await this.db.records.delete(id);
				return true;
			})
		);
	}

	/** Inside a transaction on photos and photoBlobs: removes metadata, and bytes left unnamed. */
	async #dropPhotos(photos: StoredPhoto[]): Promise<void> {
		await this.db.photos.bulkDelete(photos.map((p) => p.key));
		for (const sha256 of new Set(photos.map((p) => p.sha256))) {
			if ((await this.db.photos.where('sha256').equals(sha256).count()) === 0)
				await this.db.photoBlobs.delete(sha256);
		}
	}

	/** The records waiting in the outbox, oldest change first. */
	queuedRecords(): Promise<StoredRecord[]> {
		return this.#run(() => this.db.records.where('outbox').equals('queued').sortBy('updatedAt'));
	}

	/** The records in the outbox (queued or held by a conflict): what the sync counts read. */
	outboxRecords(): Promise<StoredRecord[]> {
		return this.#run(() => this.db.records.where('outbox').anyOf('queued', 'conflict').toArray());
	}

	getRecord(id: string): Promise<StoredRecord | undefined> {
		return this.#run(() => this.db.records.get(id));
	}

	recordsOf(county: string): Promise<StoredRecord[]> {
		return this.#run(() =>
			county === 'all'
				? this.db.records.toArray()
				: this.db.records.where('countyCode').equals(county).toArray()
		);
	}

	recordsOfSite(siteCode: string): Promise<StoredRecord[]> {
		return this.#run(() => this.db.records.where('siteCode').equals(siteCode).toArray());
	}

	// --- photos ---------------------------------------------------------------------------

	/** Stores a photo's bytes (once per hash) and its metadata for one record, atomically. */
	async putPhoto(meta: Omit<StoredPhoto, 'key'>, blob: Blob): Promise<void> {
		const { StoredPhotoSchema, StoredPhotoBlobSchema } = await schemas();
		const row = await validated('照片信息', StoredPhotoSchema, {
			...meta,
			key: `${meta.recordId}:${meta.sha256}`
		});
		const bytes = await validated('照片', StoredPhotoBlobSchema, { sha256: meta.sha256, blob });
		return this.#run(() =>
			this.db.transaction('rw', this.db.photos, this.db.photoBlobs, async () => {
				await this.db.photoBlobs.put(bytes);
				await this.db.photos.put(row);
			})
		);
	}

	/** Removes a photo from a record; its bytes go too unless another record names them. */
	deletePhoto(recordId: string, sha256: string): Promise<void> {
		return this.#run(() =>
			this.db.transaction('rw', this.db.photos, this.db.photoBlobs, async () => {
				await this.db.photos.delete(`${recordId}:${sha256}`);
				if ((await this.db.photos.where('sha256').equals(sha256).count()) === 0) {
					await this.db.photoBlobs.delete(sha256);
				}
			})
		);
	}

	photosOf(recordId: string): Promise<StoredPhoto[]> {
		return this.#run(() => this.db.photos.where('recordId').equals(recordId).sortBy('number'));
	}

	photoBlob(sha256: string): Promise<Blob | undefined> {
		return this.#run(async () => (await this.db.photoBlobs.get(sha256))?.blob);
	}
}
