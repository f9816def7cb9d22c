import { randomUUID } from 'node:crypto';
import {
	demoRegistry,
	expect,
	goOffline,
	newDevice,
	shootTabletSizes,
	storedRecord,
	test
} from '../fixtures.js';
import { DEMO_PASSWORD } from '../accounts.js';
import { RecordPage } from '../pages/record/record-page.js';
import { SyncPage } from '../pages/sync-page.js';
import { recheck, serverRecord, signInTablet, tokenOf } from '../record-helpers.js';

/**
 * Members of a team revise each other's records, on their tablets (issue 13 point 2, device
 * side): A re-checks a site offline and syncs; B's tablet syncs, lists A's record marked as a
 * teammate's, revises its 简介 and syncs; the server holds B's revision of A's record. Two
 * surveyors and a team of their own, in a county few other specs work in.
 */
const COUNTY = '150603';
const SHOTS = 'test-results/team-records';

test('a teammate’s record reaches the other tablet, is revised there and stays its author’s', async ({
	page,
	context,
	browser,
	request
}, testInfo) => {
	// --- accounts and their team, through the API
	const tag = randomUUID().slice(0, 6);
	const a = `mate-a-${tag}`;
	const b = `mate-b-${tag}`;
	const city = await tokenOf(request, 'city');
	for (const [username, displayName] of [
		[a, '张三'],
		[b, '李四']
	]) {
		const made = await request.post('/api/admin/users', {
			data: {
				username,
				displayName,
				role: 'surveyor',
				counties: [COUNTY],
				password: DEMO_PASSWORD
			},
			headers: { authorization: `Bearer ${city}` }
		});
		expect(made.status(), await made.text()).toBe(201);
	}
	const reviewer = await tokenOf(request, `reviewer-${COUNTY}`);
	const team = await request.post('/api/teams', {
		data: { countyCode: COUNTY, name: `互助${tag}队`, members: [a, b] },
		headers: { authorization: `Bearer ${reviewer}` }
	});
	expect(team.status(), await team.text()).toBe(201);

	// --- A's tablet: a re-check made offline, sent once online
	const site = demoRegistry().filter((s) => s.countyCode === COUNTY)[7]!;
	await signInTablet(page, a);
	await goOffline(context);
	const id = await recheck(page, site);
	await context.setOffline(false);
	const syncA = new SyncPage(page);
	await syncA.syncOnce();
	await expect(syncA.row(id)).toHaveAttribute('data-status', '已送达');
	const sent = await serverRecord(request, reviewer, id);
	expect(sent.revision).toBe(1);

	// --- B's tablet: the sync brings A's record, marked as the teammate's
	const deviceB = await newDevice(browser, testInfo);
	const pageB = await deviceB.newPage();
	await signInTablet(pageB, b);
	const syncB = new SyncPage(pageB);
	await syncB.syncOnce();
	await expect(syncB.row(id)).toHaveAttribute('data-status', '已送达');
	await expect(syncB.teammateTag(id)).toHaveText('队友 张三');
	await syncB.topBar.dismissPersistRefusedIfShown();
	await shootTabletSizes(pageB, SHOTS, 'sync-list', {
		fullPage: true,
		ready: () => expect(syncB.teammateTag(id)).toBeVisible()
	});
	const { row } = await storedRecord(pageB, id);
	expect(row).toMatchObject({
		localState: 'finalized',
		teammate: { username: a, name: '张三' }
	});

	// B opens it, revises 简介, finishes and syncs
	await syncB.row(id).click();
	const form = new RecordPage(pageB);
	await expect(form.teammateNotice).toContainText('队友 张三 登记的记录');
	await shootTabletSizes(pageB, SHOTS, 'teammate-record');
	await form.reviseTeammateRecord();
	await form.go('condition');
	const added = '队友复核：西侧断面可见夯层，厚约10厘米。';
	await form.condition.addToDescription(added);
	await form.finish();
	await syncB.syncOnce();
	await expect(syncB.row(id)).toHaveAttribute('data-status', '已送达');
	await expect(syncB.teammateTag(id)).toHaveText('队友 张三');

	// --- the server: B's revision, A's record, B in its history
	const revised = (await (
		await request.get(`/api/records/${id}`, { headers: { authorization: `Bearer ${reviewer}` } })
	).json()) as {
		record: { description: string };
		revision: number;
		history: { revision: number; by: string; action: string }[];
	};
	expect(revised.revision).toBe(2);
	expect(revised.record.description).toContain(added);
	expect(revised.history.map((h) => [h.revision, h.by, h.action])).toEqual([
		[1, a, 'push'],
		[2, b, 'push']
	]);
	const queue = await request.get(`/api/review/records?county=${COUNTY}&surveyor=${a}&limit=500`, {
		headers: { authorization: `Bearer ${reviewer}` }
	});
	expect(queue.status()).toBe(200);
	const listed = ((await queue.json()) as { records: { id: string; surveyor: string }[] }).records;
	expect(listed.find((r) => r.id === id)).toMatchObject({ surveyor: a });

	// A's tablet receives B's revision of its record
	await syncA.syncOnce();
	const back = await storedRecord(page, id);
	expect((back.row.record as { description: string }).description).toContain(added);
	await deviceB.close();
});
