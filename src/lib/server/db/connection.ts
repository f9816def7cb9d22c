import BetterSqlite3 from 'better-sqlite3';
import {
	Kysely,
	Migrator,
	PostgresDialect,
	SqliteDialect,
	sql,
	type MigrationProvider
} from 'kysely';
import pg from 'pg';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { LEGACY_SQLITE_MIGRATIONS, migrations, type DialectName } from './migrations.js';
import type { Database } from './schema.js';

export type { DialectName } from './migrations.js';

/** The query builder on either database; a `Transaction` is one too. */
export type Db = Kysely<Database>;

export const DATABASE_FILE = 'survey.sqlite';

/**
 * Where the data lives: PostgreSQL when `url` (postgres://…, the server's DATABASE_URL) is
 * given, otherwise the embedded SQLite file `DATA_DIR/survey.sqlite`.
 */
export type DatabaseConfig = { dataDir: string; url?: string | undefined; file?: string };

export type Connection = {
	db: Db;
	dialect: DialectName;
	/** The better-sqlite3 handle under `db` (SQLite only: backups use its online backup API). */
	sqlite?: BetterSqlite3.Database;
};

export function isPostgresUrl(url: string | undefined): url is string {
	return !!url && /^postgres(ql)?:\/\//.test(url);
}

/** Opens the database of `config` and brings its schema up to date. */
export async function connect(config: DatabaseConfig): Promise<Connection> {
	const connection = isPostgresUrl(config.url)
		? connectPostgres(config.url)
		: connectSqlite(config.dataDir, config.file);
	try {
		await migrate(connection);
	} catch (error) {
		await connection.db.destroy();
		throw error;
	}
	return connection;
}

// ---- SQLite ----------------------------------------------------------------------------------

function connectSqlite(dataDir: string, file = DATABASE_FILE): Connection {
	mkdirSync(dataDir, { recursive: true });
	const sqlite = new BetterSqlite3(join(dataDir, file));
	// first: another process (a second server, the command-line tool) may hold the file's lock
	// while this one switches it to WAL
	sqlite.pragma('busy_timeout = 5000');
	sqlite.pragma('journal_mode = WAL');
	// WAL + NORMAL is durable against process crashes (a SIGKILL loses nothing committed);
	// FULL also survives power loss, which is what a census server wants.
	sqlite.pragma('synchronous = FULL');
	sqlite.pragma('foreign_keys = ON');
	cacheStatements(sqlite);
	const db = new Kysely<Database>({
		dialect: new SqliteDialect({ database: sqlite })
	});
	return { db, dialect: 'sqlite', sqlite };
}

/** Prepared statements kept at most (dynamic `IN (…)` lists make a few variants of a query). */
const STATEMENT_CACHE_SIZE = 500;

/**
 * Makes `db.prepare` reuse the statement it prepared for the same SQL: compiling SQL was about a
 * third of a push's CPU time. Kysely's SQLite driver prepares every query it runs through this.
 * Safe because every query runs to completion (`all`/`run`; nothing here streams, which would
 * leave an `iterate` pending) before the same SQL is prepared again.
 */
function cacheStatements(sqlite: BetterSqlite3.Database): void {
	const prepare = sqlite.prepare.bind(sqlite);
	const cache = new Map<string, BetterSqlite3.Statement>();
	sqlite.prepare = ((source: string) => {
		let statement = cache.get(source);
		if (!statement) {
			if (cache.size >= STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value!);
			statement = prepare(source);
			cache.set(source, statement);
		}
		return statement;
	}) as BetterSqlite3.Database['prepare'];
}

/**
 * `PRAGMA user_version` of a database whose schema the Migrator keeps. The SQLite-only server
 * counted its migrations there (1…3) and refuses any higher number as "made by a newer
 * server", so an old server never opens a database this one has changed.
 */
export const MIGRATOR_USER_VERSION = 1000;

const tooNew = (what: string) =>
	new Error(`数据库版本 ${what} 比本程序认识的新：请使用更新的服务器程序`);

/**
 * A database made by the SQLite-only server (`user_version` N of its 3 migrations) is marked as
 * having run the first N migrations of the one history, which make the same tables; the
 * Migrator then runs the rest. Inside the migration's transaction, so it happens once.
 */
