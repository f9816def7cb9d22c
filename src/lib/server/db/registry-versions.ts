import { sql, type Selectable } from 'kysely';
import type { Db, DialectName } from './connection.js';
import type { RegistryVersionSitesTable, RegistryVersionsTable } from './schema.js';
import type { PublishedSiteData } from '../../domain/registry/publish.js';
import type { RegistryVersion } from '../../domain/sync/wire.js';

/** A site of a version as stored: its data (exact geometry) and where it came from. */
export type VersionSiteRow = {
	version: number;
	code: string;
	countyCode: string;
	data: PublishedSiteData;
	lost: boolean;
	lostReason: string | null;
	source: 'import' | 'record';
	recordId: string | null;
	recordRevision: number | null;
	publishedRevision: number | null;
	sinceVersion: number;
};

function toVersion(row: Selectable<RegistryVersionsTable>): RegistryVersion {
	return {
		version: row.version,
		publishedAt: row.published_at,
		publishedBy: row.published_by,
		note: row.note,
		sites: row.sites,
		records: row.records,
		added: row.added,
		changed: row.changed,
		lost: row.lost
	};
}

function toSite(row: Selectable<RegistryVersionSitesTable>): VersionSiteRow {
	return {
		version: row.version,
		code: row.code,
		countyCode: row.county_code,
		data: JSON.parse(row.data) as PublishedSiteData,
		lost: row.lost === 1,
		lostReason: row.lost_reason,
		source: row.source,
		recordId: row.record_id,
		recordRevision: row.record_revision,
		publishedRevision: row.published_revision,
		sinceVersion: row.since_version
	};
}

function toTable(site: VersionSiteRow): RegistryVersionSitesTable {
	return {
		version: site.version,
		code: site.code,
		county_code: site.countyCode,
		name: site.data.name ?? null,
		data: JSON.stringify(site.data),
		lost: site.lost ? 1 : 0,
		lost_reason: site.lostReason,
		source: site.source,
		record_id: site.recordId,
		record_revision: site.recordRevision,
		published_revision: site.publishedRevision,
		since_version: site.sinceVersion
	};
}

const BATCH = 500;

/**
 * Published registry versions (migration 0013; registry/publish.ts writes them, contract §5).
 * A version and its sites are written once, in the transaction that publishes it, and never
 * changed: this repository has no update or delete of them. Reading a version's sites goes in
 * code order, page by page (`page`, `stream`), so 100,000 sites never sit in memory at once.
 */
export class RegistryVersionRepository {
	constructor(
		private readonly db: Db,
		private readonly dialect: DialectName
	) {}

	/** The newest version's number, 0 before the first publish. */
	async latest(): Promise<number> {
		const row = await this.db
			.selectFrom('registry_versions')
			.select((eb) => eb.fn.max('version').as('v'))
			.executeTakeFirst();
		return row?.v ?? 0;
	}

	/** Every version, newest first. */
	async list(): Promise<RegistryVersion[]> {
		const rows = await this.db
			.selectFrom('registry_versions')
			.selectAll()
			.orderBy('version', 'desc')
			.execute();
		return rows.map(toVersion);
	}

	async get(version: number): Promise<RegistryVersion | undefined> {
		const row = await this.db
			.selectFrom('registry_versions')
			.selectAll()
			.where('version', '=', version)
			.executeTakeFirst();
		return row && toVersion(row);
	}

	/** One site of a version. */
	async site(version: number, code: string): Promise<VersionSiteRow | undefined> {
		const row = await this.db
			.selectFrom('registry_version_sites')
			.selectAll()
			.where('version', '=', version)
			.where('code', '=', code)
			.executeTakeFirst();
		return row && toSite(row);
	}

	/**
	 * Up to `limit` sites of a version in code order, after code `after`, of `counties` (all
	 * when not given): one page of a reader that goes through a whole version.
	 */
	async page(
		version: number,
		options: { counties?: readonly string[]; after?: string; limit: number }
	): Promise<VersionSiteRow[]> {
		const { counties, after, limit } = options;
		if (counties?.length === 0) return [];
		const rows = await this.db
			.selectFrom('registry_version_sites')
			.selectAll()
			.where('version', '=', version)
			.$if(counties !== undefined, (q) => q.where('county_code', 'in', [...counties!]))
			.$if(after !== undefined, (q) => q.where('code', '>', after!))
			.orderBy('code')
			.limit(limit)
			.execute();
		return rows.map(toSite);
	}

