import { randomBytes } from 'node:crypto';
import pg from 'pg';

/**
 * Throw-away PostgreSQL databases for tests and benches: each server under test gets its own,
 * made from an admin URL (`TEST_PG_URL`: a role that may CREATE DATABASE) and dropped after.
 */

async function onAdmin<T>(adminUrl: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
	const client = new pg.Client({ connectionString: adminUrl });
	await client.connect();
	try {
		return await work(client);
	} finally {
		await client.end();
	}
}

/** Creates an empty database and returns its URL (the admin URL with that database). */
export async function createPostgresDatabase(
	adminUrl: string,
	prefix = 'survey_test'
): Promise<string> {
	const name = `${prefix}_${randomBytes(6).toString('hex')}`;
	await onAdmin(adminUrl, (client) => client.query(`CREATE DATABASE ${name}`));
	const url = new URL(adminUrl);
	url.pathname = `/${name}`;
	return url.toString();
}

/** Drops a database made by createPostgresDatabase, ending any session still on it. */
export async function dropPostgresDatabase(adminUrl: string, url: string): Promise<void> {
	const name = new URL(url).pathname.slice(1);
	if (!/^[a-z0-9_]+$/.test(name)) throw new Error(`not a test database: ${name}`);
	await onAdmin(adminUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
}
