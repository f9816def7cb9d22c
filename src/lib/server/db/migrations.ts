/**
 * The server's schema, as numbered migrations. `PRAGMA user_version` holds the number of the last
 * one applied; each runs in its own transaction on start. Never edit a migration that has
 * shipped: add a new one.
 */
export const MIGRATIONS: readonly string[] = [
	// 1: accounts, registry, records with their revisions, photos, the change feed
	`
	CREATE TABLE users (
		id INTEGER PRIMARY KEY,
		username TEXT NOT NULL UNIQUE,
		role TEXT NOT NULL CHECK (role IN ('surveyor', 'county_reviewer', 'city_reviewer')),
		counties TEXT NOT NULL,
		password_hash TEXT NOT NULL,
		display_name TEXT,
		disabled INTEGER NOT NULL DEFAULT 0,
		demo INTEGER NOT NULL DEFAULT 0,
		created_at TEXT NOT NULL,
		updated_at TEXT NOT NULL
	);
	CREATE TABLE tokens (
		id INTEGER PRIMARY KEY,
		token_hash TEXT NOT NULL UNIQUE,
		user_id INTEGER NOT NULL REFERENCES users(id),
		kind TEXT NOT NULL CHECK (kind IN ('device', 'session')),
		device_id TEXT,
		created_at TEXT NOT NULL,
		last_used_at TEXT NOT NULL,
		expires_at INTEGER NOT NULL,
		revoked_at TEXT
	);
	CREATE INDEX tokens_user ON tokens(user_id);
	CREATE TABLE login_failures (
		username TEXT NOT NULL,
		at INTEGER NOT NULL
	);
	CREATE INDEX login_failures_username ON login_failures(username, at);
	CREATE TABLE devices (
		device_id TEXT PRIMARY KEY,
		user_id INTEGER NOT NULL REFERENCES users(id),
		first_seen_at TEXT NOT NULL,
		last_sync_at TEXT NOT NULL,
		last_pushed INTEGER NOT NULL DEFAULT 0
	);
	CREATE TABLE sites (
		code TEXT PRIMARY KEY,
		county_code TEXT NOT NULL,
		data TEXT NOT NULL,
		seq INTEGER NOT NULL,
		updated_at TEXT NOT NULL
	);
	CREATE INDEX sites_county_seq ON sites(county_code, seq);
	CREATE TABLE records (
		id TEXT PRIMARY KEY,
		county_code TEXT NOT NULL,
		kind TEXT NOT NULL,
		site_code TEXT,
		name TEXT,
		category TEXT,
		lat REAL NOT NULL,
		lon REAL NOT NULL,
		status TEXT NOT NULL,
		revision INTEGER NOT NULL,
		owner_id INTEGER NOT NULL REFERENCES users(id),
		content TEXT NOT NULL,
		content_key TEXT NOT NULL,
		created_at TEXT NOT NULL,
		updated_at TEXT NOT NULL
	);
	CREATE INDEX records_county_status ON records(county_code, status);
	CREATE INDEX records_county_name ON records(county_code, name);
	CREATE INDEX records_lat ON records(lat);
	CREATE INDEX records_site ON records(site_code);
	CREATE INDEX records_owner ON records(owner_id);
	CREATE TABLE revisions (
		record_id TEXT NOT NULL REFERENCES records(id),
		revision INTEGER NOT NULL,
		at TEXT NOT NULL,
		by_user TEXT NOT NULL,
		action TEXT NOT NULL CHECK (action IN ('push', 'approve', 'return')),
		status TEXT NOT NULL,
		content TEXT,
		findings TEXT NOT NULL DEFAULT '[]',
		comments TEXT NOT NULL DEFAULT '[]',
		device_id TEXT,
		PRIMARY KEY (record_id, revision)
	);
	CREATE TABLE record_photos (
		record_id TEXT NOT NULL REFERENCES records(id),
		sha256 TEXT NOT NULL,
		PRIMARY KEY (record_id, sha256)
	);
	CREATE INDEX record_photos_sha ON record_photos(sha256);
	CREATE TABLE photos (
		sha256 TEXT PRIMARY KEY,
		size INTEGER NOT NULL,
		mime TEXT NOT NULL,
		uploaded_by INTEGER REFERENCES users(id),
		uploaded_at TEXT NOT NULL
	);
	CREATE TABLE changes (
		seq INTEGER PRIMARY KEY AUTOINCREMENT,
		type TEXT NOT NULL CHECK (type IN ('record', 'site')),
		county_code TEXT NOT NULL,
		record_id TEXT,
		owner_id INTEGER,
		payload TEXT NOT NULL,
		at TEXT NOT NULL
	);
	CREATE INDEX changes_county ON changes(county_code, seq);
	CREATE TABLE meta (
		key TEXT PRIMARY KEY,
		value TEXT NOT NULL
	);
	`,
	// 2: what each device last reported (unsent records, oldest unsent, app version)
	`
	ALTER TABLE devices ADD COLUMN last_report_at TEXT;
	ALTER TABLE devices ADD COLUMN unsent INTEGER;
	ALTER TABLE devices ADD COLUMN oldest_unsent_at TEXT;
	ALTER TABLE devices ADD COLUMN app_version TEXT;
	ALTER TABLE devices ADD COLUMN user_agent TEXT;
	CREATE INDEX tokens_device ON tokens(device_id);
	`,
	// 3: a device revoked by a city reviewer stays revoked (issue 10 point 7)
	`
	ALTER TABLE devices ADD COLUMN revoked_at TEXT;
	`
];
