import type { Generated } from 'kysely';
import type { Role } from '../../domain/sync/roles.js';

/**
 * The server's tables as Kysely sees them, on SQLite and on PostgreSQL alike (migrations.ts makes
 * them). Values are the same JS types on both: integers and `bigint` columns come back as numbers
 * (connection.ts parses PostgreSQL's int8 as a number: every value here stays far below 2^53),
 * JSON is stored as text, times as ISO 8601 text (token expiry and failed logins as epoch ms),
 * and flags as integers 0/1.
 */
export interface Database {
	users: UsersTable;
	tokens: TokensTable;
	login_failures: LoginFailuresTable;
	devices: DevicesTable;
	sites: SitesTable;
	records: RecordsTable;
	revisions: RevisionsTable;
	record_photos: RecordPhotosTable;
	photos: PhotosTable;
	changes: ChangesTable;
	meta: MetaTable;
	audit_log: AuditLogTable;
	record_qc: RecordQcTable;
	review_visits: ReviewVisitsTable;
	review_samples: ReviewSamplesTable;
	review_sample_items: ReviewSampleItemsTable;
	queue_counts: QueueCountsTable;
	teams: TeamsTable;
	team_members: TeamMembersTable;
	team_sites: TeamSitesTable;
	registry_versions: RegistryVersionsTable;
	registry_version_sites: RegistryVersionSitesTable;
	registry_imports: RegistryImportsTable;
}

export type TableName = keyof Database;

export interface UsersTable {
	id: Generated<number>;
	username: string;
	role: Role;
	/** JSON array of county codes */
	counties: string;
	password_hash: string;
	display_name: string | null;
	disabled: Generated<number>;
	demo: Generated<number>;
	created_at: string;
	updated_at: string;
}

export interface TokensTable {
	id: Generated<number>;
	token_hash: string;
	user_id: number;
	kind: 'device' | 'session';
	device_id: string | null;
	created_at: string;
	last_used_at: string;
	/** epoch ms */
	expires_at: number;
	revoked_at: string | null;
}

export interface LoginFailuresTable {
	username: string;
	/** epoch ms */
	at: number;
}

export interface DevicesTable {
	device_id: string;
	user_id: number;
	first_seen_at: string;
	last_sync_at: string;
	last_pushed: Generated<number>;
	last_report_at: string | null;
	unsent: number | null;
	oldest_unsent_at: string | null;
	app_version: string | null;
	user_agent: string | null;
	revoked_at: string | null;
}

export interface SitesTable {
	code: string;
	county_code: string;
	/** the RegisteredSite as JSON */
	data: string;
	/** the change feed's seq of the site's last change */
	seq: number;
	updated_at: string;
}

export interface RecordsTable {
	id: string;
	county_code: string;
	kind: string;
	site_code: string | null;
	name: string | null;
	category: string | null;
	lat: number;
	lon: number;
	status: string;
	revision: number;
	owner_id: number;
	/** the SurveyRecord as JSON */
	content: string;
	content_key: string;
	created_at: string;
	updated_at: string;
	/** the counts of record_qc, kept here for the review queue's indexes (0009; 0 without QC) */
	qc_errors: Generated<number>;
	qc_warnings: Generated<number>;
	/**
	 * The statistics' terms of the content (issue 14 point 2, migration 0015; statColumns), null
	 * when not filled in: changeType, eraGroup, protectionLevel, condition, and the threats as
	 * `|a|b|`.
	 */
	stat_change: Generated<string | null>;
	stat_era: Generated<string | null>;
	stat_level: Generated<string | null>;
	stat_condition: Generated<string | null>;
	stat_threats: Generated<string | null>;
}

export interface RevisionsTable {
	record_id: string;
	revision: number;
	at: string;
	by_user: string;
	/**
	 * `correct`: a reviewer's correction (issue 12, migration 0007); `publish`: the record went into
	 * a registry version (issue 13, migration 0013)
	 */
	action: 'push' | 'approve' | 'return' | 'correct' | 'publish';
	status: string;
	/** the pushed or corrected SurveyRecord as JSON; null for a decision */
	content: string | null;
	/** JSON array of QC findings */
	findings: Generated<string>;
	/** JSON array of review comments */
	comments: Generated<string>;
	device_id: string | null;
	/** a correction's reason (issue 12, migration 0007); null for other actions */
	reason: string | null;
}

export interface RecordPhotosTable {
	record_id: string;
	sha256: string;
}

export interface PhotosTable {
	sha256: string;
	size: number;
	mime: string;
	uploaded_by: number | null;
	uploaded_at: string;
}

export interface ChangesTable {
	seq: Generated<number>;
	type: 'record' | 'site';
	county_code: string;
	record_id: string | null;
	owner_id: number | null;
	/** the change exactly as pull returns it, as JSON */
	payload: string;
	at: string;
}

/** One entry of the tamper-evident history (audit.ts): one per revision, in the order stored. */
export interface AuditLogTable {
	/** 1, 2, 3, … without gaps */
	seq: number;
	at: string;
	/** the username that made the revision */
	actor: string;
	/** `import_sites`, `import_counties`: a registry import (issue 13), `record_id` its id */
	action:
		'push' | 'approve' | 'return' | 'correct' | 'publish' | 'import_sites' | 'import_counties';
	record_id: string;
	revision: number;
	/** SHA-256 (hex) of the pushed content or of the decision body, as stored */
	body_sha256: string;
	/** the previous entry's hash (64 zeros for the first) */
	prev_hash: string;
	/** SHA-256 (hex) of this entry's canonical serialization */
	hash: string;
}

export interface MetaTable {
	key: string;
	value: string;
}

