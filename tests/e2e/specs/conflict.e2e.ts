import { mkdirSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { demoRegistry, expect, newDevice, test } from '../fixtures.js';
import { ConflictPage } from '../pages/conflict-page.js';
import { HomePage } from '../pages/home-page.js';
import { FieldLoginPage } from '../pages/login-page.js';
import { RecordPage } from '../pages/record/record-page.js';
import { SyncPage } from '../pages/sync-page.js';
import { E2E_DEMO_PASSWORD } from '../server-process.js';
import { recheck, serverRecord, tokenOf } from '../record-helpers.js';

const COUNTY = '150627';
const SURVEYOR = `surveyor-${COUNTY}`;
const SHOTS = '/tmp/shots-conflict';

async function logIn(page: Page): Promise<void> {
	await new HomePage(page).firstVisit();
	const login = new FieldLoginPage(page);
	await login.logIn(SURVEYOR, E2E_DEMO_PASSWORD);
	await expect(login.registry).toHaveAttribute('data-kind', 'server');
}

async function syncNow(page: Page, id: string, status: string): Promise<void> {
	const sync = new SyncPage(page);
	await sync.goto();
	await sync.syncNow();
	await expect(sync.row(id)).toHaveAttribute('data-status', status);
}

type Copy = { row: unknown; photos: unknown[]; blobs: { sha256: string; base64: string }[] };

/** One record with its photos, read from a device's IndexedDB (as a backup file carries it). */
async function exportRecord(page: Page, id: string): Promise<Copy> {
	return page.evaluate(async (recordId) => {
		const db = await new Promise<IDBDatabase>((resolve, reject) => {
			const open = indexedDB.open('ordos-survey');
			open.onsuccess = () => resolve(open.result);
			open.onerror = () => reject(open.error);
		});
		const all = <T>(store: string, query?: IDBKeyRange) =>
			new Promise<T[]>((resolve, reject) => {
				const req = db.transaction(store).objectStore(store).getAll(query);
				req.onsuccess = () => resolve(req.result as T[]);
				req.onerror = () => reject(req.error);
			});
		const [row] = await all<{ record: { photos: { sha256: string }[] } }>(
			'records',
			IDBKeyRange.bound(recordId, recordId)
		);
		const photos = await all('photos', IDBKeyRange.bound(`${recordId}:`, `${recordId}:\uffff`));
		const blobs = [];
		for (const { sha256 } of row!.record.photos) {
			const [stored] = await all<{ blob: Blob }>('photoBlobs', IDBKeyRange.bound(sha256, sha256));
			const bytes = new Uint8Array(await stored!.blob.arrayBuffer());
			let text = '';
			for (const b of bytes) text += String.fromCharCode(b);
			blobs.push({ sha256, base64: btoa(text) });
		}
		db.close();
		return { row, photos, blobs };
	}, id);
}

/** Puts a record read by `exportRecord` on another device, as restoring a backup would. */
async function importRecord(page: Page, copy: Copy): Promise<void> {
	await page.evaluate(async ({ row, photos, blobs }) => {
		const db = await new Promise<IDBDatabase>((resolve, reject) => {
			const open = indexedDB.open('ordos-survey');
			open.onsuccess = () => resolve(open.result);
			open.onerror = () => reject(open.error);
		});
		await new Promise<void>((resolve, reject) => {
			const tx = db.transaction(['records', 'photos', 'photoBlobs'], 'readwrite');
			tx.objectStore('records').put(row);
			for (const photo of photos) tx.objectStore('photos').put(photo);
			for (const { sha256, base64 } of blobs) {
				const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
				tx.objectStore('photoBlobs').put({
					sha256,
					blob: new Blob([bytes], { type: 'image/jpeg' })
				});
			}
			tx.oncomplete = () => resolve();
			tx.onerror = () => reject(tx.error);
		});
		db.close();
	}, copy);
}

/**
 * Two devices of the same county edit the same returned record offline: A the condition, B the
 * description. A syncs first; B's push meets A's revision and is a conflict. B resolves it field
 * by field — 简介 from its own version, 保存现状 from the server's — and the server ends with
 * exactly that.
 */
test('two devices edit one record offline; the second resolves the conflict field by field', async ({
	browser,
	request
}, info) => {
	test.setTimeout(180_000);
	mkdirSync(SHOTS, { recursive: true });
	const site = demoRegistry().filter((s) => s.countyCode === COUNTY)[5]!;
	const contextA = await newDevice(browser, info);
	const contextB = await newDevice(browser, info);
	const a = await contextA.newPage();
	const b = await contextB.newPage();
	const reviewer = await tokenOf(request, `reviewer-${COUNTY}`);

	// Device A records the re-check and sends it: revision 1.
	await logIn(a);
	const id = await recheck(a, site);
	await syncNow(a, id, '已送达');
	const original = await serverRecord(request, reviewer, id);
	expect(original).toMatchObject({ status: 'submitted', revision: 1 });

	// Device B holds the same record, acknowledged as revision 1 (restored from A's backup).
	await logIn(b);
	await importRecord(b, await exportRecord(a, id));

	// The reviewer returns it (revision 2); both devices bring the outcome and may edit it.
	const returned = await request.post(`/api/records/${id}/decision`, {
		headers: { authorization: `Bearer ${reviewer}` },
		data: { decision: 'return', revision: 1, comments: [{ message: '请核实保存现状与简介。' }] }
	});
	expect(returned.status()).toBe(200);
	await syncNow(a, id, '已退回');
	await syncNow(b, id, '已退回');

	// Both offline: A changes the condition, B the description, each through the form.
	await contextA.setOffline(true);
	await contextB.setOffline(true);
	const conditionA = original.record.condition === '差' ? '较好' : '差';
	const formA = new RecordPage(a);
	await formA.goto(id, 'condition');
	await formA.condition.chooseCondition(conditionA, { exact: true });
	await formA.finish();
	const descriptionB = `${original.record.description ?? ''}B 机补记：台地东缘新见夯土断面一处，长约6米。`;
	const formB = new RecordPage(b);
	await formB.goto(id, 'condition');
	await formB.condition.description.fill(descriptionB);
	await formB.finish();

	// A comes back first: accepted as revision 3.
	await contextA.setOffline(false);
	await syncNow(a, id, '已送达');
	expect(await serverRecord(request, reviewer, id)).toMatchObject({
		revision: 3,
		record: { condition: conditionA, description: original.record.description }
	});

	// B comes back: a conflict, shown in the list until decided; nothing was written.
	await contextB.setOffline(false);
	await syncNow(b, id, '冲突');
	const syncB = new SyncPage(b);
	await expect(syncB.row(id)).toContainText('冲突 待处理');
	await expect(syncB.conflicts).toBeVisible();
	expect((await serverRecord(request, reviewer, id)).revision).toBe(3);

	// Offline, the screen works from the server version stored with the conflict.
	await contextB.setOffline(true);
	await syncB.row(id).click();
	const conflict = new ConflictPage(b);
	await expect(b).toHaveURL(new RegExp(`/records/${id}/conflict$`));
	await expect(conflict.history).toHaveAttribute('data-state', 'offline');
	await expect(conflict.fields).toHaveCount(2);
	await b.screenshot({ path: `${SHOTS}/conflict-offline-1280x800.png`, fullPage: true });

	// Back online, the open screen reads the server's history by itself.
	await contextB.setOffline(false);
	await expect(conflict.history).toHaveCount(0);
	await expect(conflict.changedBy.first()).toContainText(`由 ${SURVEYOR} 于`);

	// From the record page: who changed what, and when, from the server's history.
	await formB.goto(id);
	await expect(formB.status).toHaveAttribute('data-status', '冲突');
	await formB.openConflict();
	await expect(b).toHaveURL(new RegExp(`/records/${id}/conflict$`));
	await expect(conflict.history).toHaveCount(0);
	await expect(conflict.fields).toHaveCount(2);
	const condition = conflict.field('condition');
	const description = conflict.field('description');
	await expect(condition.serverValue).toHaveText(conditionA);
	await expect(condition.mineValue).toHaveText(original.record.condition!);
	await expect(condition.changedBy).toContainText(`由 ${SURVEYOR} 于`);
	await expect(condition.changedBy).toContainText('（第 3 版）');
	await expect(description.mineValue).toContainText('B 机补记');
	await expect(description.changedBy).toContainText('（第 1 版）');

	// Nothing is chosen for the surveyor: saving waits for a choice on every field.
	await expect(conflict.saveButton).toBeDisabled();
	// Another screen's notice (persistent storage refused in a test browser) is not the subject.
	await conflict.topBar.dismissPersistRefusedIfShown();
	await b.screenshot({ path: `${SHOTS}/conflict-1280x800.png`, fullPage: true });
	await description.chooseMine();
	await expect(conflict.saveButton).toBeDisabled();
	await condition.chooseServer();
	await expect(conflict.progress).toHaveText('已选 2/2 项');
	await b.setViewportSize({ width: 800, height: 1280 });
	await conflict.title.scrollIntoViewIfNeeded();
	await b.screenshot({ path: `${SHOTS}/conflict-800x1280.png`, fullPage: true });
	await b.setViewportSize({ width: 1280, height: 800 });
	await expect(conflict.saveButton).toBeEnabled();
	await conflict.save();
	await expect(b).toHaveURL(new RegExp(`/records/${id}$`));

	// Sent with the server's revision as base: accepted as revision 4, exactly the choices.
	await syncNow(b, id, '已送达');
	const merged = await serverRecord(request, reviewer, id);
	expect(merged).toMatchObject({
		status: 'submitted',
		revision: 4,
		record: { description: descriptionB, condition: conditionA }
	});
	expect(merged.record.photos).toEqual(original.record.photos);

	// Nothing lost: B keeps its own version from before the merge.
	const kept = await b.evaluate(async (recordId) => {
		const db = await new Promise<IDBDatabase>((resolve, reject) => {
			const open = indexedDB.open('ordos-survey');
			open.onsuccess = () => resolve(open.result);
			open.onerror = () => reject(open.error);
		});
		const row = await new Promise<Record<string, unknown>>((resolve, reject) => {
			const req = db.transaction('records').objectStore('records').get(recordId);
			req.onsuccess = () => resolve(req.result as Record<string, unknown>);
			req.onerror = () => reject(req.error);
		});
		db.close();
		return row;
	}, id);
	expect(kept).toMatchObject({
		serverRevision: 4,
		serverStatus: 'submitted',
		resolvedConflicts: [
			{
				mine: { description: descriptionB, condition: original.record.condition },
				server: { condition: conditionA, revision: 3 },
				choices: { description: 'mine', condition: 'server' }
			}
		]
	});
	expect(kept).not.toHaveProperty('conflict');
	expect(kept).not.toHaveProperty('outbox');

	await contextA.close();
	await contextB.close();
});
