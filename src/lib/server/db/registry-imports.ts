import type { Selectable } from 'kysely';
import type { Db } from './connection.js';
import { importBodySha256, type AuditRepository } from './audit.js';
import type { RegistryImportsTable } from './schema.js';

/** The `meta` key of the remembered column mapping (one for the whole bureau). */
const MAPPING_KEY = 'registry_import.mapping';

export type RegistryImportRow = Selectable<RegistryImportsTable>;

/**
 * Confirmed registry imports (issue 13 point 1): each is stored with what it changed and appends
 * one entry to the audit chain in the same transaction (contract §6).
 */
export class RegistryImportRepository {
	constructor(
		private readonly db: Db,
		private readonly audit: AuditRepository
	) {}

	/** Stores a confirmed import and its audit entry. Call inside DataStore.write. */
	async record(row: RegistryImportRow): Promise<void> {
		await this.db.insertInto('registry_imports').values(row).execute();
		await this.audit.append({
			at: row.at,
			actor: row.by_user,
			action: row.kind === 'sites' ? 'import_sites' : 'import_counties',
			recordId: row.id,
			revision: 1,
			bodySha256: importBodySha256(row)
		});
	}

	/** The imports of a kind, newest first, without their changes. */
	async list(kind: RegistryImportRow['kind'], limit = 50) {
		return this.db
			.selectFrom('registry_imports')
			.select(['id', 'kind', 'at', 'by_user', 'file_name', 'file_sha256', 'counts'])
			.where('kind', '=', kind)
			.orderBy('at', 'desc')
			.orderBy('id', 'desc')
			.limit(limit)
			.execute();
	}

	async get(id: string): Promise<RegistryImportRow | undefined> {
		return this.db
			.selectFrom('registry_imports')
			.selectAll()
			.where('id', '=', id)
			.executeTakeFirst();
	}

	/** The newest import of county boundaries (the ones in force), if any. */
	async latestCounties(): Promise<RegistryImportRow | undefined> {
		return this.db
			.selectFrom('registry_imports')
			.selectAll()
			.where('kind', '=', 'counties')
			.orderBy('at', 'desc')
			.orderBy('id', 'desc')
			.limit(1)
			.executeTakeFirst();
	}

	/** The column mapping the last dry run used (field → header), remembered for next time. */
	async mapping(): Promise<Record<string, string> | undefined> {
		const row = await this.db
			.selectFrom('meta')
			.select('value')
			.where('key', '=', MAPPING_KEY)
			.executeTakeFirst();
		if (!row) return undefined;
		try {
			return JSON.parse(row.value) as Record<string, string>;
		} catch {
			return undefined;
		}
	}

	async rememberMapping(mapping: Record<string, string>): Promise<void> {
		const value = JSON.stringify(mapping);
		await this.db
			.insertInto('meta')
			.values({ key: MAPPING_KEY, value })
			.onConflict((oc) => oc.column('key').doUpdateSet({ value }))
			.execute();
	}
}