/** What the review queue filters and sorts by, of each record's newest pushed revision. */
export interface RecordQcTable {
	record_id: string;
	errors: number;
	warnings: number;
	/** 1 when a DUP-001 finding places the new find within 100 m of a registered site */
	near_site: number;
}

/**
 * A reviewer's visits to the queue: records that arrived after `marks_since` are marked new.
 * A visit is a run of queue views less than 30 minutes apart (review-queue.ts).
 */
export interface ReviewVisitsTable {
	user_id: number;
	/** the end of the previous visit; null on the first */
	marks_since: string | null;
	last_seen_at: string;
}

/** A city reviewer's spot check (抽查): one reproducible draw (review/samples.ts). */
export interface ReviewSamplesTable {
	id: Generated<number>;
	drawn_at: string;
	/** the username of the city reviewer who drew it */
	drawn_by: string;
	/** the seed the draw was made with (given, or made by the server) */
	seed: string;
	/** the share of each county's records drawn, 0.1–100 */
	percent: number;
	/** JSON array of the record statuses drawn from */
	statuses: string;
	/** JSON array of the county codes drawn from */
	counties: string;
	/** JSON object: county code → how many records it had to draw from */
	populations: string;
	note: string | null;
}

/** One record of a spot check, and the conclusion on it (the latest replaces the earlier). */
export interface ReviewSampleItemsTable {
	sample_id: number;
	record_id: string;
	county_code: string;
	/** the record's revision when it was drawn */
	revision_at_draw: number;
	conclusion: '合格' | '不合格' | null;
	note: string | null;
	concluded_by: string | null;
	concluded_at: string | null;
}

/**
 * Records per county and status, kept by triggers on `records` (migration 0009) for the review
 * queue's counts; a copy of the database leaves it out (copy.ts) and the triggers refill it.
 */
export interface QueueCountsTable {
	county_code: string;
	status: string;
	n: number;
}

/** A county's survey team (普查队), managed by its reviewers (teams.ts; migration 0010). */
export interface TeamsTable {
	id: Generated<number>;
	county_code: string;
	/** unique within the county */
	name: string;
	created_at: string;
	/** the username of the reviewer who made it */
	created_by: string;
}

/** A surveyor's team: one at most (the key is the user). */
export interface TeamMembersTable {
	user_id: number;
	team_id: number;
	added_at: string;
}

/** A registered site assigned to a team to re-check: one team at most (migration 0014). */
export interface TeamSitesTable {
	site_code: string;
	team_id: number;
	assigned_at: string;
	/** the username of the reviewer who assigned it */
	assigned_by: string;
}

/** A published registry version (registry-versions.ts; migration 0013). Never updated. */
export interface RegistryVersionsTable {
	/** 1, 2, 3, … */
	version: number;
	published_at: string;
	/** the username of the city reviewer who published it */
	published_by: string;
	note: string;
	/** sites in the version, lost ones included */
	sites: number;
	/** records it published */
	records: number;
	/** sites new in it (new finds), changed by a 复查, and newly marked lost */
	added: number;
	changed: number;
	lost: number;
}

/** One site of a version, exact geometry in `data`, and where it came from. Never updated. */
export interface RegistryVersionSitesTable {
	version: number;
	code: string;
	county_code: string;
	name: string | null;
	/** the site as JSON: the fields of a RegisteredSite (those the record filled in) */
	data: string;
	/** 1 when a 复查 found it 消失 */
	lost: number;
	lost_reason: string | null;
	/** `record`: an accepted record made this entry; `import`: the imported registry entry */
	source: 'import' | 'record';
	record_id: string | null;
	/** the record's revision whose content the entry holds (a push or a correction) */
	record_revision: number | null;
	/** the record's `publish` revision */
	published_revision: number | null;
	/** the version this entry took its current content in */
	since_version: number;
}

/**
 * A confirmed import of the registry (issue 13 point 1; migration 0012): registered sites from a
 * spreadsheet, or the bureau's county boundaries. The audit chain names it (`import_sites`,
 * `import_counties`) and hashes `[kind, file_sha256, counts, changes]` as stored.
 */
export interface RegistryImportsTable {
	/** 32 lowercase hex digits */
	id: string;
	kind: 'sites' | 'counties';
	at: string;
	/** the username of the city reviewer who confirmed it ('' for the demo seed: no one) */
	by_user: string;
	file_name: string;
	file_sha256: string;
	/** JSON: {rows, new, changed, unchanged} for sites; {counties} for boundaries */
	counts: string;
	/**
	 * JSON: for sites, `[{code, status, changes:[{field, old, new}]}]` of every new or changed
	 * site; for counties, the FeatureCollection that replaced the boundaries
	 */
	changes: string;
}

/** Each table's key, in order: how a dump or a copy orders its rows (PostgreSQL has no rowid). */
export const TABLE_KEYS: { readonly [T in TableName]: readonly (keyof Database[T] & string)[] } = {
	users: ['id'],
	tokens: ['id'],
	login_failures: ['username', 'at'],
	devices: ['device_id'],
	sites: ['code'],
	records: ['id'],
	revisions: ['record_id', 'revision'],
	record_photos: ['record_id', 'sha256'],
	photos: ['sha256'],
	changes: ['seq'],
	meta: ['key'],
	audit_log: ['seq'],
	record_qc: ['record_id'],
	review_visits: ['user_id'],
	review_samples: ['id'],
	review_sample_items: ['sample_id', 'record_id'],
	queue_counts: ['county_code', 'status'],
	teams: ['id'],
	team_members: ['user_id'],
	team_sites: ['site_code'],
	registry_versions: ['version'],
	registry_version_sites: ['version', 'code'],
	registry_imports: ['id']
};