	/**
	 * Every site of a version in code order, a page at a time: what the public registry and the
	 * downloads read (they generalize protected sites' geometry themselves; `data` is exact).
	 * Run it inside DataStore.read so every page comes from one snapshot (a version never
	 * changes, so outside one it reads the same sites too).
	 */
	async *stream(
		version: number,
		options: { counties?: readonly string[]; pageSize?: number } = {}
	): AsyncGenerator<VersionSiteRow[]> {
		const limit = options.pageSize ?? 1000;
		let after: string | undefined;
		for (;;) {
			const rows = await this.page(version, {
				...(options.counties ? { counties: options.counties } : {}),
				...(after !== undefined ? { after } : {}),
				limit
			});
			if (rows.length > 0) yield rows;
			if (rows.length < limit) return;
			after = rows.at(-1)!.code;
		}
	}

	/** How many sites of a version are in `counties` (all when not given). */
	async count(version: number, counties?: readonly string[]): Promise<number> {
		if (counties?.length === 0) return 0;
		const row = await this.db
			.selectFrom('registry_version_sites')
			.select((eb) => eb.fn.countAll<number | string>().as('n'))
			.where('version', '=', version)
			.$if(counties !== undefined, (q) => q.where('county_code', 'in', [...counties!]))
			.executeTakeFirstOrThrow();
		return Number(row.n);
	}

	/**
	 * The sites two versions hold differently, or one holds and the other not, of `counties`,
	 * in code order, after code `after`: pairs of the entry in `a` and the one in `b` (either
	 * absent). Found by the database, a page at a time.
	 */
	async differing(
		a: number,
		b: number,
		options: { counties?: readonly string[]; after?: string; limit: number }
	): Promise<{ code: string; a?: VersionSiteRow; b?: VersionSiteRow }[]> {
		const { counties, after, limit } = options;
		if (counties?.length === 0) return [];
		const codes = await this.db
			.selectFrom('registry_version_sites as s')
			.select('s.code')
			.where('s.version', 'in', [a, b])
			.$if(counties !== undefined, (q) => q.where('s.county_code', 'in', [...counties!]))
			.$if(after !== undefined, (q) => q.where('s.code', '>', after!))
			.groupBy('s.code')
			.having((eb) =>
				eb.or([
					eb(eb.fn.countAll(), '<', 2),
					eb(eb.fn.count(sql`DISTINCT ${sql.ref('s.data')}`), '>', 1),
					eb(eb.fn.count(sql`DISTINCT ${sql.ref('s.lost')}`), '>', 1),
					eb(eb.fn.count(sql`DISTINCT coalesce(${sql.ref('s.lost_reason')}, '')`), '>', 1)
				])
			)
			.orderBy('s.code')
			.limit(limit)
			.execute();
		if (codes.length === 0) return [];
		const rows = await this.db
			.selectFrom('registry_version_sites')
			.selectAll()
			.where('version', 'in', [a, b])
			.where(
				'code',
				'in',
				codes.map((c) => c.code)
			)
			.execute();
		const pairs = new Map(
			codes.map((c) => [
				c.code,
				{ code: c.code } as { code: string; a?: VersionSiteRow; b?: VersionSiteRow }
			])
		);
		for (const row of rows) {
			const pair = pairs.get(row.code)!;
			if (row.version === a) pair.a = toSite(row);
			else pair.b = toSite(row);
		}
		return [...pairs.values()];
	}

	// ---- writing: only the publish, inside its DataStore.write ----------------------------------

	/** Records a new version; `finish` sets its counts when its sites are in. */
	async create(input: { version: number; at: string; by: string; note: string }): Promise<void> {
		await this.db
			.insertInto('registry_versions')
			.values({
				version: input.version,
				published_at: input.at,
				published_by: input.by,
				note: input.note,
				sites: 0,
				records: 0,
				added: 0,
				changed: 0,
				lost: 0
			})
			.execute();
	}

	/**
	 * The counts of a version being published (sites: from its rows), set once at the end of the
	 * transaction that made it.
	 */
	async finish(
		version: number,
		counts: { records: number; added: number; changed: number; lost: number }
	): Promise<number> {
		const sites = await this.count(version);
		await this.db
			.updateTable('registry_versions')
			.set({ sites, ...counts })
			.where('version', '=', version)
			.execute();
		return sites;
	}

