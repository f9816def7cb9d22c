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
		},
		// spot checks (抽查, issue 12 point 5): a city reviewer's reproducible draws and the
		// conclusion on each sampled record (review/samples.ts)
		'0008_samples': {
			async up(db: Kysely<unknown>) {
				await db.schema
					.createTable('review_samples')
					.addColumn('id', 'integer', (c) =>
						pg ? c.primaryKey().generatedByDefaultAsIdentity() : c.primaryKey()
					)
					.addColumn('drawn_at', 'text', (c) => c.notNull())
					.addColumn('drawn_by', 'text', (c) => c.notNull())
					.addColumn('seed', 'text', (c) => c.notNull())
					.addColumn('percent', real, (c) => c.notNull())
					.addColumn('statuses', 'text', (c) => c.notNull())
					.addColumn('counties', 'text', (c) => c.notNull())
					.addColumn('populations', 'text', (c) => c.notNull())
					.addColumn('note', 'text')
					.execute();
				await db.schema
					.createTable('review_sample_items')
					.addColumn('sample_id', 'integer', (c) => c.notNull().references('review_samples.id'))
					.addColumn('record_id', 'text', (c) => c.notNull().references('records.id'))
					.addColumn('county_code', 'text', (c) => c.notNull())
					.addColumn('revision_at_draw', 'integer', (c) => c.notNull())
					.addColumn('conclusion', 'text', (c) =>
						c.check(sql`conclusion IS NULL OR conclusion IN ('合格', '不合格')`)
					)
					.addColumn('note', 'text')
					.addColumn('concluded_by', 'text')
					.addColumn('concluded_at', 'text')
					.addPrimaryKeyConstraint('review_sample_items_pkey', ['sample_id', 'record_id'])
					.execute();
			}
		},
		// ---- 0009 (review queue speed, issue 12) ----------------------------------------------
		'0009_queue_indexes': {
			async up(db: Kysely<unknown>) {
				await queueIndexes(db);
				await queueCounts(db, dialect);
			}
		},
		// ---- end 0009 ---------------------------------------------------------------------------
		// ---- 0010 (teams, issue 13 point 2; the queue's team filter, issue 12) ------------------
		// A county's survey teams (普查队) and their surveyors: a surveyor is in one team at most.
		'0010_teams': {
			async up(db: Kysely<unknown>) {
				await db.schema
					.createTable('teams')
					.addColumn('id', 'integer', (c) =>
						pg ? c.primaryKey().generatedByDefaultAsIdentity() : c.primaryKey()
					)
					.addColumn('county_code', 'text', (c) => c.notNull())
					.addColumn('name', 'text', (c) => c.notNull())
					.addColumn('created_at', 'text', (c) => c.notNull())
					.addColumn('created_by', 'text', (c) => c.notNull())
					.addUniqueConstraint('teams_county_name', ['county_code', 'name'])
					.execute();
				await db.schema
					.createTable('team_members')
					.addColumn('user_id', 'integer', (c) => c.primaryKey().references('users.id'))
					.addColumn('team_id', 'integer', (c) => c.notNull().references('teams.id'))
					.addColumn('added_at', 'text', (c) => c.notNull())
					.execute();
				await db.schema
					.createIndex('team_members_team')
					.on('team_members')
					.columns(['team_id', 'user_id'])
					.execute();
			}
		},
		// ---- end 0010 ---------------------------------------------------------------------------
		// ---- 0011 (the record page's nearby records) ----------------------------------------------
		// The records near a point, of the user's counties (RecordRepository.near): the county,
		// then the point, then every column a neighbour shows, so the box around the point comes
		// out of the index without reading a row (the 0001 index on `lat` alone read every record
		// of a 5 km band of latitude, contents and all).
		'0011_nearby_index': {
			async up(db: Kysely<unknown>) {
				await sql`CREATE INDEX records_county_point
					ON records (county_code, lat, lon, status, kind, name, site_code, id)`.execute(db);
			}
		},
		// ---- end 0011 ---------------------------------------------------------------------------
		// ---- 0012 (registry import, issue 13 point 1) ------------------------------------------
		// Each confirmed import of registered sites or county boundaries: what it changed, as the
		// audit chain's evidence (an entry `import_sites` / `import_counties` names it by id).
		'0012_registry_imports': {
			async up(db: Kysely<unknown>) {
				await db.schema
					.createTable('registry_imports')
					.addColumn('id', 'text', (c) => c.primaryKey())
					.addColumn('kind', 'text', (c) => c.notNull().check(sql`kind IN ('sites', 'counties')`))
					.addColumn('at', 'text', (c) => c.notNull())
					.addColumn('by_user', 'text', (c) => c.notNull())
					.addColumn('file_name', 'text', (c) => c.notNull())
					.addColumn('file_sha256', 'text', (c) => c.notNull())
					.addColumn('counts', 'text', (c) => c.notNull())
					.addColumn('changes', 'text', (c) => c.notNull())
					.execute();
				await db.schema
					.createIndex('registry_imports_kind_at')
					.on('registry_imports')
					.columns(['kind', 'at'])
					.execute();
			}
		},
		// ---- end 0012 ---------------------------------------------------------------------------
		// ---- 0013 (registry versions: publishing, issue 13 point 3) ----------------------------
		'0013_registry_versions': {
			async up(db: Kysely<unknown>) {
				await registryVersions(db, dialect);
			}
		},
		// ---- end 0013 ---------------------------------------------------------------------------
		// ---- 0014 (work assigned to teams, issue 13 point 2) ----------------------------------
		// The registered sites each team re-checks: a site is with one team at most.
		'0014_team_sites': {
			async up(db: Kysely<unknown>) {
				await db.schema
					.createTable('team_sites')
					.addColumn('site_code', 'text', (c) => c.primaryKey())
					.addColumn('team_id', 'integer', (c) => c.notNull().references('teams.id'))
					.addColumn('assigned_at', 'text', (c) => c.notNull())
					.addColumn('assigned_by', 'text', (c) => c.notNull())
					.execute();
				await db.schema
					.createIndex('team_sites_team')
					.on('team_sites')
					.columns(['team_id', 'site_code'])
					.execute();
			}
		},
		// ---- end 0014 ---------------------------------------------------------------------------
		// ---- 0015 (statistics, issue 14 point 2) ------------------------------------------------
		'0015_record_stats': {
			async up(db: Kysely<unknown>) {
				await recordStats(db, dialect);
			}
		},
		// ---- end 0015 ---------------------------------------------------------------------------
		// ---- 0016 (records by arrival, issue 14) ------------------------------------------------
		// The records received in a span of time (the statistics' weeks, a quarter's report): a
		// range of this index per span, without sorting the records by a day made of their time.
		'0016_records_created': {
			async up(db: Kysely<unknown>) {
				await db.schema
					.createIndex('records_created')
					.on('records')
					.columns(['created_at', 'county_code'])
					.execute();
			}
		}
		// ---- end 0016 ---------------------------------------------------------------------------
	};
}

