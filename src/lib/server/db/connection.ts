import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { MIGRATIONS } from './migrations.js';

export type Db = Database.Database;

export const DATABASE_FILE = 'survey.sqlite';

/**
 * Opens (creating when needed) the server's database under `dataDir` in WAL mode and brings its
 * schema up to date. Synchronous: better-sqlite3 is, and one process owns the file.
 */
export function openDatabase(dataDir: string, file = DATABASE_FILE): Db {
	mkdirSync(dataDir, { recursive: true });
	const db = new Database(join(dataDir, file));
	db.pragma('journal_mode = WAL');
	// WAL + NORMAL is durable against process crashes (a SIGKILL loses nothing committed);
	// FULL also survives power loss, which is what a census server wants.
	db.pragma('synchronous = FULL');
	db.pragma('foreign_keys = ON');
	db.pragma('busy_timeout = 5000');
	migrate(db);
	cacheStatements(db);
	return db;
}

/** Applies every migration newer than the database's `user_version`, each in a transaction. */
export function migrate(db: Db): number {
	const current = db.pragma('user_version', { simple: true }) as number;
	if (current > MIGRATIONS.length) {
		throw new Error(
			`数据库版本 ${current} 比本程序认识的 ${MIGRATIONS.length} 新：请使用更新的服务器程序`
		);
	}
	for (let version = current; version < MIGRATIONS.length; version++) {
		db.transaction(() => {
			db.exec(MIGRATIONS[version]!);
			db.pragma(`user_version = ${version + 1}`);
		})();
	}
	return MIGRATIONS.length - current;
}

/** Prepared statements kept at most (dynamic `IN (…)` lists make a few variants of a query). */
const STATEMENT_CACHE_SIZE = 500;

/**
 * Makes `db.prepare` reuse the statement it prepared for the same SQL: compiling SQL was about a
 * third of a push's CPU time. Safe because the repositories run each statement to completion
 * (`get`/`all`/`run`, never a pending `iterate`) before preparing it again.
 */
function cacheStatements(db: Db): void {
	const prepare = db.prepare.bind(db);
	const cache = new Map<string, ReturnType<Db['prepare']>>();
	db.prepare = ((sql: string) => {
		let statement = cache.get(sql);
		if (!statement) {
			if (cache.size >= STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value!);
			statement = prepare(sql);
			cache.set(sql, statement);
		}
		return statement;
	}) as Db['prepare'];
}
