/**
 * The databases a data-layer test runs on: SQLite always, PostgreSQL too with TEST_PG_URL (a
 * database of its own each time). Every data directory and database made is removed after the file.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { createPostgresDatabase, dropPostgresDatabase } from '$lib/server/db/provision.js';

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
