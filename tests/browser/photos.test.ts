import exifr from 'exifr';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
	extractExifSegment,
	insertExifSegment,
	rewriteExifSegment
} from '$lib/domain/photos/jpeg-exif.js';
import { processPhoto, sha256Hex } from '$lib/photos/process.js';
import uprightUrl from '../fixtures/photos/site-dongsheng-1600x1200.jpg?url';
import oriented6Url from '../fixtures/photos/site-dongsheng-orientation6.jpg?url';
import twelveMpUrl from '../fixtures/photos/site-dongsheng-12mp.jpg?url';
import noExifUrl from '../fixtures/photos/no-exif.jpg?url';

async function fixture(url: string): Promise<Blob> {
	const response = await fetch(url);
	expect(response.ok).toBe(true);
	return response.blob();
}

/** An independent SHA-256 (not the module's helper). */
async function digest(blob: Blob): Promise<string> {
	const hash = await crypto.subtle.digest('SHA-256', await blob.arrayBuffer());
	return Array.from(new Uint8Array(hash), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** What an independent reader sees in the stored file: raw EXIF values. */
async function readExif(blob: Blob): Promise<Record<string, unknown> | undefined> {
	return exifr.parse(blob, {
		tiff: true,
		exif: true,
		gps: true,
		reviveValues: false,
		translateValues: false
	});
}

/** Mean absolute difference per channel between two RGBA buffers of the same size. */
function meanDiff(a: Uint8ClampedArray, b: Uint8ClampedArray): number {
	expect(a.length).toBe(b.length);
	let sum = 0;
	for (let i = 0; i < a.length; i += 4) {
		sum +=
			Math.abs(a[i]! - b[i]!) + Math.abs(a[i + 1]! - b[i + 1]!) + Math.abs(a[i + 2]! - b[i + 2]!);
	}
	return sum / ((a.length / 4) * 3);
}

/**
 * The pixels of `source` drawn into a w×h thumbnail, after `transform` (a canvas matrix
 * expressed in thumbnail pixels; the source is drawn at (0, 0, dw, dh)).
 */
function thumbnail(
	source: ImageBitmap,
	w: number,
	h: number,
	draw: { dw: number; dh: number; matrix?: [number, number, number, number, number, number] }
): Uint8ClampedArray {
	const canvas = new OffscreenCanvas(w, h);
	const ctx = canvas.getContext('2d')!;
	if (draw.matrix) ctx.setTransform(...draw.matrix);
	ctx.drawImage(source, 0, 0, draw.dw, draw.dh);
	return ctx.getImageData(0, 0, w, h).data;
}

/** Mean colour of a rectangle of a thumbnail. */
function meanColour(
	data: Uint8ClampedArray,
	w: number,
	x0: number,
	y0: number,
	x1: number,
	y1: number
) {
	const sum = [0, 0, 0];
	let n = 0;
	for (let y = y0; y < y1; y++) {
		for (let x = x0; x < x1; x++) {
			const i = (y * w + x) * 4;
			sum[0]! += data[i]!;
			sum[1]! += data[i + 1]!;
			sum[2]! += data[i + 2]!;
			n++;
		}
	}
	const [r, g, b] = sum.map((s) => s / n) as [number, number, number];
	return { r, g, b };
}

/** Asserts that `blob`, as the browser shows it, is the orientation-6 fixture upright. */
async function expectUprightOrientation6(blob: Blob, size: [number, number]): Promise<void> {
	// The browser shows the stored file upright (portrait), not turned a second time.
	const shown = await createImageBitmap(blob);
	expect([shown.width, shown.height]).toEqual(size);

	// The fixture holds the same pixels as the Orientation 1 one (a landscape, sky on top);
	// Orientation 6 means "turn 90° clockwise", so upright the sky is on the RIGHT.
	const w = 120;
	const h = 160;
	const result = thumbnail(shown, w, h, { dw: w, dh: h });
	const sky = meanColour(result, w, w - 20, 0, w, h);
	const ground = meanColour(result, w, 0, 0, 20, h);
	expect(sky.b).toBeGreaterThan(sky.r + 40);
	expect(ground.r).toBeGreaterThan(ground.b + 40);

	// Pixel by pixel: the Orientation 1 fixture turned clockwise matches; other turns do not.
	const landscape = await createImageBitmap(await fixture(uprightUrl));
	const clockwise = thumbnail(landscape, w, h, { dw: h, dh: w, matrix: [0, 1, -1, 0, w, 0] });
	const anticlockwise = thumbnail(landscape, w, h, { dw: h, dh: w, matrix: [0, -1, 1, 0, 0, h] });
	const transverse = thumbnail(landscape, w, h, { dw: h, dh: w, matrix: [0, -1, -1, 0, w, h] });
	expect(meanDiff(result, clockwise)).toBeLessThan(3);
	expect(meanDiff(result, anticlockwise)).toBeGreaterThan(20);
	expect(meanDiff(result, transverse)).toBeGreaterThan(meanDiff(result, clockwise) + 5);
	shown.close();
	landscape.close();
	console.info(
		`orientation 6: mean difference ${meanDiff(result, clockwise).toFixed(2)} (clockwise), ` +
			`${meanDiff(result, anticlockwise).toFixed(2)} (anticlockwise), ` +
			`${meanDiff(result, transverse).toFixed(2)} (transverse)`
	);
}

afterEach(() => {
	vi.unstubAllGlobals();
});

describe('processPhoto', () => {
	it('turns an Orientation 6 photo upright and writes Orientation 1, keeping the EXIF', async () => {
		const input = await fixture(oriented6Url);
		const photo = await processPhoto(input);

		expect(photo.mimeType).toBe('image/jpeg');
		expect([photo.width, photo.height]).toEqual([1200, 1600]);
		expect(photo.resized).toBe(false);
		expect(photo.takenAt).toBe('2025-06-01T10:36:10+08:00');
		expect(photo.lat).toBeCloseTo(39.825018, 6);
		expect(photo.lon).toBeCloseTo(109.648684, 6);
		expect(photo.exif).toMatchObject({ orientation: 6, make: 'TestCam', model: 'Field-1' });
		expect(photo.originalSha256).toBe(await digest(input));
		expect(photo.sha256).toBe(await digest(photo.blob));
		expect(photo.sha256).not.toBe(photo.originalSha256);

		const tags = await readExif(photo.blob);
		expect(tags?.Orientation).toBe(1);
		expect(tags?.latitude).toBeCloseTo(39.825018, 6);
		expect(tags?.longitude).toBeCloseTo(109.648684, 6);
		expect(tags?.DateTimeOriginal).toBe('2025:06:01 10:36:10');
		expect(tags?.Make).toBe('TestCam');
		expect(tags?.Model).toBe('Field-1');

		await expectUprightOrientation6(photo.blob, [1200, 1600]);
	});

	it('turns the pixels itself when the browser ignores EXIF orientation', async () => {
		// Simulates a browser whose decoder ignores EXIF orientation: it is handed the same file
		// with Orientation 1, so it returns the stored 1600×1200 pixels unturned.
		const decodeUnturned = globalThis.createImageBitmap;
		vi.stubGlobal('createImageBitmap', async (image: ImageBitmapSource) => {
			if (!(image instanceof Blob)) return decodeUnturned(image);
			const bytes = new Uint8Array(await image.arrayBuffer());
			const segment = extractExifSegment(bytes);
			const rewritten = segment && rewriteExifSegment(segment, { orientation: 1 });
			const unturned = rewritten?.ok ? insertExifSegment(bytes, rewritten.bytes) : null;
			return decodeUnturned(unturned?.ok ? new Blob([unturned.bytes]) : image);
		});
		const photo = await processPhoto(await fixture(oriented6Url), { maxEdge: 1000 });
		vi.unstubAllGlobals();

		expect([photo.width, photo.height]).toEqual([750, 1000]);
		expect(photo.resized).toBe(true);
		expect((await readExif(photo.blob))?.Orientation).toBe(1);
		await expectUprightOrientation6(photo.blob, [750, 1000]);
	});

	it('resizes a 12 MP photo to 2560×1920, keeping its EXIF', async () => {
		const input = await fixture(twelveMpUrl);
		const started = performance.now();
		const photo = await processPhoto(input);
		const elapsed = performance.now() - started;
		console.info(`12 MP photo processed in ${Math.round(elapsed)} ms → ${photo.blob.size} bytes`);

		expect(photo.mimeType).toBe('image/jpeg');
		expect(photo.blob.type).toBe('image/jpeg');
		expect([photo.width, photo.height]).toEqual([2560, 1920]);
		expect(photo.resized).toBe(true);
		expect(photo.blob.size).toBeLessThan(input.size);
		expect(photo.sha256).toBe(await digest(photo.blob));
		expect(photo.originalSha256).toBe(await digest(input));
		expect(photo.sha256).toMatch(/^[0-9a-f]{64}$/);
		expect(photo.takenAt).toBe('2025-06-01T10:40:00+08:00');

		const shown = await createImageBitmap(photo.blob);
		expect([shown.width, shown.height]).toEqual([2560, 1920]);
		// Sky on top, ground at the bottom, as in the camera's file.
		const thumb = thumbnail(shown, 160, 120, { dw: 160, dh: 120 });
		const top = meanColour(thumb, 160, 0, 0, 160, 20);
		const bottom = meanColour(thumb, 160, 0, 100, 160, 120);
		expect(top.b).toBeGreaterThan(top.r + 40);
		expect(bottom.r).toBeGreaterThan(bottom.b + 40);
		shown.close();

		const tags = await readExif(photo.blob);
		expect(tags?.Orientation).toBe(1);
		expect(tags?.DateTimeOriginal).toBe('2025:06:01 10:40:00');
		expect(tags?.latitude).toBeCloseTo(39.825018, 6);
		expect(tags?.longitude).toBeCloseTo(109.648684, 6);
		expect(tags?.Make).toBe('TestCam');
	});

	it('keeps an upright photo within the limit byte for byte', async () => {
		const input = await fixture(uprightUrl);
		const photo = await processPhoto(input);
		expect(photo.resized).toBe(false);
		expect([photo.width, photo.height]).toEqual([1600, 1200]);
		expect(photo.mimeType).toBe('image/jpeg');
		expect(photo.sha256).toBe(photo.originalSha256);
		expect(photo.sha256).toBe(await digest(input));
		const stored = new Uint8Array(await photo.blob.arrayBuffer());
		const original = new Uint8Array(await input.arrayBuffer());
		expect(stored.length).toBe(original.length);
		expect(stored.every((b, i) => b === original[i])).toBe(true);
		expect(photo.takenAt).toBe('2025-06-01T10:35:00+08:00');
		expect(photo.exif.altitude).toBeCloseTo(1452.3, 3);
	});

	it('honours maxEdge and keeps EXIF when a smaller size is asked for', async () => {
		const photo = await processPhoto(await fixture(uprightUrl), { maxEdge: 800, quality: 0.8 });
		expect([photo.width, photo.height]).toEqual([800, 600]);
		expect(photo.resized).toBe(true);
		const tags = await readExif(photo.blob);
		expect(tags?.DateTimeOriginal).toBe('2025:06:01 10:35:00');
		expect(tags?.latitude).toBeCloseTo(39.825018, 6);
	});

	it('processes a photo without EXIF', async () => {
		const input = await fixture(noExifUrl);
		const photo = await processPhoto(input);
		expect(photo.exif).toEqual({});
		expect(photo.takenAt).toBeUndefined();
		expect(photo.lat).toBeUndefined();
		expect(photo.lon).toBeUndefined();
		expect([photo.width, photo.height]).toEqual([1600, 1200]);
		expect(photo.sha256).toBe(await digest(input));

		const smaller = await processPhoto(input, { maxEdge: 1000 });
		expect([smaller.width, smaller.height]).toEqual([1000, 750]);
		expect(await readExif(smaller.blob)).toBeUndefined();
		expect(smaller.sha256).toBe(await digest(smaller.blob));
	});

	it('rejects what is not a photo with a Chinese message that says what to do', async () => {
		const text = new Blob(['这不是照片，是一段文字'], { type: 'image/jpeg' });
		await expect(processPhoto(text)).rejects.toThrow(
			/不是 JPEG\/PNG\/WebP 图像.*请重新拍摄或选择其他文件/
		);
		await expect(processPhoto(new Blob([]))).rejects.toThrow(/文件是空的.*请重新拍摄/);

		// A JPEG cut short (an interrupted copy): the browser would decode it half grey.
		const photo = await fixture(uprightUrl);
		await expect(processPhoto(photo.slice(0, photo.size / 2))).rejects.toThrow(
			/文件不完整.*请重新拍摄或选择其他文件/
		);
		// Starts like a JPEG, but the rest is not one.
		const junk = new Blob([new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10]), 'x'.repeat(500)]);
		await expect(processPhoto(junk)).rejects.toThrow(/无法解码此照片.*请重新拍摄或选择其他文件/);
	});
});

describe('sha256Hex', () => {
	it('hashes Blobs and buffers alike, as lowercase hex', async () => {
		const bytes = new TextEncoder().encode('abc');
		const expected = 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad';
		expect(await sha256Hex(bytes)).toBe(expected);
		expect(await sha256Hex(bytes.buffer)).toBe(expected);
		expect(await sha256Hex(new Blob([bytes]))).toBe(expected);
	});
});
