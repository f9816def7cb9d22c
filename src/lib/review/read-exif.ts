/** Reads a photo's EXIF in the reviewer's browser (exifr), as the gallery compares it. */
import { readExifTags } from '$lib/photos/exif-tags.js';
import { toPhotoExif } from '$lib/domain/photos/jpeg-exif.js';
import type { ReviewExif } from './photo-check.js';

/** The EXIF of `blob`; an empty object when it has none or it cannot be read. */
export async function readExif(blob: Blob): Promise<ReviewExif> {
	try {
		const tags = await readExifTags(blob);
		const { exif } = toPhotoExif(tags);
		const raw = (tags ?? {}) as Record<string, unknown>;
		const direction = raw.GPSImgDirection;
		return typeof direction === 'number' && Number.isFinite(direction)
			? { ...exif, direction }
			: exif;
	} catch {
		return {};
	}
}
