import { readFileSync } from 'node:fs';
import exifr from 'exifr';
import { describe, expect, it } from 'vitest';
import {
	exifDateTimeToIso,
	extractExifSegment,
	findExifSegment,
	insertExifSegment,
	isJpeg,
	isJpegComplete,
	readExifOrientation,
	readJpegHeader,
	readJpegSize,
	rewriteExifSegment,
	toPhotoExif
} from '$lib/domain/photos/jpeg-exif.js';
import { PhotoExifSchema } from '$lib/domain/schemas/photo.js';

const fixture = (name: string) =>
	new Uint8Array(readFileSync(new URL(`../../../fixtures/photos/${name}`, import.meta.url)));

const oriented6 = fixture('site-dongsheng-orientation6.jpg');
const upright = fixture('site-dongsheng-1600x1200.jpg');
const noExif = fixture('no-exif.jpg');

/** exifr's reading of a JPEG, raw values (no Date revival, no enum translation). */
async function readBack(bytes: Uint8Array): Promise<Record<string, unknown> | undefined> {
	return exifr.parse(bytes, {
		tiff: true,
		exif: true,
		gps: true,
		reviveValues: false,
		translateValues: false
	});
}

/** A big-endian ('MM') EXIF APP1 segment: IFD0 {Orientation, ExifIFD} → Exif IFD {PixelX, PixelY}. */
function bigEndianSegment(orientation: number, pixelX: number, pixelY: number): Uint8Array {
	const tiff: number[] = [0x4d, 0x4d, 0, 42, 0, 0, 0, 8];
	const short = (v: number) => [(v >> 8) & 0xff, v & 0xff];
	const long = (v: number) => [(v >>> 24) & 0xff, (v >> 16) & 0xff, (v >> 8) & 0xff, v & 0xff];
	// IFD0 at 8: 2 entries, next-IFD 0 → 2 + 24 + 4 = 30 bytes; Exif IFD at 38.
	tiff.push(...short(2));
	tiff.push(...short(0x0112), ...short(3), ...long(1), ...short(orientation), 0, 0);
	tiff.push(...short(0x8769), ...short(4), ...long(1), ...long(38));
	tiff.push(...long(0));
	tiff.push(...short(2));
	tiff.push(...short(0xa002), ...short(4), ...long(1), ...long(pixelX));
	tiff.push(...short(0xa003), ...short(3), ...long(1), ...short(pixelY), 0, 0);
	tiff.push(...long(0));
	const payload = [0x45, 0x78, 0x69, 0x66, 0, 0, ...tiff];
	return new Uint8Array([0xff, 0xe1, ...short(payload.length + 2), ...payload]);
}

describe('JPEG structure', () => {
	it('walks the header of the fixtures and finds their EXIF', () => {
		expect(isJpeg(upright)).toBe(true);
		expect(readJpegSize(oriented6)).toEqual({ width: 1600, height: 1200 });
		expect(readJpegSize(fixture('site-dongsheng-12mp.jpg'))).toEqual({ width: 4000, height: 3000 });
		const header = readJpegHeader(upright);
		expect(header?.segments.length).toBeGreaterThan(2);
		const found = findExifSegment(upright);
		expect(found).not.toBeNull();
		expect(upright[found!.start]).toBe(0xff);
		expect(upright[found!.start + 1]).toBe(0xe1);
		expect(findExifSegment(noExif)).toBeNull();
		expect(readJpegSize(noExif)).toEqual({ width: 1600, height: 1200 });
	});

	it('reads the Orientation of an EXIF segment', () => {
		expect(readExifOrientation(extractExifSegment(oriented6)!)).toBe(6);
		expect(readExifOrientation(extractExifSegment(upright)!)).toBe(1);
	});
});

describe('isJpegComplete', () => {
	it('tells a whole JPEG from one cut short', () => {
		expect(isJpegComplete(upright)).toBe(true);
		expect(isJpegComplete(noExif)).toBe(true);
		// Data after EOI (motion photos append a video) does not matter.
		expect(isJpegComplete(new Uint8Array([...upright, 1, 2, 3, 0xff, 0xd8]))).toBe(true);
		expect(isJpegComplete(upright.subarray(0, upright.length / 2))).toBe(false);
		expect(isJpegComplete(upright.subarray(0, upright.length - 2))).toBe(false);
		expect(isJpegComplete(randomBytes(1000, 5))).toBeNull();
		expect(isJpegComplete(new Uint8Array())).toBeNull();
	});
});