function adoptLegacySqlite(sqlite: BetterSqlite3.Database, names: readonly string[]): void {
	const version = sqlite.pragma('user_version', { simple: true }) as number;
	if (version === 0 || version === MIGRATOR_USER_VERSION) return;
	if (version > LEGACY_SQLITE_MIGRATIONS) throw tooNew(String(version));
	const at = new Date().toISOString();
	sqlite.exec(
		`CREATE TABLE IF NOT EXISTS kysely_migration (name varchar(255) NOT NULL PRIMARY KEY, timestamp varchar(255) NOT NULL)`
	);
	const mark = sqlite.prepare(
		'INSERT OR IGNORE INTO kysely_migration (name, timestamp) VALUES (?, ?)'
	);
	for (const name of names.slice(0, version)) mark.run(name, at);
	sqlite.pragma(`user_version = ${MIGRATOR_USER_VERSION}`);
}

// ---- PostgreSQL ------------------------------------------------------------------------------

/** pg returns int8 (`bigint`, `count(*)`) as a string; every such value here is below 2^53. */
const INT8_OID = 20;
const pgTypes = {
	getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
		oid === INT8_OID && format !== 'binary'
			? (value: string) => Number(value)
			: pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser
};

function connectPostgres(url: string): Connection {
	const pool = new pg.Pool({
		connectionString: url,
		types: pgTypes,
		max: 10,
		application_name: 'ordos-survey'
	});
	// an idle client that loses its server is dropped from the pool, not a crash of the process
	pool.on('error', (error) => console.error(`[db] idle PostgreSQL connection: ${error.message}`));
	const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
	return { db, dialect: 'postgres' };
}

/**
 * Key of the session lock every server process takes around its migrations: several processes
 * starting at once on one database migrate one after another, and the later ones find nothing
 * to do. (Kysely's Migrator locks its own run too; this lock also covers the creation of its
 * bookkeeping tables and the check for migrations this program does not know.)
 */
const MIGRATION_LOCK = 7_295_101_001;

// ---- migrations ------------------------------------------------------------------------------

/** Applies every migration the database has not run; returns how many ran. */
export async function migrate(connection: Connection): Promise<number> {
	const all = migrations(connection.dialect);
	const names = Object.keys(all).sort();
	const run = async (db: Db): Promise<number> => {
		const executed = await executedMigrations(db);
		const unknown = executed.filter((name) => !names.includes(name));
		if (unknown.length > 0) throw tooNew(unknown.join(', '));
		const provider: MigrationProvider = { getMigrations: async () => all };
		const { error, results } = await new Migrator({ db, provider }).migrateToLatest();
		if (error) throw error instanceof Error ? error : new Error(String(error));
		return results?.length ?? 0;
	};
	if (connection.dialect === 'postgres') {
		return connection.db.connection().execute(async (db) => {
			await sql`SELECT pg_advisory_lock(${MIGRATION_LOCK})`.execute(db);
			try {
				return await run(db);
			} finally {
				await sql`SELECT pg_advisory_unlock(${MIGRATION_LOCK})`.execute(db);
			}
		});
	}
	// SQLite: all of it in one BEGIN IMMEDIATE on the one connection (Kysely's SQLite adapter
	// runs migrations outside a transaction): the write lock from the first statement, so
	// processes that start at once migrate one after another (a deferred transaction that read
	// first would fail at its first write once another process had committed: SQLITE_BUSY,
	// which the busy timeout does not wait out), and a failed migration leaves nothing.
	const sqlite = connection.sqlite!;
	sqlite.exec('BEGIN IMMEDIATE');
	try {
		adoptLegacySqlite(sqlite, names);
		const ran = await run(connection.db);
		if (sqlite.pragma('user_version', { simple: true }) !== MIGRATOR_USER_VERSION)
			sqlite.pragma(`user_version = ${MIGRATOR_USER_VERSION}`);
		sqlite.exec('COMMIT');
		return ran;
	} catch (error) {
		if (sqlite.inTransaction) sqlite.exec('ROLLBACK');
		throw error;
	}
}

/** The names in Kysely's bookkeeping table, none when it does not exist yet. */
async function executedMigrations(db: Db): Promise<string[]> {
	const tables = await db.introspection.getTables({ withInternalKyselyTables: true });
	if (!tables.some((t) => t.name === 'kysely_migration')) return [];
	const rows = await sql<{ name: string }>`SELECT name FROM kysely_migration`.execute(db);
	return rows.rows.map((r) => r.name);
}
