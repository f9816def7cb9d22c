/**
 * The tamper-evident history (issue 12 point 6, contract §6): pushes and decisions make an audit
 * chain that `npm run audit:verify` finds intact; a changed entry, deleted last entries and a
 * table rewritten with recomputed hashes each make it fail and name the first broken entry; a
 * head file merely behind the database (a crash between commit and append) does not.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Selectable } from 'kysely';
import { DataStore } from '$lib/server/db/store.js';
import { AUDIT_HEAD_FILE, entryHash, GENESIS_HASH } from '$lib/server/db/audit.js';
import type { AuditLogTable } from '$lib/server/db/schema.js';
import { recheckOf, TestServer } from './harness.js';

type Run = { code: number; out: string };

function tool(script: string, args: string[], env: Record<string, string>): Promise<Run> {
	return new Promise((resolve) => {
		const child = spawn(join('node_modules', '.bin', 'tsx'), [script, ...args], {
			env: { ...process.env, ...env },
			stdio: ['ignore', 'pipe', 'pipe']
		});
		let out = '';
		child.stdout.on('data', (d: Buffer) => (out += d.toString()));
		child.stderr.on('data', (d: Buffer) => (out += d.toString()));
		child.on('exit', (code) => resolve({ code: code ?? -1, out }));
	});
}

let server: TestServer;
const scratch = mkdtempSync(join(tmpdir(), 'survey-audit-'));

/** `npm run audit:verify` on the server's data (its DATA_DIR and, on PostgreSQL, DATABASE_URL). */
const verify = (env: Record<string, string> = {}) =>
	tool('scripts/audit-verify.ts', [], {
		DATA_DIR: server.dataDir,
		...server.databaseEnv,
		...env
	});

/** Runs `work` on the server's database through the data layer. */
async function withStore<T>(work: (store: DataStore) => Promise<T>): Promise<T> {
	const store = await server.openStore();
	try {
		return await work(store);
	} finally {
		await store.close();
	}
}

const auditRows = () =>
	withStore((store) => store.db.selectFrom('audit_log').selectAll().orderBy('seq').execute());

/** Puts the audit table back as `rows` were (after a tampering test). */
const restoreRows = (rows: Selectable<AuditLogTable>[]) =>
	withStore((store) =>
		store.write(async (tx) => {
			await tx.db.deleteFrom('audit_log').execute();
			for (const row of rows) await tx.db.insertInto('audit_log').values(row).execute();
		})
	);

let entries: Selectable<AuditLogTable>[];

beforeAll(async () => {
	server = await TestServer.start();
	const surveyor = await server.as('surveyor-150626');
	const reviewer = await server.as('reviewer-150626');
	const city = await server.as('city');
	const sites = await server.sites('150626');
	// three records in one push, a second revision of one, then decisions by both levels
	const records = [];
	for (const site of sites.slice(0, 3))
		records.push(recheckOf(site, await server.uploadPhotos(surveyor, 2)));
	const pushed = await server.push(surveyor, records);
	expect(pushed.map((r) => r.status)).toEqual(['accepted', 'accepted', 'accepted']);
	const [a, b, c] = records as [(typeof records)[0], (typeof records)[0], (typeof records)[0]];
	expect(
		(await server.pushOne(surveyor, { ...b, baseRevision: 1, address: `${b.address}。` })).status
	).toBe('accepted');
	const decide = (id: string, body: unknown, token: string) =>
		server.post(`/api/records/${id}/decision`, body, token);
	expect((await decide(a.id, { decision: 'approve', revision: 1 }, reviewer)).status).toBe(200);
	expect((await decide(a.id, { decision: 'approve', revision: 2 }, city)).status).toBe(200);
	expect(
		(
			await decide(
				c.id,
				{ decision: 'return', revision: 1, comments: [{ message: '请补拍近景' }] },
				reviewer
			)
		).status
	).toBe(200);
	entries = await auditRows();
});
afterAll(async () => {
	await server?.stop();
	rmSync(scratch, { recursive: true, force: true });
});

/** Writes `user` as the author of revision 3 of `recordId`, straight into the database. */
async function setRevisionAuthor(recordId: string, user: string): Promise<void> {
	await withStore((store) =>
		store.db
			.updateTable('revisions')
			.set({ by_user: user })
			.where('record_id', '=', recordId)
			.where('revision', '=', 3)
			.execute()
	);
}

