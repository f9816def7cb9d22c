import { createHash } from 'node:crypto';
import {
	closeSync,
	existsSync,
	fsyncSync,
	fstatSync,
	openSync,
	readFileSync,
	readSync,
	writeSync
} from 'node:fs';
import { dirname, join } from 'node:path';
import type { Kysely } from 'kysely';
import type { Db } from './connection.js';
import type { AuditLogTable, RegistryImportsTable, RevisionsTable } from './schema.js';

/**
 * The tamper-evident history (contract §6): every stored revision (an accepted push or a
 * decision) appends one entry to `audit_log` in the transaction that stores it. Each entry
 * carries the hash of the entry before it and its own hash over a canonical serialization of
 * its content, so changing, inserting or removing an entry in the middle breaks the chain. The
 * chain's head is also appended, after each commit, to a file beside the database
 * (`DATA_DIR/audit-head.log`), which catches what the chain alone cannot: removing the last
 * entries, or rewriting the whole table with recomputed hashes.
 */

export const AUDIT_HEAD_FILE = 'audit-head.log';
/** The `prev_hash` of the first entry. */
export const GENESIS_HASH = '0'.repeat(64);
/** Names the serialization below; a new one would name itself differently. */
const FORMAT = 'ordos-audit/1';

export type AuditAction = AuditLogTable['action'];

/** The actions of a registry import (issue 13): the entry's `record_id` is the import's id. */
export const IMPORT_ACTIONS = ['import_sites', 'import_counties'] as const;

/**
 * What a registry import's entry hashes (`body_sha256`): the JSON array
 * `[kind, file_sha256, counts, changes]` of its stored row, so what it changed cannot be
 * rewritten unseen.
 */
export function importBodySha256(
	row: Pick<RegistryImportsTable, 'kind' | 'file_sha256' | 'counts' | 'changes'>
): string {
	return sha256Hex(JSON.stringify([row.kind, row.file_sha256, row.counts, row.changes]));
}

export type AuditEntry = {
	seq: number;
	at: string;
	actor: string;
	action: AuditAction;
	recordId: string;
	revision: number;
	/**
	 * SHA-256 of the revision's stored content (push), content and reason (correct) or decision
	 * body (approve/return): `revisionBodySha256`.
	 */
	bodySha256: string;
	prevHash: string;
	hash: string;
};

export type ChainHead = { seq: number; hash: string };

export function sha256Hex(text: string): string {
	return createHash('sha256').update(text, 'utf8').digest('hex');
}

/**
 * What an entry's `body_sha256` covers, from the revision row as stored: a push's or a
 * correction's record content (the JSON text in `revisions.content`), a decision's status with its comments (the JSON text in
 * `revisions.comments`) as the JSON array `[status, comments]`.
 */
export function revisionBodySha256(revision: {
	content: string | null;
	status: string;
	comments: string;
	/** A correction's reason: hashed with its content, so the reason cannot be rewritten unseen. */
	reason?: string | null;
}): string {
	if (revision.content === null)
		return sha256Hex(JSON.stringify([revision.status, revision.comments]));
	return revision.reason != null
		? sha256Hex(JSON.stringify([revision.content, revision.reason]))
		: sha256Hex(revision.content);
}

/**
 * An entry's hash: SHA-256 (hex) of the JSON array
 * `["ordos-audit/1", seq, at, actor, action, recordId, revision, bodySha256, prevHash]`.
 * Every element is a string or an integer, so the text is the same wherever it is computed.
 */
export function entryHash(entry: Omit<AuditEntry, 'hash'>): string {
	return sha256Hex(
		JSON.stringify([
			FORMAT,
			entry.seq,
			entry.at,
			entry.actor,
			entry.action,
			entry.recordId,
			entry.revision,
			entry.bodySha256,
			entry.prevHash
		])
	);
}

