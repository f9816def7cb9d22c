import type { Db } from './connection.js';
import type { RegisteredSite } from '../../domain/schemas/site.js';
import type { ChangeFeed } from './changes.js';

/**
 * Sites of a county as last read, with the county's (count, newest seq) they were read at. One
 * per process, shared by every DataStore of it.
 */
export type RegistryCache = Map<string, { count: number; top: number; sites: RegisteredSite[] }>;

/** The registry of registered sites; every insert or change is a `site` change in the feed. */
export class RegistryRepository {
	constructor(
		private readonly db: Db,
		private readonly feed: ChangeFeed,
		private readonly cache: RegistryCache
	) {}

	async count(): Promise<number> {
		const row = await this.db
			.selectFrom('sites')
			.select((eb) => eb.fn.countAll<number>().as('n'))
			.executeTakeFirstOrThrow();
		return row.n;
	}

	/**
	 * The registry's state as a mark that any change alters: how many sites, and the newest
	 * site's seq (every change gives a site a new, higher seq). A registry import's dry run
	 * records it; its confirmation is refused when it differs.
	 */
	async mark(): Promise<string> {
		const row = await this.db
			.selectFrom('sites')
			.select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.max('seq').as('top')])
			.executeTakeFirstOrThrow();
		return `${Number(row.n)}:${Number(row.top ?? 0)}`;
	}

	/** The sites of these codes (a registry import compares its rows with them). */
	async byCodes(codes: readonly string[]): Promise<Map<string, RegisteredSite>> {
		const found = new Map<string, RegisteredSite>();
		for (let i = 0; i < codes.length; i += 500) {
			const rows = await this.db
				.selectFrom('sites')
				.select(['code', 'data'])
				.where('code', 'in', codes.slice(i, i + 500))
				.execute();
			for (const row of rows) found.set(row.code, JSON.parse(row.data) as RegisteredSite);
		}
		return found;
	}

	async get(code: string): Promise<RegisteredSite | undefined> {
		const row = await this.db
			.selectFrom('sites')
			.select('data')
			.where('code', '=', code)
			.executeTakeFirst();
		return row && (JSON.parse(row.data) as RegisteredSite);
	}

	/**
	 * Sites of a county, cached (QC reads them on every push). Another server process may change
	 * the registry, so each call asks the index for the county's count and newest seq: every
	 * change gives a site a new, higher seq, and a site leaving the county lowers its count.
	 */
	async ofCounty(county: string): Promise<readonly RegisteredSite[]> {
		const mark = await this.db
			.selectFrom('sites')
			.select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.max('seq').as('top')])
			.where('county_code', '=', county)
			.executeTakeFirstOrThrow();
		const top = mark.top ?? 0;
		const cached = this.cache.get(county);
		if (cached && cached.count === mark.n && cached.top === top) return cached.sites;
		const sites = (
			await this.db
				.selectFrom('sites')
				.select('data')
				.where('county_code', '=', county)
				.orderBy('code')
				.execute()
		).map((row) => JSON.parse(row.data) as RegisteredSite);
		this.cache.set(county, { count: mark.n, top, sites });
		return sites;
	}

	/**
	 * Sites of `counties`, county by county as `ofCounty` gives them, through the same cache,
	 * with one question to the index for every county's count and newest seq (the record page
	 * looks at the whole registry: one round trip instead of one per county).
	 */
	async ofCounties(counties: readonly string[]): Promise<RegisteredSite[]> {
		if (counties.length === 0) return [];
		const marks = await this.db
			.selectFrom('sites')
			.select((eb) => [
				'county_code',
				eb.fn.countAll<number | string>().as('n'),
				eb.fn.max('seq').as('top')
			])
			.where('county_code', 'in', [...counties])
			.groupBy('county_code')
			.execute();
		const byCounty = new Map(marks.map((m) => [m.county_code, m]));
		const sites: RegisteredSite[] = [];
		for (const county of counties) {
			const mark = byCounty.get(county);
			const count = Number(mark?.n ?? 0);
			const top = Number(mark?.top ?? 0);
			const cached = this.cache.get(county);
			if (cached && cached.count === count && cached.top === top) {
				sites.push(...cached.sites);
				continue;
			}
			sites.push(...(await this.ofCounty(county)));
		}
		return sites;
	}

	/**
	 * Sites of the counties changed after `since` (0: all), in change order, and the new cursor.
	 * Read inside DataStore.read, so the sites and the cursor come from one moment.
	 */
	async changedSince(
		counties: readonly string[],
		since: number
	): Promise<{ sites: RegisteredSite[]; cursor: number }> {
		if (counties.length === 0) return { sites: [], cursor: since };
		const rows = await this.db
			.selectFrom('sites')
			.select('data')
			.where('county_code', 'in', counties)
			.where('seq', '>', since)
			.orderBy('seq')
			.execute();
		const top = await this.db
			.selectFrom('sites')
			.select((eb) => eb.fn.max('seq').as('s'))
			.executeTakeFirst();
		return {
			sites: rows.map((row) => JSON.parse(row.data) as RegisteredSite),
			cursor: Math.max(since, top?.s ?? 0)
		};
	}

	/**
	 * Inserts or replaces sites (already validated). Returns how many changed. Call inside
	 * DataStore.write: each change goes into the feed.
	 */
	async upsert(sites: readonly RegisteredSite[]): Promise<number> {
		const at = new Date().toISOString();
		let changed = 0;
		for (const site of sites) {
			const data = JSON.stringify(site);
			const old = await this.db
				.selectFrom('sites')
				.select('data')
				.where('code', '=', site.code)
				.executeTakeFirst();
			if (old?.data === data) continue;
			const seq = await this.feed.append({
				type: 'site',
				countyCode: site.countyCode,
				payload: { type: 'site', site, at },
				at
			});
			await this.db
				.insertInto('sites')
				.values({ code: site.code, county_code: site.countyCode, data, seq, updated_at: at })
				.onConflict((oc) =>
					oc.column('code').doUpdateSet((eb) => ({
						county_code: eb.ref('excluded.county_code'),
						data: eb.ref('excluded.data'),
						seq: eb.ref('excluded.seq'),
						updated_at: eb.ref('excluded.updated_at')
					}))
				)
				.execute();
			changed++;
		}
		return changed;
	}
}
