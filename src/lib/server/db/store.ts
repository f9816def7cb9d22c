import { sql } from 'kysely';
import type BetterSqlite3 from 'better-sqlite3';
import { connect, type DatabaseConfig, type Db, type DialectName } from './connection.js';
import { ChangeFeed } from './changes.js';
import { PhotoRepository } from './photos.js';
import { RecordRepository } from './records.js';
import { RegistryRepository, type RegistryCache } from './registry.js';
import { ReviewQueueRepository } from './review-queue.js';
import { SampleRepository } from './samples.js';
import { TeamRepository } from './teams.js';
import { RegistryVersionRepository } from './registry-versions.js';
import { RegistryImportRepository } from './registry-imports.js';
import { UserRepository } from './users.js';
import { AuditRepository, appendHead, headFilePath } from './audit.js';

/**
 * Key of the advisory lock every writing transaction on PostgreSQL takes first (`write`).
 *
 * Why: the change feed's seq comes from a sequence, and with several writers (connections of
 * one process, or several processes) a transaction can take seq 11 and commit after another
 * took 12 and committed. A reader that pulled up to 12 in between would never see 11: its cursor
 * skips a row. Holding one transaction-scoped lock from a writer's first statement to its commit
 * makes the writers take turns, so seq order is commit order, exactly as SQLite's single writer
 * gives it. The same turn-taking makes the push's baseRevision check and its write see one
 * revision (the row is also locked FOR UPDATE), and lets two pushes of a new id meet in order.
 */
const WRITE_LOCK = 7_295_101_002;

/** What one process shares between the DataStores of its transactions. */
type Shared = { dialect: DialectName; registryCache: RegistryCache; auditHeadFile: string };

/**
 * The server's data layer: the repositories over one database (SQLite or PostgreSQL), and its
 * transactions. `write` and `read` hand their callback a DataStore whose repositories run inside
 * that transaction.
 */
export class DataStore {
	readonly users: UserRepository;
	readonly records: RecordRepository;
	readonly registry: RegistryRepository;
	readonly photos: PhotoRepository;
	readonly feed: ChangeFeed;
	readonly audit: AuditRepository;
	readonly reviewQueue: ReviewQueueRepository;
	readonly samples: SampleRepository;
	readonly teams: TeamRepository;
	readonly registryVersions: RegistryVersionRepository;
	readonly registryImports: RegistryImportRepository;
	readonly #shared: Shared;
	readonly #inTransaction: boolean;

	private constructor(
		readonly db: Db,
		shared: Shared,
		inTransaction: boolean,
		/** The better-sqlite3 handle (SQLite only, outside transactions): backups use it. */
		readonly sqlite?: BetterSqlite3.Database
	) {
		this.#shared = shared;
		this.#inTransaction = inTransaction;
		this.feed = new ChangeFeed(db);
		this.audit = new AuditRepository(db);
		this.users = new UserRepository(db);
		this.records = new RecordRepository(db, this.feed, shared.dialect, this.audit);
		this.registry = new RegistryRepository(db, this.feed, shared.registryCache);
		this.photos = new PhotoRepository(db);
		this.reviewQueue = new ReviewQueueRepository(db);
		this.samples = new SampleRepository(db);
		this.teams = new TeamRepository(db);
		this.registryVersions = new RegistryVersionRepository(db, shared.dialect);
		this.registryImports = new RegistryImportRepository(db, this.audit);
	}

	/**
	 * Opens the database (PostgreSQL when `config.url` is set) and migrates it. Then, unless
	 * `anchorAudit` is false (the audit check, backups), writes the audit chain's head to the
	 * head file when the file lacks it but agrees with the database (anchorHead).
	 */
	static async open(
		config: DatabaseConfig,
		options: { anchorAudit?: boolean } = {}
	): Promise<DataStore> {
		const { db, dialect, sqlite } = await connect(config);
		const auditHeadFile = headFilePath(config.dataDir);
		const store = new DataStore(
			db,
			{ dialect, registryCache: new Map(), auditHeadFile },
			false,
			sqlite
		);
		if (options.anchorAudit !== false) {
			try {
				await store.anchorHead();
			} catch (error) {
				await store.close();
				throw error;
			}
		}
		return store;
	}

	/** The audit chain's head into the head file, when the file lacks it (AuditRepository). */
	async anchorHead(): Promise<void> {
		await this.audit.anchorHead(this.#shared.auditHeadFile);
	}

	/**
	 * After a commit: the head the transaction appended to the audit chain goes to the head file.
	 * The rows are committed whatever happens here; a failed append is reported and the next
	 * commit's line (or the next open) anchors the chain again.
	 */
	#anchorCommitted(tx: DataStore | undefined): void {
		const head = tx?.audit.appended;
		if (!head) return;
		try {
			appendHead(this.#shared.auditHeadFile, head);
		} catch (error) {
			console.error(
				`[audit] 审计链头写入失败 / could not append the audit head ${head.seq}: ${(error as Error).message}`
			);
		}
	}

	get dialect(): DialectName {
		return this.#shared.dialect;
	}

	/**
	 * Runs `work` in one writing transaction: all of it is stored, or (it throws) none.
	 * SQLite: `BEGIN IMMEDIATE`, the write lock from the start, so a transaction that reads first
	 * never meets another writer's commit when it comes to write (another process, such as the
	 * command-line import; this process has one connection). PostgreSQL: the advisory lock above.
	 * Inside a transaction, runs `work` in it.
	 */
	async write<T>(work: (tx: DataStore) => Promise<T>): Promise<T> {
		if (this.#inTransaction) return work(this);
		let tx: DataStore | undefined;
		if (this.dialect === 'postgres') {
			const result = await this.db.transaction().execute(async (trx) => {
				await sql`SELECT pg_advisory_xact_lock(${WRITE_LOCK})`.execute(trx);
				tx = new DataStore(trx, this.#shared, true);
				return work(tx);
			});
			this.#anchorCommitted(tx);
			return result;
		}
		const result = await this.db.connection().execute(async (conn) => {
			await sql`BEGIN IMMEDIATE`.execute(conn);
			try {
				tx = new DataStore(conn, this.#shared, true);
				const result = await work(tx);
				await sql`COMMIT`.execute(conn);
				return result;
			} catch (error) {
				await sql`ROLLBACK`.execute(conn);
				throw error;
			}
		});
		this.#anchorCommitted(tx);
		return result;
	}

	/**
	 * Runs `work` on one snapshot of the database: what it reads in several queries (the feed and
	 * its end) comes from one moment. PostgreSQL: a REPEATABLE READ, read-only transaction.
	 */
	async read<T>(work: (tx: DataStore) => Promise<T>): Promise<T> {
		if (this.#inTransaction) return work(this);
		let builder = this.db.transaction();
		if (this.dialect === 'postgres')
			builder = builder.setIsolationLevel('repeatable read').setAccessMode('read only');
		return builder.execute((trx) => work(new DataStore(trx, this.#shared, true)));
	}

	/** Asks the database something: it answers. */
	async probe(): Promise<void> {
		await sql`SELECT 1`.execute(this.db);
	}

	async close(): Promise<void> {
		await this.db.destroy();
	}
}

export type { DatabaseConfig, DialectName } from './connection.js';