function toEntry(row: AuditLogTable): AuditEntry {
	return {
		seq: row.seq,
		at: row.at,
		actor: row.actor,
		action: row.action,
		recordId: row.record_id,
		revision: row.revision,
		bodySha256: row.body_sha256,
		prevHash: row.prev_hash,
		hash: row.hash
	};
}

/** The audit log of one database. */
export class AuditRepository {
	/** The head this repository last appended (DataStore.write writes it to the head file). */
	appended: ChainHead | undefined;

	constructor(private readonly db: Db) {}

	async head(): Promise<ChainHead | undefined> {
		return this.db
			.selectFrom('audit_log')
			.select(['seq', 'hash'])
			.orderBy('seq', 'desc')
			.limit(1)
			.executeTakeFirst();
	}

	/**
	 * Appends the entry of a revision just stored. Call inside DataStore.write, whose lock (SQLite's
	 * single writer, PostgreSQL's advisory lock) makes the head read here the head it extends.
	 */
	async append(input: Omit<AuditEntry, 'seq' | 'prevHash' | 'hash'>): Promise<AuditEntry> {
		const head = await this.head();
		const unhashed = {
			...input,
			seq: (head?.seq ?? 0) + 1,
			prevHash: head?.hash ?? GENESIS_HASH
		};
		const entry = { ...unhashed, hash: entryHash(unhashed) };
		await this.db.insertInto('audit_log').values(toRow(entry)).execute();
		this.appended = { seq: entry.seq, hash: entry.hash };
		return entry;
	}

	/**
	 * Appends the entries of many revisions just stored, in the order given, as `append` would one
	 * by one (the same seqs and hashes), with one read of the head and inserts in batches: a
	 * publish appends thousands (registry/publish.ts). Call inside DataStore.write.
	 */
	async appendMany(
		inputs: readonly Omit<AuditEntry, 'seq' | 'prevHash' | 'hash'>[]
	): Promise<void> {
		if (inputs.length === 0) return;
		let head = await this.head();
		const rows: AuditLogTable[] = [];
		for (const input of inputs) {
			const unhashed = {
				...input,
				seq: (head?.seq ?? 0) + 1,
				prevHash: head?.hash ?? GENESIS_HASH
			};
			const entry = { ...unhashed, hash: entryHash(unhashed) };
			rows.push(toRow(entry));
			head = { seq: entry.seq, hash: entry.hash };
		}
		for (let i = 0; i < rows.length; i += 500)
			await this.db
				.insertInto('audit_log')
				.values(rows.slice(i, i + 500))
				.execute();
		this.appended = head;
	}

	/**
	 * Appends the chain's head to the head file at `path` when the file is missing (a database
	 * just upgraded: its chain was seeded) or behind the database but agreeing with it (a crash
	 * between a commit and its append). A file that disagrees is left as it is, for the check to
	 * report.
	 */
	async anchorHead(path: string): Promise<void> {
		const head = await this.head();
		if (!head) return;
		const file = readHeadFile(path);
		if (!file.ok) return;
		const last = file.anchors.reduce((a, b) => (b.seq > a.seq ? b : a), { seq: 0, hash: '' });
		if (last.seq >= head.seq) return;
		if (last.seq > 0) {
			const anchored = await this.db
				.selectFrom('audit_log')
				.select('hash')
				.where('seq', '=', last.seq)
				.executeTakeFirst();
			if (anchored?.hash !== last.hash) return;
		}
		appendHead(path, head);
	}