describe('rewriteExifSegment', () => {
	it('sets Orientation to 1 and keeps GPS, DateTimeOriginal and the camera', async () => {
		const segment = extractExifSegment(oriented6)!;
		const before = segment.slice();
		const result = rewriteExifSegment(segment, { orientation: 1, width: 1200, height: 1600 });
		expect(result.ok).toBe(true);
		if (!result.ok) return;
		expect(segment).toEqual(before); // the input is not modified
		expect(result.bytes.length).toBe(segment.length);
		expect(readExifOrientation(result.bytes)).toBe(1);

		// Swap it into the original file and read it back with an independent reader.
		const jpeg = insertExifSegment(oriented6, result.bytes);
		expect(jpeg.ok).toBe(true);
		if (!jpeg.ok) return;
		expect(jpeg.bytes.length).toBe(oriented6.length);
		const tags = await readBack(jpeg.bytes);
		expect(tags?.Orientation).toBe(1);
		expect(tags?.DateTimeOriginal).toBe('2025:06:01 10:36:10');
		expect(tags?.OffsetTimeOriginal).toBe('+08:00');
		expect(tags?.Make).toBe('TestCam');
		expect(tags?.Model).toBe('Field-1');
		expect(tags?.latitude).toBeCloseTo(39.825018, 6);
		expect(tags?.longitude).toBeCloseTo(109.648684, 6);
		expect(tags?.GPSAltitude).toBeCloseTo(1452.3, 3);
	});

	it('handles big-endian EXIF and updates PixelXDimension/PixelYDimension', async () => {
		const segment = bigEndianSegment(8, 4000, 3000);
		expect(readExifOrientation(segment)).toBe(8);
		const result = rewriteExifSegment(segment, { width: 1920, height: 2560 });
		expect(result.ok).toBe(true);
		if (!result.ok) return;
		const jpeg = insertExifSegment(noExif, result.bytes);
		expect(jpeg.ok).toBe(true);
		if (!jpeg.ok) return;
		const tags = await readBack(jpeg.bytes);
		expect(tags?.Orientation).toBe(1);
		expect(tags?.ExifImageWidth).toBe(1920);
		expect(tags?.ExifImageHeight).toBe(2560);
	});

	it('rejects what is not an EXIF segment, without throwing', () => {
		for (const bad of [
			new Uint8Array(),
			new Uint8Array([0xff, 0xe1, 0x00, 0x02]),
			upright.subarray(0, 40),
			extractExifSegment(upright)!.subarray(0, 30),
			randomBytes(500, 7)
		]) {
			expect(rewriteExifSegment(bad).ok).toBe(false);
			expect(readExifOrientation(bad)).toBeNull();
		}
		// A segment whose IFD0 offset points outside it.
		const broken = bigEndianSegment(6, 1, 1);
		broken.set([0, 0, 0xff, 0xff], 14);
		expect(rewriteExifSegment(broken).ok).toBe(false);
		expect(rewriteExifSegment(bigEndianSegment(6, 1, 1), { orientation: 9 }).ok).toBe(false);
	});
});

describe('insertExifSegment', () => {
	it('gives a JPEG without EXIF the EXIF of another photo, after its JFIF APP0', async () => {
		expect(await readBack(noExif)).toBeUndefined();
		const segment = extractExifSegment(upright)!;
		const result = insertExifSegment(noExif, segment);
		expect(result.ok).toBe(true);
		if (!result.ok) return;
		expect(result.bytes.length).toBe(noExif.length + segment.length);
		const header = readJpegHeader(result.bytes)!;
		const hadJfif = readJpegHeader(noExif)!.segments[0]!.marker === 0xe0;
		expect(header.segments[hadJfif ? 1 : 0]!.marker).toBe(0xe1);
		// The image data is untouched.
		const scan = result.bytes.subarray(header.scanStart);
		expect(Buffer.from(scan).equals(noExif.subarray(readJpegHeader(noExif)!.scanStart))).toBe(true);
		const tags = await readBack(result.bytes);
		expect(tags?.DateTimeOriginal).toBe('2025:06:01 10:35:00');
		expect(tags?.Make).toBe('TestCam');
		expect(tags?.latitude).toBeCloseTo(39.825018, 6);
	});

	it('inserts after SOI when there is no JFIF APP0, and replaces an existing EXIF', async () => {
		// SOI, EXIF APP1 (orientation 6), DQT-like APP segment, SOS, data, EOI.
		const jpeg = new Uint8Array([
			0xff,
			0xd8,
			...bigEndianSegment(6, 10, 20),
			0xff,
			0xe2,
			0x00,
			0x04,
			0xaa,
			0xbb,
			0xff,
			0xda,
			0x00,
			0x02,
			0x11,
			0x22,
			0xff,
			0xd9
		]);
		const replacement = bigEndianSegment(3, 30, 40);
		const result = insertExifSegment(jpeg, replacement);
		expect(result.ok).toBe(true);
		if (!result.ok) return;
		const header = readJpegHeader(result.bytes)!;
		expect(header.segments.map((s) => s.marker)).toEqual([0xe1, 0xe2]);
		expect(readExifOrientation(extractExifSegment(result.bytes)!)).toBe(3);
		expect(result.bytes.length).toBe(jpeg.length);
	});

	it('returns an error for malformed input, without throwing', () => {
		const segment = extractExifSegment(upright)!;
		const inputs = [
			new Uint8Array(),
			new Uint8Array([0xff]),
			new Uint8Array([0xff, 0xd8]),
			randomBytes(4096, 1),
			new Uint8Array([0xff, 0xd8, ...randomBytes(4096, 2)]),
			upright.subarray(0, 100), // truncated inside the EXIF segment
			upright.subarray(0, findExifSegment(upright)!.end + 3),
			new TextEncoder().encode('not a photo at all')
		];
		for (const bad of inputs) {
			expect(() => insertExifSegment(bad, segment)).not.toThrow();
			expect(insertExifSegment(bad, segment).ok).toBe(false);
			expect(readJpegHeader(bad)).toBeNull();
			expect(findExifSegment(bad)).toBeNull();
			expect(extractExifSegment(bad)).toBeNull();
			expect(readJpegSize(bad)).toBeNull();
		}
		// A bad segment is refused too.
		expect(insertExifSegment(noExif, new Uint8Array([0xff, 0xe1, 0, 2])).ok).toBe(false);
		expect(insertExifSegment(noExif, randomBytes(100, 3)).ok).toBe(false);
	});
});

