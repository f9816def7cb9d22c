import type { Page } from '@playwright/test';
import { demoRegistry, expect, newDevice, shootTabletSizes, test } from '../fixtures.js';
import { HomePage } from '../pages/home-page.js';
import { FieldLoginPage } from '../pages/login-page.js';
import { RecordPage } from '../pages/record/record-page.js';
import { SyncPage } from '../pages/sync-page.js';
import { recheck } from '../record-helpers.js';

/*
 * Issue 11 point 2: the server's QC findings reach the device and are shown beside its own. Two
 * tablets of one surveyor re-check the same site. The second tablet signed in and then went out of
 * network before the first sent its record, so it does not hold that record (a tablet online pulls
 * its surveyor's records, and then its own check sees the double re-check): only the server can
 * see the double re-check (DUP-004) and the photos the two records share (DUP-003), and the second
 * tablet shows the server's findings on the record once it sends.
 */

const COUNTY = '150624';
const SHOTS = '/tmp/field-shots';

async function tablet(page: Page): Promise<void> {
	await new HomePage(page).firstVisit();
	await new FieldLoginPage(page).logIn(`surveyor-${COUNTY}`);
}

test('a finding only the server can make is shown on the record that it concerns', async ({
	page,
	browser
}, info) => {
	const site = demoRegistry().filter((s) => s.countyCode === COUNTY)[2]!;

	// The second tablet signs in while the server holds nothing of this site, then works offline.
	const second = await newDevice(browser, info);
	try {
		const other = await second.newPage();
		await tablet(other);
		await second.setOffline(true);

		// The first tablet re-checks the site and sends it: the server found nothing to say.
		await tablet(page);
		const first = await recheck(page, site);
		const sync = new SyncPage(page);
		const form = new RecordPage(page);
		await sync.syncOnce();
		await expect(sync.row(first)).toHaveAttribute('data-status', '已送达');
		await form.goto(first);
		await expect(form.status).toHaveAttribute('data-status', '已送达');
		// (other specs send the same camera files, so the server may report DUP-003 here; never DUP-004)
		await expect(form.serverFinding('DUP-004')).toHaveCount(0);

		// The second tablet knows nothing of it: its own check passes without DUP-004.
		const id = await recheck(other, site);
		const otherSync = new SyncPage(other);
		const otherForm = new RecordPage(other);
		await otherForm.goto(id, 'review');
		await expect(otherForm.review.summary).toBeVisible();
		// (the same camera files as the first tablet's: DUP-003 too, which only the server sees)
		await expect(otherForm.findingsOf('DUP-004', 'DUP-003')).toHaveCount(0);

		// Back in network and sent, the server answers with its own finding, and the record shows it
		// on top of every step: only what still needs the surveyor (the warnings explained before are
		// not repeated).
		await second.setOffline(false);
		await otherSync.syncOnce();
		await expect(otherSync.row(id)).toHaveAttribute('data-status', '已送达');
		await otherForm.goto(id);
		const panel = otherForm.serverFindings;
		await expect(panel.root).toBeVisible();
		await expect(panel.heading).toContainText('服务器检查（第 1 版）：错误 ');
		const photos = panel.finding('DUP-003');
		await expect(photos.first()).toBeVisible();
		expect(await photos.count()).toBeGreaterThanOrEqual(2);
		await expect(photos.first()).toContainText('错误');
		await expect(photos.first()).toContainText('照片 Z001');
		const twice = panel.finding('DUP-004');
		await expect(twice).toContainText('警告');
		await expect(twice).toContainText('DUP-004');
		await shootTabletSizes(other, SHOTS, 'server-findings');

		// The review step lists every server finding beside the device's own, DUP-004 among them.
		await otherForm.go('review');
		await expect(otherForm.review.summary).toBeVisible();
		await expect(otherForm.serverFindings.root).toHaveCount(1);
		const all = otherForm.serverFindings;
		expect(await all.findings.count()).toBeGreaterThan(1);
		await expect(all.finding('DUP-004')).toHaveCount(1);
		expect(await all.finding('DUP-003').count()).toBeGreaterThanOrEqual(2);
		await expect(otherForm.review.warning('DUP-004')).toHaveCount(0);
		await expect(otherForm.review.errors).toHaveCount(0);
		await shootTabletSizes(other, SHOTS, 'server-findings-review', { fullPage: true });
	} finally {
		await second.close();
	}
});
