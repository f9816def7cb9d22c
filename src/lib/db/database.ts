import Dexie, { type EntityTable } from 'dexie';
import type { StoredPhoto, StoredPhotoBlob, StoredRecord, StoredSite } from './schema.js';
import { summarizeSite, type SiteSummary } from '$lib/domain/registry/search.js';

export const DB_NAME = 'ordos-survey';

type SettingRow = { key: string; value: unknown };
export type SiteIndexRow = { countyCode: string; sites: SiteSummary[] };

/** The site index rows of a registry: per county, the summaries in code order. */
export function indexRows(sites: readonly StoredSite[]): SiteIndexRow[] {
	const byCounty = new Map<string, SiteSummary[]>();
	for (const site of sites) {
		const list = byCounty.get(site.countyCode) ?? [];
		list.push(summarizeSite(site));
		byCounty.set(site.countyCode, list);
	}
	return [...byCounty].map(([countyCode, list]) => ({
		countyCode,
		sites: list.sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0))
	}));
}

/**
 * The device database. Versions only ever go up; each new version MUST keep every older row
 * readable (add an `.upgrade()` when a row's shape changes).
 */
export class SurveyDatabase extends Dexie {
	sites!: EntityTable<StoredSite, 'code'>;
	/**
	 * The list fields of every site, one row per county, kept beside `sites`: reading one row
	 * holding 20,000 small objects is many times faster than reading 20,000 rows.
	 */
	siteIndex!: EntityTable<SiteIndexRow, 'countyCode'>;
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
		// v2: the per-county site index for the work list, built from the sites on the device.
		this.version(2)
			.stores({ siteIndex: 'countyCode' })
			.upgrade(async (tx) => {
				const sites = await tx.table<StoredSite, string>('sites').toArray();
				await tx.table<SiteIndexRow, string>('siteIndex').bulkPut(indexRows(sites));
			});
		// v3: the outbox. A finalized record the server has not acknowledged is queued.
		this.version(3)
			.stores({ records: 'id, countyCode, siteCode, localState, updatedAt, outbox' })
			.upgrade(async (tx) => {
				await tx
					.table<StoredRecord, string>('records')
					.filter((r) => r.localState === 'finalized' && !r.serverStatus && !r.outbox)
					.modify({ outbox: 'queued' });
			});
	}
}