/**
 * The statistics (issue 14 point 2, 0015): a record's statistics terms as columns (stat-columns.ts
 * fills them on every write; here they are filled from the content of the records already
 * stored), one covering index that every count of the statistics page reads without a row (a
 * row holds the whole content), and the city's approvals by time (the weekly figures).
 */
async function recordStats(db: Kysely<unknown>, dialect: DialectName): Promise<void> {
	for (const column of ['stat_change', 'stat_era', 'stat_level', 'stat_condition', 'stat_threats'])
		await db.schema.alterTable('records').addColumn(column, 'text').execute();
	const pg = dialect === 'postgres';
	const text = (key: string) =>
		pg
			? sql`nullif(content::json ->> ${sql.lit(key)}, '')`
			: sql`nullif(json_extract(content, ${sql.lit(`$.${key}`)}), '')`;
	const threats = pg
		? sql`(SELECT '|' || string_agg(t, '|') || '|' FROM jsonb_array_elements_text(
				CASE WHEN jsonb_typeof(content::jsonb -> 'threats') = 'array'
					THEN content::jsonb -> 'threats' ELSE '[]'::jsonb END) AS t
				WHERE t <> '')`
		: sql`(SELECT '|' || group_concat(value, '|') || '|' FROM json_each(
				CASE WHEN json_type(content, '$.threats') = 'array'
					THEN json_extract(content, '$.threats') ELSE '[]' END)
				WHERE value <> '')`;
	await sql`UPDATE records SET stat_change = ${text('changeType')}, stat_era = ${text('eraGroup')},
		stat_level = ${text('protectionLevel')}, stat_condition = ${text('condition')},
		stat_threats = ${threats}`.execute(db);
	await db.schema
		.createIndex('records_stats')
		.on('records')
		.columns([
			'county_code',
			'kind',
			'status',
			'category',
			'stat_era',
			'stat_level',
			'stat_condition',
			'stat_change',
			'stat_threats',
			'created_at',
			'site_code'
		])
		.execute();
	await db.schema
		.createIndex('revisions_city_accepted')
		.on('revisions')
		.columns(['at', 'record_id'])
		.where(sql.ref('action'), '=', 'approve')
		.where(sql.ref('status'), '=', 'accepted')
		.execute();
}

