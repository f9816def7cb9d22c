import { createHash } from 'node:crypto';
import exifr from 'exifr';
import { SurveyRecordSchema } from '../../../src/lib/domain/schemas/survey-record.js';
import { readJpegSize } from '../../../src/lib/domain/photos/jpeg-exif.js';
import { demoRegistry, expect, offlineInCounty, storedRecord, test } from '../fixtures.js';
import { SitePage } from '../pages/site-page.js';
import { WorkListPage } from '../pages/work-list-page.js';

const PHOTO_A = 'tests/fixtures/photos/site-dongsheng-1600x1200.jpg';
const PHOTO_B = 'tests/fixtures/photos/site-dongsheng-orientation6.jpg';
// Where the fixture photos were taken (their EXIF GPS), inside 东胜区.
const AT = { latitude: 39.825018, longitude: 109.648684 };

test('re-check a registered site offline: averaged GNSS, two photos with EXIF, finalized', async ({
	page,
	context
}) => {
	await context.grantPermissions(['geolocation']);
	await context.setGeolocation({ ...AT, accuracy: 3 });
	const site = demoRegistry().find(
		(s) => s.countyCode === '150602' && s.category === '古文化遗址'
	)!;
	await offlineInCounty(page, context, '东胜区');

	// The site page, then 开始复查.
	const sitePage = new SitePage(page);
	const form = await sitePage.recheckFromPage(site);
	const id = form.id;
	await expect(form.title).toContainText(site.name);

	// 变更情况 first: nothing changed.
	await expect(form.change.option('无变更')).toHaveAttribute('aria-pressed', 'true');
	await form.go('location');

	// Average ten GNSS fixes at the site.
	const point = form.location.point;
	await point.startAveraging();
	for (let i = 0; i < 10; i++) {
		await context.setGeolocation({
			latitude: site.location.lat + (i % 3) * 0.00001,
			longitude: site.location.lon - (i % 2) * 0.00001,
			accuracy: 3 + (i % 2)
		});
		await expect(point.gnssSampleCount).toHaveAttribute('data-count', String(i + 1));
	}
	await point.acceptFix();
	await expect(point.source).toHaveAttribute('data-source', 'gnss');

	// Two photos from files with EXIF GPS and time.
	await form.go('photos');
	await form.photos.addFiles([PHOTO_A, PHOTO_B], 2);
	await expect(form.photos.missing).toHaveCount(0);

	await form.go('people');
	await form.people.fill('张三、李四', '2025-06-02');

	// QC: explain every warning, then 完成.
	await form.go('review');
	await expect(form.review.summary).toBeVisible();
	await expect(form.review.errors).toHaveCount(0);
	await form.review.explainWarnings('现场核实，情况属实');
	await form.review.finalize();
	await expect(sitePage.name).toHaveText(site.name);

	// What the device stored: a contract-valid record, finalized, with both photos intact.
	const { row, blobs } = await storedRecord(page, id);
	expect(row.localState).toBe('finalized');
	const parsed = SurveyRecordSchema.safeParse(row.record);
	expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
	const record = parsed.data!;
	expect(record.kind).toBe('复查');
	expect(record.siteCode).toBe(site.code);
	expect(record.location.source).toBe('gnss');
	expect(record.location.samples).toBe(10);
	expect(record.location.lat).toBeCloseTo(site.location.lat, 4);
	expect(record.location.lon).toBeCloseTo(site.location.lon, 4);
	expect(record.photos).toHaveLength(2);
	for (const photo of record.photos) {
		const bytes = Buffer.from(blobs[photo.sha256]!, 'base64');
		expect(createHash('sha256').update(bytes).digest('hex')).toBe(photo.sha256);
		const exif = await exifr.parse(bytes, { gps: true });
		expect(exif.latitude).toBeCloseTo(AT.latitude, 5);
		expect(exif.longitude).toBeCloseTo(AT.longitude, 5);
		expect(exif.DateTimeOriginal).toBeTruthy();
		expect(photo.takenAt).toMatch(/^2025-06-01T10:3\d:\d\d\+08:00$/);
	}
	// The rotated photo was turned upright: stored 1200×1600 with Orientation 1.
	const rotated = record.photos.find((p) => p.originalSha256);
	expect(rotated).toBeDefined();
	const rotatedBytes = Buffer.from(blobs[rotated!.sha256]!, 'base64');
	const rotatedExif = await exifr.parse(rotatedBytes, {
		pick: ['Orientation'],
		translateValues: false
	});
	expect(rotatedExif.Orientation).toBe(1);
	expect(readJpegSize(new Uint8Array(rotatedBytes))).toEqual({ width: 1200, height: 1600 });
	// Each warning's explanation is stored for the reviewer.
	expect((record.qcNotes ?? []).every((n) => n.note === '现场核实，情况属实')).toBe(true);

	// The work list shows the site as 待上传, and 我的位置 on its map.
	const list = new WorkListPage(page);
	await list.goto();
	await list.searchFor(site.code);
	await expect(list.rows.first()).toContainText('待上传');
	await list.showMyLocation();
	await expect(list.myLocationAccuracy).toHaveText(/±\d+ m/);

	// Until it is sent, a finalized record can be reopened as a draft.
	await form.goto(id);
	await expect(form.title).toContainText(site.name);
	await expect(form.stepper.step('basic')).toBeVisible();
	await form.go('basic');
	await expect(form.basic.name).toBeDisabled();
	await form.reopen();
	await expect(form.basic.name).toBeEnabled();
	await list.goto();
	await list.searchFor(site.code);
	await expect(list.rows.first()).toContainText('草稿');
});
