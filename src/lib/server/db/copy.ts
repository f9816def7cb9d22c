import { sql } from 'kysely';
import type { Db } from './connection.js';
import { TABLE_KEYS, type Database, type TableName } from './schema.js';
import type { DataStore } from './store.js';

/** The tables in an order that inserts parents before the rows that refer to them. */
export const TABLES: readonly TableName[] = [
	'users',
	'tokens',
	'login_failures',
	'devices',
	'sites',
	'records',
	'revisions',
	'record_photos',
	'photos',
	'changes',
	'meta',
	'audit_log',
	'record_qc',
	'review_visits',
	'review_samples',
	'review_sample_items',
	'teams',
	'team_members',
	'team_sites',
	'registry_versions',
	'registry_version_sites',
	'registry_imports'
];

const PAGE = 500;

/** One page of a table's rows in key order (read inside one snapshot when paging). */
function page(db: Db, table: TableName, offset: number, limit: number) {
	let query = db.selectFrom(table).selectAll();
	for (const key of TABLE_KEYS[table] as string[]) query = query.orderBy(sql.ref(key));
	return query.limit(limit).offset(offset).execute() as Promise<Record<string, unknown>[]>;
}

/** Every row of a table in key order: the same values on SQLite and PostgreSQL (tests compare). */
export async function tableRows(
	store: DataStore,
	table: TableName
): Promise<Record<string, unknown>[]> {
	return store.read(async (tx) => {
		const rows: Record<string, unknown>[] = [];
		for (let offset = 0; ; offset += PAGE) {
			const part = await page(tx.db, table, offset, PAGE);
			rows.push(...part);
			if (part.length < PAGE) return rows;
		}
	});
}

/** Whether the database holds no account, site or record (a restore writes only into such). */
export async function isEmpty(store: DataStore): Promise<boolean> {
	for (const table of ['users', 'sites', 'records'] as const) {
		const row = await store.db
			.selectFrom(table)
			.select(sql<number>`1`.as('x'))
			.limit(1)
			.executeTakeFirst();
		if (row) return false;
	}
	return true;
}

/**
 * Copies every row of `from` into `to`, an empty database of the same schema, from one snapshot
 * of `from` and in one transaction of `to`: a PostgreSQL database into a backup's SQLite file,
 * or a backup's SQLite file into an empty PostgreSQL database. Keys keep their values; on
 * PostgreSQL the identity sequences then continue after the highest.
 */
export async function copyDatabase(
	from: DataStore,
	to: DataStore
): Promise<Record<TableName, number>> {
	if (!(await isEmpty(to))) throw new Error('目标数据库不是空的：只能复制到空的数据库');
	return from.read((source) =>
		to.write(async (target) => {
			const counts = {} as Record<TableName, number>;
			for (const table of TABLES) {
				counts[table] = 0;
				for (let offset = 0; ; offset += PAGE) {
					const part = await page(source.db, table, offset, PAGE);
					if (part.length > 0) {
						await target.db
							.insertInto(table)
							.values(part as never as Database[typeof table][])
							.execute();
					}
					counts[table] += part.length;
					if (part.length < PAGE) break;
				}
			}
			if (to.dialect === 'postgres') {
				for (const [table, column] of [
					['users', 'id'],
					['tokens', 'id'],
					['changes', 'seq'],
					['review_samples', 'id'],
					['teams', 'id']
				] as const) {
					await sql`SELECT setval(pg_get_serial_sequence(${table}, ${column}), (SELECT coalesce(max(${sql.ref(column)}), 0) + 1 FROM ${sql.table(table)}), false)`.execute(
						target.db
					);
				}
			}
			return counts;
		})
	);
}