/**
 * The review queue's indexes (0009): each page of the queue comes from one index walked in its
 * sort's order, and its counts from one index range, without reading the records' rows (a
 * record's row holds its whole content: reading 10,000 of them to count or sort is what made
 * the queue slow). So each index holds every column a filter reads (county, status, category,
 * owner, arrival, the QC counts) and ends with the id; the QC counts of record_qc are kept in
 * the record's row as well (qc_errors, qc_warnings: written with the row by a push or a
 * correction) so that the severity filter and sort are on `records` too. The arrival
 * (`updated_at`) goes newest first and the id after it, as the queue sorts. The indexes of 0006
 * that these replace go.
 */
async function queueIndexes(db: Kysely<unknown>): Promise<void> {
	for (const column of ['qc_errors', 'qc_warnings'])
		await db.schema
			.alterTable('records')
			.addColumn(column, 'integer', (c) => c.notNull().defaultTo(0))
			.execute();
	await sql`UPDATE records SET
		qc_errors = (SELECT q.errors FROM record_qc q WHERE q.record_id = records.id),
		qc_warnings = (SELECT q.warnings FROM record_qc q WHERE q.record_id = records.id)
		WHERE id IN (SELECT record_id FROM record_qc WHERE errors > 0 OR warnings > 0)`.execute(db);
	for (const name of [
		'records_county_updated',
		'records_county_status_updated',
		'records_county_category',
		'records_updated',
		'records_name'
	])
		await db.schema.dropIndex(name).execute();
	/** What every index carries after its sort: what the filters read, so no row is needed. */
	const rest = 'status, category, owner_id, qc_errors, qc_warnings';
	const name = `(coalesce(name, ''))`;
	for (const [index, columns] of [
		// arrival, in a county or all of them; sort=county (county, then arrival); in a
		// city-wide list of one status, the status is read off the entries
		['queue_county_arrival', `county_code, updated_at DESC, id, ${rest}`],
		['queue_arrival', `updated_at DESC, id, county_code, ${rest}`],
		// a county's records of one status (a county reviewer's worklist)
		['queue_county_status_arrival', `county_code, status, updated_at DESC, id, ${rest}`],
		// sort=name
		['queue_county_name', `county_code, ${name}, updated_at DESC, id, ${rest}`],
		['queue_name', `${name}, updated_at DESC, id, county_code, ${rest}`],
		// sort=severity (in one county too: its records are every ninth of the walk)
		[
			'queue_severity',
			`qc_errors DESC, qc_warnings DESC, updated_at DESC, id, county_code, status, category, owner_id`
		]
	])
		await sql.raw(`CREATE INDEX ${index} ON records (${columns})`).execute(db);
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

/**
 * queue_counts (0009): how many records each county has in each status, kept by triggers on
 * `records` in the transaction that writes the record, whoever writes it (a push, a decision,
 * a restore's copy, a bulk load), so the queue's counts without a filter but county and status
 * (the views a reviewer opens first) are a few rows instead of a count over every record.
 * Copies of the database (copy.ts) leave the table out: the triggers fill it again.
 */
async function queueCounts(db: Kysely<unknown>, dialect: DialectName): Promise<void> {
	await db.schema
		.createTable('queue_counts')
		.addColumn('county_code', 'text', (c) => c.notNull())
		.addColumn('status', 'text', (c) => c.notNull())
		.addColumn('n', 'integer', (c) => c.notNull())
		.addPrimaryKeyConstraint('queue_counts_pkey', ['county_code', 'status'])
		.execute();
	await sql`INSERT INTO queue_counts (county_code, status, n)
		SELECT county_code, status, count(*) FROM records GROUP BY county_code, status`.execute(db);
	if (dialect === 'postgres') {
		// per statement, from its transition tables: a row trigger would update one counts row
		// once per record, and in one transaction each update is a new version of that row
		const apply = (rows: string, sign: '' | '-') =>
			`INSERT INTO queue_counts (county_code, status, n)
				SELECT county_code, status, ${sign}count(*) FROM ${rows} GROUP BY county_code, status
				ON CONFLICT (county_code, status) DO UPDATE SET n = queue_counts.n + excluded.n;`;
		const moved = (side: 'o' | 'n') =>
			`(SELECT ${side}.county_code, ${side}.status FROM old_rows o JOIN new_rows n USING (id)
				WHERE o.county_code IS DISTINCT FROM n.county_code OR o.status IS DISTINCT FROM n.status) moved`;
		for (const [fn, body] of [
			['queue_counts_inserted', apply('new_rows', '')],
			['queue_counts_deleted', apply('old_rows', '-')],
			['queue_counts_updated', apply(moved('o'), '-') + apply(moved('n'), '')]
		])
			await sql
				.raw(
					`CREATE FUNCTION ${fn}() RETURNS trigger LANGUAGE plpgsql AS $$
					BEGIN ${body} RETURN NULL; END $$`
				)
				.execute(db);
		await sql`CREATE TRIGGER queue_counts_insert AFTER INSERT ON records
			REFERENCING NEW TABLE AS new_rows
			FOR EACH STATEMENT EXECUTE FUNCTION queue_counts_inserted()`.execute(db);
		await sql`CREATE TRIGGER queue_counts_delete AFTER DELETE ON records
			REFERENCING OLD TABLE AS old_rows
			FOR EACH STATEMENT EXECUTE FUNCTION queue_counts_deleted()`.execute(db);
		await sql`CREATE TRIGGER queue_counts_update AFTER UPDATE ON records
			REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
			FOR EACH STATEMENT EXECUTE FUNCTION queue_counts_updated()`.execute(db);
		return;
	}
	// SQLite (no transition tables): per row, each a small upsert
	const add = (row: 'NEW' | 'OLD', sign: '+' | '-') =>
		`INSERT INTO queue_counts (county_code, status, n) VALUES (${row}.county_code, ${row}.status, ${sign}1)
			ON CONFLICT (county_code, status) DO UPDATE SET n = queue_counts.n ${sign} 1;`;
	await sql
		.raw(`CREATE TRIGGER queue_counts_insert AFTER INSERT ON records BEGIN ${add('NEW', '+')} END`)
		.execute(db);
	await sql
		.raw(`CREATE TRIGGER queue_counts_delete AFTER DELETE ON records BEGIN ${add('OLD', '-')} END`)
		.execute(db);
	await sql
		.raw(
			`CREATE TRIGGER queue_counts_update AFTER UPDATE OF county_code, status ON records
			WHEN OLD.county_code IS NOT NEW.county_code OR OLD.status IS NOT NEW.status
			BEGIN ${add('OLD', '-')} ${add('NEW', '+')} END`
		)
		.execute(db);
}

// ---- 0013 (registry versions, issue 13 point 3) ----------------------------------------------

/**
 * Published registry versions (registry/publish.ts): one row per version, and every site of each
 * version with the record revision it came from (or none: the imported entry). Nothing updates or
 * deletes these rows. Revisions take the action `publish` (the record's status change to
 * `published`): PostgreSQL swaps the CHECK constraint, SQLite (which cannot change one) makes
 * the table anew and copies its rows, as 0007 did.
 */
async function registryVersions(db: Kysely<unknown>, dialect: DialectName): Promise<void> {
	await db.schema
		.createTable('registry_versions')
		.addColumn('version', 'integer', (c) => c.primaryKey())
		.addColumn('published_at', 'text', (c) => c.notNull())
		.addColumn('published_by', 'text', (c) => c.notNull())
		.addColumn('note', 'text', (c) => c.notNull())
		.addColumn('sites', 'integer', (c) => c.notNull())
		.addColumn('records', 'integer', (c) => c.notNull())
		.addColumn('added', 'integer', (c) => c.notNull())
		.addColumn('changed', 'integer', (c) => c.notNull())
		.addColumn('lost', 'integer', (c) => c.notNull())
		.execute();
	await db.schema
		.createTable('registry_version_sites')
		.addColumn('version', 'integer', (c) => c.notNull().references('registry_versions.version'))
		.addColumn('code', 'text', (c) => c.notNull())
		.addColumn('county_code', 'text', (c) => c.notNull())
		.addColumn('name', 'text')
		.addColumn('data', 'text', (c) => c.notNull())
		.addColumn('lost', 'integer', (c) => c.notNull())
		.addColumn('lost_reason', 'text')
		.addColumn('source', 'text', (c) => c.notNull().check(sql`source IN ('import', 'record')`))
		.addColumn('record_id', 'text')
		.addColumn('record_revision', 'integer')
		.addColumn('published_revision', 'integer')
		.addColumn('since_version', 'integer', (c) => c.notNull())
		.addPrimaryKeyConstraint('registry_version_sites_pkey', ['version', 'code'])
		.execute();
	await db.schema
		.createIndex('registry_version_sites_county')
		.on('registry_version_sites')
		.columns(['version', 'county_code', 'code'])
		.execute();
	await db.schema
		.createIndex('registry_version_sites_record')
		.on('registry_version_sites')
		.columns(['record_id'])
		.execute();
	const actions = `'push', 'approve', 'return', 'correct', 'publish'`;
	if (dialect === 'postgres') {
		await sql`ALTER TABLE revisions DROP CONSTRAINT revisions_action_check`.execute(db);
		await sql
			.raw(
				`ALTER TABLE revisions ADD CONSTRAINT revisions_action_check CHECK (action IN (${actions}))`
			)
			.execute(db);
		return;
	}
	await db.schema
		.createTable('revisions_0013')
		.addColumn('record_id', 'text', (c) => c.notNull().references('records.id'))
		.addColumn('revision', 'integer', (c) => c.notNull())
		.addColumn('at', 'text', (c) => c.notNull())
		.addColumn('by_user', 'text', (c) => c.notNull())
		.addColumn('action', 'text', (c) => c.notNull().check(sql.raw(`action IN (${actions})`)))
		.addColumn('status', 'text', (c) => c.notNull())
		.addColumn('content', 'text')
		.addColumn('findings', 'text', (c) => c.notNull().defaultTo('[]'))
		.addColumn('comments', 'text', (c) => c.notNull().defaultTo('[]'))
		.addColumn('device_id', 'text')
		.addColumn('reason', 'text')
		.addPrimaryKeyConstraint('revisions_pkey', ['record_id', 'revision'])
		.execute();
	await sql`INSERT INTO revisions_0013
		(record_id, revision, at, by_user, action, status, content, findings, comments, device_id, reason)
		SELECT record_id, revision, at, by_user, action, status, content, findings, comments, device_id, reason
		FROM revisions`.execute(db);
	await db.schema.dropTable('revisions').execute();
	await db.schema.alterTable('revisions_0013').renameTo('revisions').execute();
}

/** How many migrations the SQLite-only server had (`PRAGMA user_version` 1…3). */
export const LEGACY_SQLITE_MIGRATIONS = 3;
