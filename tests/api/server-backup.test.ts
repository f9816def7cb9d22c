/**
 * Server backup and restore (issue 5 point 5): a backup taken with the command-line tool while a
 * device syncs 200 records restores into a new DATA_DIR whose server answers every record and
 * photo the backup holds; the check command finds a photo corrupted on disk.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataStore } from '$lib/server/db/store.js';
import { tableRows } from '$lib/server/db/copy.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dropDatabase, freshDatabase, recheckOf, TestServer } from './harness.js';
import { sha256Hex, uniqueJpeg } from '../fixtures/builders.js';

function admin(
	args: string[],
	env: Record<string, string>
): Promise<{ code: number; out: string }> {
	return new Promise((resolve) => {
		const child = spawn(join('node_modules', '.bin', 'tsx'), ['scripts/admin.ts', ...args], {
			env: { ...process.env, ...env },
			stdio: ['ignore', 'pipe', 'pipe']
		});
		let out = '';
		child.stdout.on('data', (d: Buffer) => (out += d.toString()));
		child.stderr.on('data', (d: Buffer) => (out += d.toString()));
		child.on('exit', (code) => resolve({ code: code ?? -1, out }));
	});
}

const RECORDS = 200;
const BATCH = 10;

describe('server backup while a sync runs', () => {
	let server: TestServer;
	let restored: TestServer | undefined;
	/** On PostgreSQL, the empty database the backup is restored into. */
	let restoredDb: Record<string, string> = {};
	const scratch = mkdtempSync(join(tmpdir(), 'survey-backup-'));
	const backupDir = join(scratch, 'backup');
	const restoredDir = join(scratch, 'restored');

	beforeAll(async () => {
		server = await TestServer.start();
	});
	afterAll(async () => {
		await server?.stop();
		await restored?.stop();
		await dropDatabase(restoredDb);
		rmSync(scratch, { recursive: true, force: true });
	});

	it('restores to a server that answers every record and photo of the backup', async () => {
		const token = await server.as('surveyor-150627');
		const sites = (await server.sites('150627')).slice(0, 50);
		const records = Array.from({ length: RECORDS }, (_, i) => ({
			site: sites[i % sites.length]!,
			i
		}));

		// the sync: photos first, then the batch, one batch after another
		let pushed = 0;
		const sync = (async () => {
			for (let start = 0; start < RECORDS; start += BATCH) {
				const batch = [];
				for (const { site } of records.slice(start, start + BATCH)) {
					const photos = [];
					for (let p = 0; p < 2; p++)
						photos.push((await server.uploadPhoto(token, uniqueJpeg())).sha256);
					batch.push(recheckOf(site, photos));
				}
				const results = await server.push(token, batch);
				expect(results.map((r) => r.status)).toEqual(batch.map(() => 'accepted'));
				pushed += batch.length;
			}
		})();
		// the backup starts once the sync is well under way
		while (pushed < 40) await new Promise((r) => setTimeout(r, 20));
		const backup = await admin(['backup', backupDir], {
			DATA_DIR: server.dataDir,
			...server.databaseEnv
		});
		const pushedWhenDone = pushed;
		await sync;
		expect(backup.code, backup.out).toBe(0);
		// it really ran during the sync
		expect(pushedWhenDone).toBeLessThan(RECORDS);

		// the backup is a SQLite file whichever database the server runs on
		const copy = await DataStore.open({ dataDir: backupDir });
		const inBackup = (await tableRows(copy, 'records')).map((r) => ({
			id: r.id as string,
			revision: r.revision as number
		}));
		const photosInBackup = (await tableRows(copy, 'record_photos')).map((r) => r.sha256 as string);
		await copy.close();
		expect(inBackup.length).toBeGreaterThanOrEqual(40);

		restoredDb = await freshDatabase();
		const restore = await admin(['restore', backupDir], { DATA_DIR: restoredDir, ...restoredDb });
		expect(restore.code, restore.out).toBe(0);
		restored = await TestServer.start({ DATA_DIR: restoredDir, SEED_DEMO: '0', ...restoredDb });
		const city = await restored.as('city');
		for (const { id, revision } of inBackup) {
			const response = await restored.get(`/api/records/${id}`, city);
			expect(response.status).toBe(200);
			expect((response.json as { revision: number }).revision).toBe(revision);
		}
		for (const sha of photosInBackup) {
			const response = await fetch(`${restored.url}/api/photos/${sha}`, {
				headers: { authorization: `Bearer ${city}` }
			});
			expect(response.status).toBe(200);
			expect(sha256Hex(new Uint8Array(await response.arrayBuffer()))).toBe(sha);
		}
		await restored.stop();
		restored = undefined;

		// the check command passes on the restored data, then finds a corrupted photo
		const clean = await admin(['check'], { DATA_DIR: restoredDir, ...restoredDb });
		expect(clean.code, clean.out).toBe(0);
		const victim = photosInBackup[0]!;
		const path = join(restoredDir, 'photos', victim.slice(0, 2), victim);
		const bytes = readFileSync(path);
		bytes[bytes.length - 1] = bytes[bytes.length - 1]! ^ 0xff;
		writeFileSync(path, bytes);
		const dirty = await admin(['check'], { DATA_DIR: restoredDir, ...restoredDb });
		expect(dirty.code).toBe(1);
		expect(dirty.out).toContain(`损坏\t${victim}`);
		expect(readdirSync(join(restoredDir, 'photos', victim.slice(0, 2)))).toContain(victim);
	}, 300_000);
});
