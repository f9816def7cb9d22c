import { sql, type Kysely, type Migration } from 'kysely';
import type { QcFinding } from '../../domain/qc/finding.js';
import { qcRow } from './review-queue.js';
import { seedAuditLog } from './audit.js';

export type DialectName = 'sqlite' | 'postgres';

/**
 * The server's schema as one migration history, run by Kysely's Migrator on SQLite and on
 * PostgreSQL (connection.ts). Names sort in the order they run. Never edit a migration that has
 * shipped: add a new one. The few column types that differ are chosen here by dialect: an
 * identity key on PostgreSQL where SQLite has its rowid, `double precision` for SQLite's 8-byte
 * `real`, `bigint` for epoch milliseconds.
 *
 * The first three are the three `PRAGMA user_version` migrations of the SQLite-only server,
 * table for table: a database that server made is marked as having run that many of them
 * (connection.ts, `adoptLegacySqlite`) and carries on from there.
 */
export function migrations(dialect: DialectName): Record<string, Migration> {
	const pg = dialect === 'postgres';
	const real = pg ? 'double precision' : 'real';
	const epochMs = pg ? 'bigint' : 'integer';
	return {
		// accounts, registry, records with their revisions, photos, the change feed
		'0001_initial': {
			async up(db: Kysely<unknown>) {
				await db.schema
					.createTable('users')
					.addColumn('id', 'integer', (c) =>
						pg ? c.primaryKey().generatedByDefaultAsIdentity() : c.primaryKey()
					)
					.addColumn('username', 'text', (c) => c.notNull().unique())
					.addColumn('role', 'text', (c) =>
						c.notNull().check(sql`role IN ('surveyor', 'county_reviewer', 'city_reviewer')`)
					)
					.addColumn('counties', 'text', (c) => c.notNull())
					.addColumn('password_hash', 'text', (c) => c.notNull())
					.addColumn('display_name', 'text')
					.addColumn('disabled', 'integer', (c) => c.notNull().defaultTo(0))
					.addColumn('demo', 'integer', (c) => c.notNull().defaultTo(0))
					.addColumn('created_at', 'text', (c) => c.notNull())
					.addColumn('updated_at', 'text', (c) => c.notNull())
					.execute();
				await db.schema
					.createTable('tokens')
					.addColumn('id', 'integer', (c) =>
						pg ? c.primaryKey().generatedByDefaultAsIdentity() : c.primaryKey()
					)
					.addColumn('token_hash', 'text', (c) => c.notNull().unique())
					.addColumn('user_id', 'integer', (c) => c.notNull().references('users.id'))
					.addColumn('kind', 'text', (c) => c.notNull().check(sql`kind IN ('device', 'session')`))
					.addColumn('device_id', 'text')
					.addColumn('created_at', 'text', (c) => c.notNull())
					.addColumn('last_used_at', 'text', (c) => c.notNull())
					.addColumn('expires_at', epochMs, (c) => c.notNull())
					.addColumn('revoked_at', 'text')
					.execute();
				await db.schema.createIndex('tokens_user').on('tokens').column('user_id').execute();
				await db.schema
					.createTable('login_failures')
					.addColumn('username', 'text', (c) => c.notNull())
					.addColumn('at', epochMs, (c) => c.notNull())
					.execute();
				await db.schema
					.createIndex('login_failures_username')
					.on('login_failures')
					.columns(['username', 'at'])
					.execute();
				await db.schema
					.createTable('devices')
					.addColumn('device_id', 'text', (c) => c.primaryKey())
					.addColumn('user_id', 'integer', (c) => c.notNull().references('users.id'))
					.addColumn('first_seen_at', 'text', (c) => c.notNull())
					.addColumn('last_sync_at', 'text', (c) => c.notNull())
					.addColumn('last_pushed', 'integer', (c) => c.notNull().defaultTo(0))
					.execute();
				await db.schema
					.createTable('sites')
					.addColumn('code', 'text', (c) => c.primaryKey())
					.addColumn('county_code', 'text', (c) => c.notNull())
					.addColumn('data', 'text', (c) => c.notNull())
					.addColumn('seq', 'integer', (c) => c.notNull())
					.addColumn('updated_at', 'text', (c) => c.notNull())
					.execute();
				await db.schema
					.createIndex('sites_county_seq')
					.on('sites')
					.columns(['county_code', 'seq'])
					.execute();
				await db.schema
					.createTable('records')
					.addColumn('id', 'text', (c) => c.primaryKey())
					.addColumn('county_code', 'text', (c) => c.notNull())
					.addColumn('kind', 'text', (c) => c.notNull())
					.addColumn('site_code', 'text')
					.addColumn('name', 'text')
					.addColumn('category', 'text')
					.addColumn('lat', real, (c) => c.notNull())
					.addColumn('lon', real, (c) => c.notNull())
					.addColumn('status', 'text', (c) => c.notNull())
					.addColumn('revision', 'integer', (c) => c.notNull())
					.addColumn('owner_id', 'integer', (c) => c.notNull().references('users.id'))
					.addColumn('content', 'text', (c) => c.notNull())
					.addColumn('content_key', 'text', (c) => c.notNull())
					.addColumn('created_at', 'text', (c) => c.notNull())
					.addColumn('updated_at', 'text', (c) => c.notNull())
					.execute();
				for (const [name, columns] of [
					['records_county_status', ['county_code', 'status']],
					['records_county_name', ['county_code', 'name']],
					['records_lat', ['lat']],
					['records_site', ['site_code']],
					['records_owner', ['owner_id']]
				] as const) {
					await db.schema
						.createIndex(name)
						.on('records')
						.columns([...columns])
						.execute();
				}
				await db.schema
					.createTable('revisions')
					.addColumn('record_id', 'text', (c) => c.notNull().references('records.id'))
					.addColumn('revision', 'integer', (c) => c.notNull())
					.addColumn('at', 'text', (c) => c.notNull())
					.addColumn('by_user', 'text', (c) => c.notNull())
					.addColumn('action', 'text', (c) =>
						c.notNull().check(sql`action IN ('push', 'approve', 'return')`)
					)
					.addColumn('status', 'text', (c) => c.notNull())
					.addColumn('content', 'text')
					.addColumn('findings', 'text', (c) => c.notNull().defaultTo('[]'))
					.addColumn('comments', 'text', (c) => c.notNull().defaultTo('[]'))
					.addColumn('device_id', 'text')
					.addPrimaryKeyConstraint('revisions_pkey', ['record_id', 'revision'])
					.execute();
				await db.schema
					.createTable('record_photos')
					.addColumn('record_id', 'text', (c) => c.notNull().references('records.id'))
					.addColumn('sha256', 'text', (c) => c.notNull())
					.addPrimaryKeyConstraint('record_photos_pkey', ['record_id', 'sha256'])
					.execute();
				await db.schema
					.createIndex('record_photos_sha')
					.on('record_photos')
					.column('sha256')
					.execute();
				await db.schema
					.createTable('photos')
					.addColumn('sha256', 'text', (c) => c.primaryKey())
					.addColumn('size', 'integer', (c) => c.notNull())
					.addColumn('mime', 'text', (c) => c.notNull())
					.addColumn('uploaded_by', 'integer', (c) => c.references('users.id'))
					.addColumn('uploaded_at', 'text', (c) => c.notNull())
					.execute();
				await db.schema
					.createTable('changes')
					.addColumn('seq', pg ? 'bigint' : 'integer', (c) =>
						pg ? c.primaryKey().generatedByDefaultAsIdentity() : c.primaryKey().autoIncrement()
					)
					.addColumn('type', 'text', (c) => c.notNull().check(sql`type IN ('record', 'site')`))
					.addColumn('county_code', 'text', (c) => c.notNull())
					.addColumn('record_id', 'text')
					.addColumn('owner_id', 'integer')
					.addColumn('payload', 'text', (c) => c.notNull())
					.addColumn('at', 'text', (c) => c.notNull())
					.execute();
				await db.schema
					.createIndex('changes_county')
					.on('changes')
					.columns(['county_code', 'seq'])
					.execute();
				await db.schema
					.createTable('meta')
					.addColumn('key', 'text', (c) => c.primaryKey())
					.addColumn('value', 'text', (c) => c.notNull())
					.execute();
			}
		},
		// what each device last reported (unsent records, oldest unsent, app version)
		'0002_device_reports': {
			async up(db: Kysely<unknown>) {
				for (const [column, type] of [
					['last_report_at', 'text'],
					['unsent', 'integer'],
					['oldest_unsent_at', 'text'],
					['app_version', 'text'],
					['user_agent', 'text']
				] as const) {
					await db.schema.alterTable('devices').addColumn(column, type).execute();
				}
				await db.schema.createIndex('tokens_device').on('tokens').column('device_id').execute();
			}
		},
		// a device revoked by a city reviewer stays revoked (issue 10 point 7)
		'0003_device_revoked': {
			async up(db: Kysely<unknown>) {
				await db.schema.alterTable('devices').addColumn('revoked_at', 'text').execute();
			}
		},
		// the registry's cursor is the newest site's seq: an index finds it without a scan
		'0004_sites_seq': {
			async up(db: Kysely<unknown>) {
				await db.schema.createIndex('sites_seq').on('sites').column('seq').execute();
			}
		},
		// the tamper-evident history (audit.ts), seeded from the revisions already stored
		'0005_audit': {
			async up(db: Kysely<unknown>) {
				await db.schema
					.createTable('audit_log')
					.addColumn('seq', 'integer', (c) => c.primaryKey())
					.addColumn('at', 'text', (c) => c.notNull())
					.addColumn('actor', 'text', (c) => c.notNull())
					.addColumn('action', 'text', (c) => c.notNull())
					.addColumn('record_id', 'text', (c) => c.notNull())
					.addColumn('revision', 'integer', (c) => c.notNull())
					.addColumn('body_sha256', 'text', (c) => c.notNull())
					.addColumn('prev_hash', 'text', (c) => c.notNull())
					.addColumn('hash', 'text', (c) => c.notNull())
					.execute();
				await db.schema
					.createIndex('audit_log_revision')
					.on('audit_log')
					.columns(['record_id', 'revision'])
					.unique()
					.execute();
				await seedAuditLog(db);
			}
		},
		// the review queue (issue 12 point 1): QC counts per record, reviewers' visits, and the
		// indexes its filters and sorts use
		'0006_review_visits': {
			async up(db: Kysely<unknown>) {
				await db.schema
					.createTable('record_qc')
					.addColumn('record_id', 'text', (c) => c.primaryKey().references('records.id'))
					.addColumn('errors', 'integer', (c) => c.notNull())
					.addColumn('warnings', 'integer', (c) => c.notNull())
					.addColumn('near_site', 'integer', (c) => c.notNull())
					.execute();
				await db.schema
					.createIndex('record_qc_severity')
					.on('record_qc')
					.columns(['errors', 'warnings'])
					.execute();
				await db.schema
					.createTable('review_visits')
					.addColumn('user_id', 'integer', (c) => c.primaryKey().references('users.id'))
					.addColumn('marks_since', 'text')
					.addColumn('last_seen_at', 'text', (c) => c.notNull())
					.execute();
				for (const [name, columns] of [
					['records_county_updated', ['county_code', 'updated_at']],
					['records_county_status_updated', ['county_code', 'status', 'updated_at']],
					['records_county_category', ['county_code', 'category']],
					['records_updated', ['updated_at']],
					['records_name', ['name']]
				] as const) {
					await db.schema
						.createIndex(name)
						.on('records')
						.columns([...columns])
						.execute();
				}
				await backfillRecordQc(db);
			}
		},
		// reviewers' corrections (issue 12 point 3): revisions take the action `correct` and keep
		// the correction's reason
		'0007_corrections': {
			async up(db: Kysely<unknown>) {
				if (pg) {
					await sql`ALTER TABLE revisions DROP CONSTRAINT revisions_action_check`.execute(db);
					await sql`ALTER TABLE revisions ADD CONSTRAINT revisions_action_check
						CHECK (action IN ('push', 'approve', 'return', 'correct'))`.execute(db);
					await db.schema.alterTable('revisions').addColumn('reason', 'text').execute();
					return;
				}
				// SQLite cannot change a CHECK constraint: the table is made anew and its rows
				// copied (no other table refers to it)
				await db.schema
					.createTable('revisions_0007')
					.addColumn('record_id', 'text', (c) => c.notNull().references('records.id'))
					.addColumn('revision', 'integer', (c) => c.notNull())
					.addColumn('at', 'text', (c) => c.notNull())
					.addColumn('by_user', 'text', (c) => c.notNull())
					.addColumn('action', 'text', (c) =>
						c.notNull().check(sql`action IN ('push', 'approve', 'return', 'correct')`)
					)
					.addColumn('status', 'text', (c) => c.notNull())
					.addColumn('content', 'text')
					.addColumn('findings', 'text', (c) => c.notNull().defaultTo('[]'))
					.addColumn('comments', 'text', (c) => c.notNull().defaultTo('[]'))
					.addColumn('device_id', 'text')
					.addColumn('reason', 'text')
					.addPrimaryKeyConstraint('revisions_pkey', ['record_id', 'revision'])
					.execute();
				await sql`INSERT INTO revisions_0007
					(record_id, revision, at, by_user, action, status, content, findings, comments, device_id)
					SELECT record_id, revision, at, by_user, action, status, content, findings, comments, device_id
					FROM revisions`.execute(db);
				await db.schema.dropTable('revisions').execute();
				await db.schema.alterTable('revisions_0007').renameTo('revisions').execute();
			}
		}
	};
}

/** record_qc for the records stored before it existed, from each one's newest pushed revision. */
async function backfillRecordQc(db: Kysely<unknown>): Promise<void> {
	let after = '';
	for (;;) {
		const { rows } = await sql<{ id: string; findings: string }>`
			SELECT r.id, v.findings FROM records r
			JOIN revisions v ON v.record_id = r.id AND v.revision = (
				SELECT max(w.revision) FROM revisions w WHERE w.record_id = r.id AND w.action = 'push')
			WHERE r.id > ${after} ORDER BY r.id LIMIT 500`.execute(db);
		if (rows.length === 0) return;
		await db
			.insertInto('record_qc' as never)
			.values(rows.map((row) => qcRow(row.id, JSON.parse(row.findings) as QcFinding[])) as never)
			.execute();
		after = rows[rows.length - 1]!.id;
	}
}

/** How many migrations the SQLite-only server had (`PRAGMA user_version` 1…3). */
export const LEGACY_SQLITE_MIGRATIONS = 3;
