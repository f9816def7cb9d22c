import { readFileSync } from 'node:fs';
import exifr from 'exifr';
import { describe, expect, it } from 'vitest';
import { stripJpeg } from '$lib/server/registry/public/strip-metadata.js';

const fixture = (name: string) => new Uint8Array(readFileSync(`tests/fixtures/photos/${name}`));

/** What exifr still finds in a JPEG, JFIF header aside. */
async function metadataOf(bytes: Uint8Array): Promise<Record<string, unknown>> {
	const all = ((await exifr.parse(Buffer.from(bytes), true)) ?? {}) as Record<string, unknown>;
	return Object.fromEntries(
		Object.entries(all).filter(
			([k]) =>
				!k.startsWith('JFIF') && !/^[XY]?(Resolution|Thumbnail)/.test(k) && k !== 'ResolutionUnit'
		)
	);
}

describe('stripJpeg (public photos)', () => {
	it('keeps the orientation of a photo shot on its side, and nothing else of its EXIF', async () => {
		const original = fixture('site-dongsheng-orientation6.jpg');
		// the fixture could fail the checks below: it has GPS, a time and an orientation of 6
		expect(await exifr.orientation(Buffer.from(original))).toBe(6);
		expect(await exifr.gps(Buffer.from(original))).toBeDefined();
		const stripped = stripJpeg(original)!;
		expect(stripped).not.toBeNull();
		expect(await exifr.orientation(Buffer.from(stripped))).toBe(6);
		expect(await exifr.gps(Buffer.from(stripped))).toBeUndefined();
		expect(await metadataOf(stripped)).toEqual({ Orientation: expect.anything() as unknown });
		// still a JPEG that strips again to the same bytes
		expect(Buffer.from(stripJpeg(stripped)!).equals(Buffer.from(stripped))).toBe(true);
	});

	it('leaves an upright photo with no EXIF at all', async () => {
		const original = fixture('site-dongsheng-1600x1200.jpg');
		expect(await exifr.gps(Buffer.from(original))).toBeDefined();
		const stripped = stripJpeg(original)!;
		expect(await metadataOf(stripped)).toEqual({});
		expect(await exifr.orientation(Buffer.from(stripped))).toBeUndefined();
	});

	it('refuses bytes that are not a JPEG', () => {
		expect(stripJpeg(new TextEncoder().encode('not a jpeg'))).toBeNull();
		expect(stripJpeg(fixture('site-dongsheng-orientation6.jpg').subarray(0, 500))).toBeNull();
	});
});