describe('audit chain', () => {
	it('logs every push and decision, in order, and verifies intact (exit 0)', async () => {
		expect(entries.map((e) => [e.seq, e.action, e.actor])).toEqual([
			[1, 'push', 'surveyor-150626'],
			[2, 'push', 'surveyor-150626'],
			[3, 'push', 'surveyor-150626'],
			[4, 'push', 'surveyor-150626'],
			[5, 'approve', 'reviewer-150626'],
			[6, 'approve', 'city'],
			[7, 'return', 'reviewer-150626']
		]);
		expect(entries[0]!.prev_hash).toBe(GENESIS_HASH);
		const revisions = await withStore((store) =>
			store.db.selectFrom('revisions').select(['record_id', 'revision']).execute()
		);
		expect(revisions).toHaveLength(entries.length);
		// one head line per commit: the push of three, the second push, three decisions
		const head = readFileSync(join(server.dataDir, AUDIT_HEAD_FILE), 'utf8');
		expect(head.trim().split('\n')).toEqual(
			[3, 4, 5, 6, 7].map((seq) => `${seq} ${entries[seq - 1]!.hash}`)
		);
		const run = await verify();
		expect(run.code, run.out).toBe(0);
		expect(run.out).toContain('audit chain intact: 7 条 entries');
	});

	it('names the entry whose row was changed in the database (exit 1)', async () => {
		const victim = entries[4]!;
		await withStore((store) =>
			store.db.updateTable('audit_log').set({ actor: 'mallory' }).where('seq', '=', 5).execute()
		);
		const run = await verify();
		await restoreRows(entries);
		expect(run.code, run.out).toBe(1);
		expect(run.out).toContain('AUDIT CHAIN BROKEN');
		expect(run.out).toContain(`entry seq 5 · 记录 / record ${victim.record_id} · 第 2 版`);
		expect(run.out).toContain('entry altered');
	});

	it('names the entry whose revision was changed behind the log (exit 1)', async () => {
		const victim = entries[1]!;
		const original = await withStore((store) =>
			store.db
				.selectFrom('revisions')
				.select('content')
				.where('record_id', '=', victim.record_id)
				.where('revision', '=', 1)
				.executeTakeFirstOrThrow()
		);
		const setContent = (content: string | null) =>
			withStore((store) =>
				store.db
					.updateTable('revisions')
					.set({ content })
					.where('record_id', '=', victim.record_id)
					.where('revision', '=', 1)
					.execute()
			);
		// still valid JSON, one space more: another hash
		await setContent(`${original.content!} `);
		const run = await verify();
		await setContent(original.content);
		expect(run.code, run.out).toBe(1);
		expect(run.out).toContain(`entry seq 2 · 记录 / record ${victim.record_id}`);
		expect(run.out).toContain('revision altered');
	});

	it('catches deleted last entries through the head file (exit 1)', async () => {
		// the entries and the revisions they record: nothing in the database is left to notice
		const last = entries.slice(5);
		const revisions = await withStore(async (store) => {
			const rows = [];
			for (const e of last) {
				const where = store.db
					.selectFrom('revisions')
					.selectAll()
					.where('record_id', '=', e.record_id)
					.where('revision', '=', e.revision);
				rows.push(await where.executeTakeFirstOrThrow());
				await store.db
					.deleteFrom('revisions')
					.where('record_id', '=', e.record_id)
					.where('revision', '=', e.revision)
					.execute();
			}
			await store.db.deleteFrom('audit_log').where('seq', '>=', 6).execute();
			return rows;
		});
		const run = await verify();
		await restoreRows(entries);
		await withStore((store) => store.db.insertInto('revisions').values(revisions).execute());
		expect(run.code, run.out).toBe(1);
		expect(run.out).toContain('entry seq 6');
		expect(run.out).toContain('the last entries were deleted');
	});

	it('catches a table rewritten with recomputed hashes through the head file (exit 1)', async () => {
		// a consistent chain in which the city never approved: entry 6 says the reviewer did
		let previous = GENESIS_HASH;
		const forged = entries.map((row) => {
			const unhashed = {
				seq: row.seq,
				at: row.at,
				actor: row.seq === 6 ? 'reviewer-150626' : row.actor,
				action: row.action,
				recordId: row.record_id,
				revision: row.revision,
				bodySha256: row.body_sha256,
				prevHash: previous
			};
			previous = entryHash(unhashed);
			return { ...row, actor: unhashed.actor, prev_hash: unhashed.prevHash, hash: previous };
		});
		await setRevisionAuthor(entries[5]!.record_id, 'reviewer-150626');
		await restoreRows(forged);
		const run = await verify();
		await restoreRows(entries);
		await setRevisionAuthor(entries[5]!.record_id, 'city');
		expect(run.code, run.out).toBe(1);
		expect(run.out).toContain(`entry seq 6 · 记录 / record ${entries[5]!.record_id}`);
		expect(run.out).toContain('the table was rewritten at or before it');
	});

	it('accepts a head file behind the database (crash between commit and append), exit 0', async () => {
		const path = join(server.dataDir, AUDIT_HEAD_FILE);
		const full = readFileSync(path, 'utf8');
		// the last commit's line never written, and the one before it cut short
		const lines = full.trim().split('\n');
		writeFileSync(path, `${lines.slice(0, -2).join('\n')}\n${lines.at(-2)!.slice(0, 20)}`);
		const run = await verify();
		writeFileSync(path, full);
		expect(run.code, run.out).toBe(0);
		expect(run.out).toContain('the last 2 entries are not in the head file yet');
		expect(run.out).toContain('1 head-file lines were cut short');
	});

	it('is intact again after the tampering was undone, and so is a server backup', async () => {
		const run = await verify();
		expect(run.code, run.out).toBe(0);
		const backup = join(scratch, 'backup');
		const taken = await tool('scripts/admin.ts', ['backup', backup], {
			DATA_DIR: server.dataDir,
			...server.databaseEnv
		});
		expect(taken.code, taken.out).toBe(0);
		expect(existsSync(join(backup, AUDIT_HEAD_FILE))).toBe(true);
		// the backup is a SQLite data directory whichever database the server runs on
		const ofBackup = await tool('scripts/audit-verify.ts', ['--data-dir', backup], {
			DATABASE_URL: ''
		});
		expect(ofBackup.code, ofBackup.out).toBe(0);
		expect(ofBackup.out).toContain('audit chain intact: 7 条 entries');
	});
});