describe('toPhotoExif', () => {
	it('maps the fixture EXIF, reading times as +08:00', async () => {
		const { exif, takenAt } = toPhotoExif(await readBack(oriented6));
		expect(takenAt).toBe('2025-06-01T10:36:10+08:00');
		expect(exif).toEqual({
			dateTimeOriginal: '2025-06-01T10:36:10+08:00',
			lat: 39.825018,
			lon: 109.648684,
			altitude: 1452.3,
			make: 'TestCam',
			model: 'Field-1',
			orientation: 6
		});
		expect(PhotoExifSchema.safeParse(exif).success).toBe(true);

		const hangjin = toPhotoExif(await readBack(fixture('site-hangjin-1600x1200.jpg')));
		expect(hangjin.takenAt).toBe('2025-06-03T15:02:00+08:00'); // no OffsetTime: UTC+8
		expect(hangjin.exif.lat).toBe(40.575525);
		expect(hangjin.exif.lon).toBe(107.575965);
		expect(hangjin.exif.make).toBeUndefined();
	});

	it('is empty for a photo without EXIF or for junk', () => {
		expect(toPhotoExif(undefined)).toEqual({ exif: {} });
		expect(toPhotoExif('junk')).toEqual({ exif: {} });
		expect(
			toPhotoExif({ DateTimeOriginal: '0000:00:00 00:00:00', latitude: 0, longitude: 0 })
		).toEqual({
			exif: {}
		});
	});

	it('computes GPS from the raw triples and honours the references', () => {
		const { exif } = toPhotoExif({
			GPSLatitude: [33, 51, 36],
			GPSLatitudeRef: 'S',
			GPSLongitude: [151, 12, 36],
			GPSLongitudeRef: 'E',
			GPSAltitude: 12,
			GPSAltitudeRef: new Uint8Array([1]),
			Make: 'Cam\u0000 ',
			Orientation: 9
		});
		expect(exif).toEqual({ lat: -33.86, lon: 151.21, altitude: -12, make: 'Cam' });
	});
});

describe('exifDateTimeToIso', () => {
	it('uses the EXIF offset when there is one, UTC+8 otherwise', () => {
		expect(exifDateTimeToIso('2025:06:01 10:35:00')).toBe('2025-06-01T10:35:00+08:00');
		expect(exifDateTimeToIso('2025:06:01 10:35:00', '+09:00')).toBe('2025-06-01T10:35:00+09:00');
		expect(exifDateTimeToIso('2025:06:01 10:35:00', '-05:30')).toBe('2025-06-01T10:35:00-05:30');
		expect(exifDateTimeToIso('2025:06:01 10:35:00', 'garbage')).toBe('2025-06-01T10:35:00+08:00');
		expect(exifDateTimeToIso('2025:06:01 10:35:00\u0000')).toBe('2025-06-01T10:35:00+08:00');
	});

	it('refuses impossible or blank dates', () => {
		for (const bad of [
			'',
			'    :  :     :  :  ',
			'2025:02:30 10:00:00',
			'2025:13:01 10:00:00',
			'2025:06:01 24:00:00',
			42,
			null
		]) {
			expect(exifDateTimeToIso(bad)).toBeUndefined();
		}
	});
});

/** Deterministic pseudo-random bytes (not starting like a JPEG). */
function randomBytes(n: number, seed: number): Uint8Array {
	const out = new Uint8Array(n);
	let x = seed * 2654435761;
	for (let i = 0; i < n; i++) {
		x = (x * 1103515245 + 12345) >>> 0;
		out[i] = x >>> 24;
	}
	if (out[0] === 0xff) out[0] = 0;
	return out;
}