	/**
	 * The starting sites of version `version` (before its records apply), in the database
	 * without passing through memory: every site of the version before it, the entries that came
	 * from a record as they were, the imported ones as the imported registry (`sites`) holds them
	 * now (a re-import corrects them; `since_version` moves only when the content changed); and
	 * every imported site the version before lacked.
	 */
	async carryForward(version: number): Promise<void> {
		const previous = version - 1;
		const columns = [
			'version',
			'code',
			'county_code',
			'name',
			'data',
			'lost',
			'lost_reason',
			'source',
			'record_id',
			'record_revision',
			'published_revision',
			'since_version'
		] as const;
		// entries a record made, and imported entries no longer in the imported registry
		await this.db
			.insertInto('registry_version_sites')
			.columns(columns)
			.expression((eb) =>
				eb
					.selectFrom('registry_version_sites as p')
					.select([
						sql.lit(version).as('version'),
						'p.code',
						'p.county_code',
						'p.name',
						'p.data',
						'p.lost',
						'p.lost_reason',
						'p.source',
						'p.record_id',
						'p.record_revision',
						'p.published_revision',
						'p.since_version'
					])
					.where('p.version', '=', previous)
					.where((w) =>
						w.or([
							w('p.source', '=', 'record'),
							w.not(
								w.exists(
									w
										.selectFrom('sites as s')
										.select(sql.lit(1).as('x'))
										.whereRef('s.code', '=', 'p.code')
								)
							)
						])
					)
			)
			.execute();
		// the imported registry's entries, except those a record made in the version before
		await this.db
			.insertInto('registry_version_sites')
			.columns(columns)
			.expression((eb) =>
				eb
					.selectFrom('sites as s')
					.leftJoin('registry_version_sites as p', (join) =>
						join.onRef('p.code', '=', 's.code').on('p.version', '=', previous)
					)
					.select([
						sql.lit(version).as('version'),
						's.code',
						's.county_code',
						(this.dialect === 'postgres'
							? sql<string | null>`${sql.ref('s.data')}::json->>'name'`
							: sql<string | null>`json_extract(${sql.ref('s.data')}, '$.name')`
						).as('name'),
						's.data',
						sql.lit(0).as('lost'),
						sql<null>`NULL`.as('lost_reason'),
						sql.lit('import').as('source'),
						sql<null>`NULL`.as('record_id'),
						sql<null>`NULL`.as('record_revision'),
						sql<null>`NULL`.as('published_revision'),
						sql<number>`CASE WHEN ${sql.ref('p.data')} = ${sql.ref('s.data')} THEN ${sql.ref('p.since_version')} ELSE ${sql.lit(version)} END`.as(
							'since_version'
						)
					])
					.where((w) => w.or([w('p.code', 'is', null), w('p.source', '=', 'import')]))
			)
			.execute();
	}

	/** Entries of a version by code (to apply records to). */
	async sitesByCode(
		version: number,
		codes: readonly string[]
	): Promise<Map<string, VersionSiteRow>> {
		const out = new Map<string, VersionSiteRow>();
		for (let i = 0; i < codes.length; i += BATCH) {
			const rows = await this.db
				.selectFrom('registry_version_sites')
				.selectAll()
				.where('version', '=', version)
				.where('code', 'in', codes.slice(i, i + BATCH))
				.execute();
			for (const row of rows) out.set(row.code, toSite(row));
		}
		return out;
	}

	/**
	 * Writes entries of the version being published, replacing any it holds of the same codes
	 * (its starting entry of a re-checked site). In batches.
	 */
	async putSites(version: number, sites: readonly VersionSiteRow[]): Promise<void> {
		for (let i = 0; i < sites.length; i += BATCH) {
			const part = sites.slice(i, i + BATCH);
			await this.db
				.deleteFrom('registry_version_sites')
				.where('version', '=', version)
				.where(
					'code',
					'in',
					part.map((s) => s.code)
				)
				.execute();
			await this.db.insertInto('registry_version_sites').values(part.map(toTable)).execute();
		}
	}

	/**
	 * The highest code of `county` in the imported registry or in version `version` (which holds
	 * every code of the versions before it: sites are never left out of a version).
	 */
	async highestCode(county: string, version: number): Promise<string | undefined> {
		const low = `${county}-0000`;
		const high = `${county}-9999`;
		const imported = await this.db
			.selectFrom('sites')
			.select((eb) => eb.fn.max('code').as('c'))
			.where('code', '>=', low)
			.where('code', '<=', high)
			.executeTakeFirst();
		const published = await this.db
			.selectFrom('registry_version_sites')
			.select((eb) => eb.fn.max('code').as('c'))
			.where('version', '=', version)
			.where('code', '>=', low)
			.where('code', '<=', high)
			.executeTakeFirst();
		const codes = [imported?.c, published?.c].filter((c): c is string => typeof c === 'string');
		return codes.sort().at(-1);
	}
}
