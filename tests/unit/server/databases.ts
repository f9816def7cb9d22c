/**
 * The databases a data-layer test runs on: SQLite always, PostgreSQL too with TEST_PG_URL (a
 * database of its own each time). Every data directory and database made is removed after the file.
 */
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { createPostgresDatabase, dropPostgresDatabase } from '$lib/server/db/provision.js';
import { migrations, type DialectName } from '$lib/server/db/migrations.js';
import type { Database } from '$lib/server/db/schema.js';

export const PG = process.env.TEST_PG_URL || undefined;

export type Where = { dataDir: string; url?: string };

/** The backends to run on, by name. */
export const BACKENDS = [
	{ name: 'SQLite', postgres: false },
	...(PG ? [{ name: 'PostgreSQL', postgres: true }] : [])
];

const dirs: string[] = [];
const databases: string[] = [];
afterAll(async () => {
	for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
	for (const url of databases) await dropPostgresDatabase(PG!, url);
});

/** A new empty data directory, with a new PostgreSQL database when `postgres`. */
export async function freshWhere(postgres: boolean, prefix = 'survey-db-'): Promise<Where> {
	const dataDir = mkdtempSync(join(tmpdir(), prefix));
	dirs.push(dataDir);
	if (!postgres) return { dataDir };
	const url = await createPostgresDatabase(PG!);
	databases.push(url);
	return { dataDir, url };
}

/**
 * The database of `at` as an older server left it: migrated up to `migration` (by name), for
 * tests of what a later migration makes of its rows. The caller destroys it.
 */
export async function migratedUpTo(at: Where, migration: string): Promise<Kysely<Database>> {
	const dialect: DialectName = at.url ? 'postgres' : 'sqlite';
	const db = new Kysely<Database>({
		dialect: at.url
			? new PostgresDialect({ pool: new pg.Pool({ connectionString: at.url }) })
			: new SqliteDialect({ database: new BetterSqlite3(join(at.dataDir, 'survey.sqlite')) })
	});
	const provider = { getMigrations: async () => migrations(dialect) };
	const { error } = await new Migrator({ db, provider }).migrateTo(migration);
	if (error) throw error instanceof Error ? error : new Error(String(error));
	return db;
}

/** Inserts the surveyor `surveyor-a` of county 150602 straight into an (old) database. */
export async function insertSurveyor(db: Kysely<Database>, now: string): Promise<{ id: number }> {
	return db
		.insertInto('users')
		.values({
			username: 'surveyor-a',
			role: 'surveyor',
			counties: '["150602"]',
			password_hash: 'x',
			display_name: null,
			created_at: now,
			updated_at: now
		})
		.returning('id')
		.executeTakeFirstOrThrow();
}
