import Dexie, { type EntityTable } from 'dexie';
import type { StoredPhoto, StoredPhotoBlob, StoredRecord, StoredSite } from './schema';
import { summarizeSite, type SiteSummary } from '$lib/domain/registry/search.js';

export const DB_NAME = 'ordos-survey';

type SettingRow = { key: string; value: unknown };

/**
 * The device database. Versions only ever go up; each new version MUST keep every older row
 * readable (add an `.upgrade()` when a row's shape changes).
 */
export class SurveyDatabase extends Dexie {
	sites!: EntityTable<StoredSite, 'code'>;
	/** The list fields of every site, kept beside `sites` so the work list loads fast. */
	siteSummaries!: EntityTable<SiteSummary, 'code'>;
	records!: EntityTable<StoredRecord, 'id'>;
	photos!: EntityTable<StoredPhoto, 'key'>;
	photoBlobs!: EntityTable<StoredPhotoBlob, 'sha256'>;
	settings!: EntityTable<SettingRow, 'key'>;

	constructor(name = DB_NAME) {
		// 'strict' durability: a write is on disk when its transaction completes (Chromium's
		// default 'relaxed' may lose the last writes on power loss).
		super(name, { chromeTransactionDurability: 'strict' });
		this.version(1).stores({
			sites: 'code, countyCode',
			records: 'id, countyCode, siteCode, localState, updatedAt',
			photos: 'key, recordId, sha256',
			photoBlobs: 'sha256',
			settings: 'key'
		});
		// v2: site summaries for the work list, derived from the sites already on the device.
		this.version(2)
			.stores({ siteSummaries: 'code, countyCode' })
			.upgrade(async (tx) => {
				const sites = await tx.table<StoredSite, string>('sites').toArray();
				await tx.table<SiteSummary, string>('siteSummaries').bulkPut(sites.map(summarizeSite));
			});
	}
}
