import type { Db } from './connection.js';
import type { RegisteredSite } from '../../domain/schemas/site.js';
import { appendChange } from './changes.js';

/** The registry of registered sites; every insert or change is a `site` change in the feed. */
export class RegistryRepository {
	#byCounty = new Map<string, RegisteredSite[]>();

	constructor(private readonly db: Db) {}

	count(): number {
		return (this.db.prepare('SELECT count(*) AS n FROM sites').get() as { n: number }).n;
	}

	get(code: string): RegisteredSite | undefined {
		const row = this.db.prepare('SELECT data FROM sites WHERE code = ?').get(code) as
			{ data: string } | undefined;
		return row && (JSON.parse(row.data) as RegisteredSite);
	}

	/** Sites of a county, cached (QC reads them on every push). */
	ofCounty(county: string): readonly RegisteredSite[] {
		let sites = this.#byCounty.get(county);
		if (!sites) {
			sites = (
				this.db
					.prepare('SELECT data FROM sites WHERE county_code = ? ORDER BY code')
					.all(county) as {
					data: string;
				}[]
			).map((row) => JSON.parse(row.data) as RegisteredSite);
			this.#byCounty.set(county, sites);
		}
		return sites;
	}

	/** Sites of the counties changed after `since` (0: all), in change order, and the new cursor. */
	changedSince(
		counties: readonly string[],
		since: number
	): { sites: RegisteredSite[]; cursor: number } {
		if (counties.length === 0) return { sites: [], cursor: since };
		const marks = counties.map(() => '?').join(',');
		const rows = this.db
			.prepare(
				`SELECT data, seq FROM sites WHERE county_code IN (${marks}) AND seq > ? ORDER BY seq`
			)
			.all(...counties, since) as { data: string; seq: number }[];
		const top = (this.db.prepare('SELECT max(seq) AS s FROM sites').get() as { s: number | null })
			.s;
		return {
			sites: rows.map((row) => JSON.parse(row.data) as RegisteredSite),
			cursor: Math.max(since, top ?? 0)
		};
	}

	/** Inserts or replaces sites (already validated), in one transaction. Returns how many changed. */
	upsert(sites: readonly RegisteredSite[]): number {
		const at = new Date().toISOString();
		const read = this.db.prepare('SELECT data FROM sites WHERE code = ?');
		const write = this.db.prepare(
			`INSERT INTO sites (code, county_code, data, seq, updated_at) VALUES (?, ?, ?, ?, ?)
			 ON CONFLICT(code) DO UPDATE SET county_code = excluded.county_code, data = excluded.data,
			 seq = excluded.seq, updated_at = excluded.updated_at`
		);
		let changed = 0;
		this.db.transaction(() => {
			for (const site of sites) {
				const data = JSON.stringify(site);
				const old = read.get(site.code) as { data: string } | undefined;
				if (old?.data === data) continue;
				const seq = appendChange(this.db, {
					type: 'site',
					countyCode: site.countyCode,
					payload: { type: 'site', site, at },
					at
				});
				write.run(site.code, site.countyCode, data, seq, at);
				changed++;
			}
		})();
		this.#byCounty.clear();
		return changed;
	}
}
