import { createHash } from 'node:crypto';
import exifr from 'exifr';
import { SurveyRecordSchema } from '../../../src/lib/domain/schemas/survey-record';
import { readJpegSize } from '../../../src/lib/domain/photos/jpeg-exif';
import { demoRegistry, expect, offlineInCounty, recordIdOf, storedRecord, test } from '../fixtures';

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
	await page.goto(`/sites/${site.code}`);
	await expect(page.getByTestId('site-name')).toHaveText(site.name);
	await page.getByTestId('start-recheck').click();
	await expect(page).toHaveURL(/\/records\//);
	const id = recordIdOf(page);
	await expect(page.getByTestId('record-title')).toContainText(site.name);

	// 变更情况 first: nothing changed.
	await expect(
		page.getByTestId('change-type').getByRole('button', { name: '无变更' })
	).toHaveAttribute('aria-pressed', 'true');
	await page.getByTestId('step-location').click();

	// Average ten GNSS fixes at the site.
	await page.getByTestId('gnss-start-average').click();
	for (let i = 0; i < 10; i++) {
		await context.setGeolocation({
			latitude: site.location.lat + (i % 3) * 0.00001,
			longitude: site.location.lon - (i % 2) * 0.00001,
			accuracy: 3 + (i % 2)
		});
		await expect(page.getByTestId('gnss-sample-count')).toHaveAttribute(
			'data-count',
			String(i + 1)
		);
	}
	await page.getByTestId('gnss-accept').click();
	await expect(page.getByTestId('location-source')).toHaveAttribute('data-source', 'gnss');

	// Two photos from files with EXIF GPS and time.
	await page.getByTestId('step-photos').click();
	await page.getByTestId('photo-files').setInputFiles([PHOTO_A, PHOTO_B]);
	await expect(page.getByTestId('photo-tile')).toHaveCount(2);
	await expect(page.getByTestId('photo-missing')).toHaveCount(0);

	await page.getByTestId('step-people').click();
	await page.getByTestId('input-surveyors').fill('张三、李四');
	await page.getByTestId('input-surveyed-on').fill('2025-06-02');

	// QC: explain every warning, then 完成.
	await page.getByTestId('step-review').click();
	await expect(page.getByTestId('qc-summary')).toBeVisible();
	await expect(page.getByTestId('qc-error')).toHaveCount(0);
	const notes = page.locator('[data-testid^="qc-note-"]');
	for (let i = 0; i < (await notes.count()); i++) {
		await notes.nth(i).fill('现场核实，情况属实');
	}
	await page.getByTestId('finalize').click();
	await expect(page.getByTestId('site-name')).toHaveText(site.name);

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
	await page.goto('/sites');
	await page.getByTestId('site-search').fill(site.code);
	await expect(page.getByTestId('site-row').first()).toContainText('待上传');
	await page.getByTestId('my-location').click();
	await expect(page.getByTestId('my-location-accuracy')).toHaveText(/±\d+ m/);

	// Until it is sent, a finalized record can be reopened as a draft.
	await page.goto(`/records/${id}`);
	await expect(page.getByTestId('record-title')).toContainText(site.name);
	await expect(page.getByTestId('step-basic')).toBeVisible();
	await page.getByTestId('step-basic').click();
	await expect(page.getByTestId('input-name')).toBeDisabled();
	await page.getByTestId('reopen').click();
	await expect(page.getByTestId('input-name')).toBeEnabled();
	await page.goto('/sites');
	await page.getByTestId('site-search').fill(site.code);
	await expect(page.getByTestId('site-row').first()).toContainText('草稿');
});