	/** Entries after `afterSeq` in seq order, each with the revision row it names (if any). */
	async page(afterSeq: number, limit: number) {
		const rows = await this.db
			.selectFrom('audit_log as a')
			.leftJoin('revisions as r', (join) =>
				join.onRef('r.record_id', '=', 'a.record_id').onRef('r.revision', '=', 'a.revision')
			)
			.leftJoin('registry_imports as i', (join) =>
				join.onRef('i.id', '=', 'a.record_id').on('a.action', 'in', [...IMPORT_ACTIONS])
			)
			.selectAll('a')
			.select([
				'i.id as i_id',
				'i.at as i_at',
				'i.by_user as i_by',
				'i.kind as i_kind',
				'i.file_sha256 as i_file_sha256',
				'i.counts as i_counts',
				'i.changes as i_changes',
				'r.at as r_at',
				'r.by_user as r_by',
				'r.action as r_action',
				'r.status as r_status',
				'r.content as r_content',
				'r.comments as r_comments',
				'r.reason as r_reason',
				'r.record_id as r_record_id'
			])
			.where('a.seq', '>', afterSeq)
			.orderBy('a.seq')
			.limit(limit)
			.execute();
		return rows.map((row) => ({
			entry: toEntry(row),
			revision:
				row.i_id !== null
					? {
							at: row.i_at!,
							by: row.i_by!,
							action: `import_${row.i_kind!}`,
							bodySha256: importBodySha256({
								kind: row.i_kind!,
								file_sha256: row.i_file_sha256!,
								counts: row.i_counts!,
								changes: row.i_changes!
							})
						}
					: row.r_record_id === null
						? undefined
						: {
								at: row.r_at!,
								by: row.r_by!,
								action: row.r_action!,
								bodySha256: revisionBodySha256({
									content: row.r_content,
									status: row.r_status!,
									comments: row.r_comments!,
									reason: row.r_reason
								})
							}
		}));
	}

	/** The first registry import (in time) that has no entry, if any. */
	async unloggedImport(): Promise<{ recordId: string; revision: number } | undefined> {
		const row = await this.db
			.selectFrom('registry_imports as i')
			.leftJoin('audit_log as a', (join) =>
				join.onRef('a.record_id', '=', 'i.id').on('a.action', 'in', [...IMPORT_ACTIONS])
			)
			.select('i.id')
			.where('a.seq', 'is', null)
			.orderBy('i.at')
			.orderBy('i.id')
			.limit(1)
			.executeTakeFirst();
		return row && { recordId: row.id, revision: 1 };
	}

	/** The first revision (in time) that has no entry, if any. */
	async unlogged(): Promise<{ recordId: string; revision: number } | undefined> {
		const row = await this.db
			.selectFrom('revisions as r')
			.leftJoin('audit_log as a', (join) =>
				join.onRef('a.record_id', '=', 'r.record_id').onRef('a.revision', '=', 'r.revision')
			)
			.select(['r.record_id', 'r.revision'])
			.where('a.seq', 'is', null)
			.orderBy('r.at')
			.orderBy('r.record_id')
			.orderBy('r.revision')
			.limit(1)
			.executeTakeFirst();
		return row && { recordId: row.record_id, revision: row.revision };
	}
}

function toRow(entry: AuditEntry): AuditLogTable {
	return {
		seq: entry.seq,
		at: entry.at,
		actor: entry.actor,
		action: entry.action,
		record_id: entry.recordId,
		revision: entry.revision,
		body_sha256: entry.bodySha256,
		prev_hash: entry.prevHash,
		hash: entry.hash
	};
}

/** The two tables the migration that creates the log reads and writes. */
type SeedTables = {
	revisions: Omit<RevisionsTable, 'findings' | 'comments'> & { comments: string };
	audit_log: AuditLogTable;
};

const SEED_PAGE = 500;

/**
 * Fills a new, empty audit log from the revisions a database already holds, in the order they
 * were stored (time, then record and revision), so an upgraded server has a complete chain.
 * Runs inside migration 0005_audit.
 */
