/** Reads the EXIF tags the survey keeps (exifr), on the device and in the reviewer's browser alike. */
import exifr from 'exifr';

/**
 * The raw tags of `input` (times as written, no enum translation), merged into one object;
 * undefined when it has none. Throws when the EXIF cannot be read: the caller decides what that means.
 */
export async function readExifTags(input: Blob | Uint8Array<ArrayBuffer>): Promise<unknown> {
	return (await exifr.parse(input, {
		tiff: true,
		exif: true,
		gps: true,
		ifd1: false,
		interop: false,
		makerNote: false,
		userComment: false,
		xmp: false,
		icc: false,
		iptc: false,
		jfif: false,
		ihdr: false,
		reviveValues: false,
		translateValues: false,
		mergeOutput: true
	})) as unknown;
}