export async function seedAuditLog(migrating: Kysely<unknown>): Promise<number> {
	const db = migrating as unknown as Kysely<SeedTables>;
	let head: ChainHead | undefined;
	let after: { at: string; record_id: string; revision: number } | undefined;
	for (;;) {
		const page = await db
			.selectFrom('revisions')
			.select(['record_id', 'revision', 'at', 'by_user', 'action', 'status', 'content', 'comments'])
			.$if(after !== undefined, (q) =>
				q.where((eb) =>
					eb.or([
						eb('at', '>', after!.at),
						eb.and([eb('at', '=', after!.at), eb('record_id', '>', after!.record_id)]),
						eb.and([
							eb('at', '=', after!.at),
							eb('record_id', '=', after!.record_id),
							eb('revision', '>', after!.revision)
						])
					])
				)
			)
			.orderBy('at')
			.orderBy('record_id')
			.orderBy('revision')
			.limit(SEED_PAGE)
			.execute();
		for (const row of page) {
			const unhashed = {
				seq: (head?.seq ?? 0) + 1,
				at: row.at,
				actor: row.by_user,
				action: row.action,
				recordId: row.record_id,
				revision: row.revision,
				bodySha256: revisionBodySha256(row),
				prevHash: head?.hash ?? GENESIS_HASH
			};
			const hash = entryHash(unhashed);
			await db
				.insertInto('audit_log')
				.values(toRow({ ...unhashed, hash }))
				.execute();
			head = { seq: unhashed.seq, hash };
		}
		if (page.length < SEED_PAGE) return head?.seq ?? 0;
		after = page.at(-1)!;
	}
}

// ---- the head file ---------------------------------------------------------------------------

export type HeadLine = { line: number; seq: number; hash: string };

export type HeadFile =
	| { ok: true; exists: boolean; anchors: HeadLine[]; torn: number }
	| { ok: false; line: number; text: string };

const HEAD_LINE = /^(\d+) ([0-9a-f]{64})$/;
/** A line cut short: what a crash in the middle of an append leaves (a prefix of a whole one). */
const TORN_LINE = /^\d*( [0-9a-f]{0,63})?$/;

export function headFilePath(dataDir: string): string {
	return join(dataDir, AUDIT_HEAD_FILE);
}

/**
 * Reads the head file: one `<seq> <hash>` line per commit that appended to the chain. A line
 * that is only the beginning of such a line is a write cut short by a crash: skipped, counted
 * in `torn`. Any other line makes the file unreadable.
 */
export function readHeadFile(path: string): HeadFile {
	if (!existsSync(path)) return { ok: true, exists: false, anchors: [], torn: 0 };
	const lines = readFileSync(path, 'utf8').split('\n');
	if (lines.at(-1) === '') lines.pop();
	const anchors: HeadLine[] = [];
	let torn = 0;
	for (const [i, line] of lines.entries()) {
		const match = HEAD_LINE.exec(line);
		if (match) anchors.push({ line: i + 1, seq: Number(match[1]), hash: match[2]! });
		else if (TORN_LINE.test(line)) torn++;
		else return { ok: false, line: i + 1, text: line.slice(0, 100) };
	}
	return { ok: true, exists: true, anchors, torn };
}

/**
 * Appends `head` to the head file and fsyncs it (and, when this creates the file, its folder).
 * A line left without its newline by an earlier crash is closed first, so it stays one torn
 * line that readers skip instead of gluing onto this one.
 */
export function appendHead(path: string, head: ChainHead): void {
	const created = !existsSync(path);
	const fd = openSync(path, 'a+');
	try {
		let prefix = '';
		const size = fstatSync(fd).size;
		if (size > 0) {
			const lastByte = Buffer.alloc(1);
			readSync(fd, lastByte, 0, 1, size - 1);
			if (lastByte[0] !== 0x0a) prefix = '\n';
		}
		writeSync(fd, `${prefix}${head.seq} ${head.hash}\n`);
		fsyncSync(fd);
	} finally {
		closeSync(fd);
	}
	if (created) {
		const dir = openSync(dirname(path), 'r');
		try {
			fsyncSync(dir);
		} finally {
			closeSync(dir);
		}
	}
}
