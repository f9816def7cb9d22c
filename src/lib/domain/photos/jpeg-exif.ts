/**
 * Byte-level JPEG and EXIF helpers for the photo pipeline (contract §2: photos keep their
 * EXIF time, GPS and camera after resizing).
 *
 * PURE: no DOM, no Node built-ins. Every function takes bytes and returns a result or `null`;
 * none of them throws on malformed input (a photo from the field may be truncated or odd).
 */
import type { z } from 'zod';
import type { PhotoExifSchema } from '../schemas/photo.js';

export type PhotoExif = z.infer<typeof PhotoExifSchema>;

/** An outcome that callers switch on instead of catching. */
export type ByteResult =
	{ ok: true; bytes: Uint8Array<ArrayBuffer> } | { ok: false; error: string };

/** One marker segment of a JPEG header: `bytes.subarray(start, end)` is the whole segment. */
export type JpegSegment = {
	/** The marker byte after 0xFF (0xE1 for APP1, 0xC0 for SOF0 …). */
	marker: number;
	/** Offset of the segment's 0xFF. */
	start: number;
	/** Offset just past the segment. */
	end: number;
};

/** The header segments of a JPEG, up to (not including) its first scan. */
export type JpegHeader = {
	segments: JpegSegment[];
	/** Offset of the 0xFF of the SOS marker: the entropy-coded data follows. */
	scanStart: number;
};

const SOI = 0xd8;
const EOI = 0xd9;
const SOS = 0xda;
const APP0 = 0xe0;
const APP1 = 0xe1;

const TAG_ORIENTATION = 0x0112;
const TAG_EXIF_IFD = 0x8769;
const TAG_PIXEL_X = 0xa002;
const TAG_PIXEL_Y = 0xa003;
const TYPE_SHORT = 3;
const TYPE_LONG = 4;
const TYPE_IFD = 13;

/** `Exif\0` — the APP1 identifier (the sixth byte is a pad, normally 0). */
const EXIF_ID = [0x45, 0x78, 0x69, 0x66, 0x00];
/** `JFIF\0` — the APP0 identifier of a JFIF file. */
const JFIF_ID = [0x4a, 0x46, 0x49, 0x46, 0x00];
/** Where the TIFF header starts inside an EXIF APP1 segment: FF E1, length, `Exif\0\0`. */
const TIFF_START = 10;

function byteAt(bytes: Uint8Array, i: number): number {
	return bytes[i] ?? -1;
}

function u16be(bytes: Uint8Array, i: number): number {
	return (byteAt(bytes, i) << 8) | byteAt(bytes, i + 1);
}

function startsWith(bytes: Uint8Array, at: number, prefix: readonly number[]): boolean {
	if (at + prefix.length > bytes.length) return false;
	return prefix.every((b, k) => bytes[at + k] === b);
}

/** True when the bytes start like a JPEG (SOI then a marker). */
export function isJpeg(bytes: Uint8Array): boolean {
	return bytes.length >= 4 && bytes[0] === 0xff && bytes[1] === SOI && bytes[2] === 0xff;
}

/** Walks the header of a JPEG up to its first scan; `null` when it is not a well-formed JPEG. */
export function readJpegHeader(bytes: Uint8Array): JpegHeader | null {
	if (!isJpeg(bytes)) return null;
	const segments: JpegSegment[] = [];
	let pos = 2;
	while (pos < bytes.length) {
		if (bytes[pos] !== 0xff) return null;
		// Any marker may be preceded by fill bytes 0xFF.
		while (bytes[pos + 1] === 0xff) pos++;
		const marker = byteAt(bytes, pos + 1);
		if (marker < 0 || marker === 0x00 || marker === SOI || marker === EOI) return null;
		if (marker === SOS) return { segments, scanStart: pos };
		if ((marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) {
			segments.push({ marker, start: pos, end: pos + 2 });
			pos += 2;
			continue;
		}
		if (pos + 4 > bytes.length) return null;
		const length = u16be(bytes, pos + 2);
		const end = pos + 2 + length;
		if (length < 2 || end > bytes.length) return null;
		segments.push({ marker, start: pos, end });
		pos = end;
	}
	return null;
}

/**
 * False when a JPEG whose header is well formed has no EOI marker after its scan: the file
 * was cut short (an interrupted copy), and decoders would show its missing part as grey.
 * `null` when the header itself cannot be read (let the decoder judge such files).
 */
export function isJpegComplete(bytes: Uint8Array): boolean | null {
	const header = readJpegHeader(bytes);
	if (!header) return null;
	// In entropy-coded data 0xFF is always followed by 0x00 or a restart marker, so the first
	// FF D9 after the scan start is the end of the image; data after it (motion photos) is fine.
	for (let i = bytes.length - 2; i > header.scanStart; i--) {
		if (bytes[i] === 0xff && bytes[i + 1] === EOI) return true;
	}
	return false;
}

function isExifApp1(bytes: Uint8Array, segment: JpegSegment): boolean {
	return (
		segment.marker === APP1 &&
		segment.end - segment.start >= TIFF_START + 8 &&
		startsWith(bytes, segment.start + 4, EXIF_ID)
	);
}

/** Where the EXIF APP1 segment of a JPEG is (the first one), or `null` when it has none. */
export function findExifSegment(jpeg: Uint8Array): { start: number; end: number } | null {
	const header = readJpegHeader(jpeg);
	if (!header) return null;
	const segment = header.segments.find((s) => isExifApp1(jpeg, s));
	return segment ? { start: segment.start, end: segment.end } : null;
}

/** A copy of the whole EXIF APP1 segment (marker and length included), or `null`. */
export function extractExifSegment(jpeg: Uint8Array): Uint8Array<ArrayBuffer> | null {
	const found = findExifSegment(jpeg);
	return found ? jpeg.slice(found.start, found.end) : null;
}

/** The stored pixel size from the JPEG's SOF segment (before any EXIF orientation), or `null`. */
export function readJpegSize(jpeg: Uint8Array): { width: number; height: number } | null {
	const header = readJpegHeader(jpeg);
	if (!header) return null;
	for (const s of header.segments) {
		const m = s.marker;
		const isSof = m >= 0xc0 && m <= 0xcf && m !== 0xc4 && m !== 0xc8 && m !== 0xcc;
		if (!isSof || s.end - s.start < 9) continue;
		const height = u16be(jpeg, s.start + 5);
		const width = u16be(jpeg, s.start + 7);
		return width > 0 && height > 0 ? { width, height } : null;
	}
	return null;
}

/** Bounds-checked reads and writes of the TIFF structure inside an EXIF APP1 segment. */
class Tiff {
	private constructor(
		private readonly view: DataView,
		private readonly little: boolean
	) {}

	static open(segment: Uint8Array): Tiff | null {
		if (segment.length < TIFF_START + 8) return null;
		if (segment[0] !== 0xff || segment[1] !== APP1) return null;
		if (u16be(segment, 2) !== segment.length - 2) return null;
		if (!startsWith(segment, 4, EXIF_ID)) return null;
		const view = new DataView(
			segment.buffer,
			segment.byteOffset + TIFF_START,
			segment.length - TIFF_START
		);
		const order = view.getUint16(0);
		if (order !== 0x4949 && order !== 0x4d4d) return null;
		const tiff = new Tiff(view, order === 0x4949);
		return tiff.u16(2) === 42 ? tiff : null;
	}

	get length(): number {
		return this.view.byteLength;
	}

	u16(at: number): number | null {
		return at >= 0 && at + 2 <= this.length ? this.view.getUint16(at, this.little) : null;
	}

	u32(at: number): number | null {
		return at >= 0 && at + 4 <= this.length ? this.view.getUint32(at, this.little) : null;
	}

	setU16(at: number, value: number): void {
		this.view.setUint16(at, value, this.little);
	}

	setU32(at: number, value: number): void {
		this.view.setUint32(at, value, this.little);
	}

	/** Offsets of the 12-byte entries of the IFD at `offset`, or `null` when it does not fit. */
	entries(offset: number): number[] | null {
		const count = this.u16(offset);
		if (count === null || offset + 2 + count * 12 > this.length) return null;
		return Array.from({ length: count }, (_, k) => offset + 2 + k * 12);
	}
}

/** The Orientation (0x0112 in IFD0) of an EXIF APP1 segment: 1–8, or `null` when absent/odd. */
export function readExifOrientation(segment: Uint8Array): number | null {
	const tiff = Tiff.open(segment);
	const ifd0 = tiff?.u32(4);
	if (!tiff || ifd0 === null || ifd0 === undefined) return null;
	for (const entry of tiff.entries(ifd0) ?? []) {
		if (tiff.u16(entry) !== TAG_ORIENTATION) continue;
		const type = tiff.u16(entry + 2);
		const value = type === TYPE_LONG ? tiff.u32(entry + 8) : tiff.u16(entry + 8);
		return value !== null && value >= 1 && value <= 8 ? value : null;
	}
	return null;
}

/** Writes `value` into a SHORT or LONG entry with count 1; false when the entry cannot hold it. */
function writeNumberEntry(tiff: Tiff, entry: number, value: number): boolean {
	const type = tiff.u16(entry + 2);
	if (tiff.u32(entry + 4) !== 1) return false;
	if (type === TYPE_SHORT && value <= 0xffff) {
		tiff.setU16(entry + 8, value);
		tiff.setU16(entry + 10, 0);
		return true;
	}
	if (type === TYPE_LONG) {
		tiff.setU32(entry + 8, value);
		return true;
	}
	return false;
}

/**
 * A copy of an EXIF APP1 segment for a re-encoded photo: Orientation in IFD0 set to
 * `orientation` (default 1, because the canvas already turned the pixels) and, when `width`
 * and `height` are given, PixelXDimension/PixelYDimension in the Exif IFD set to them.
 * Tags that are absent stay absent (no Orientation means 1). The input is not modified.
 */
export function rewriteExifSegment(
	segment: Uint8Array,
	options: { orientation?: number; width?: number; height?: number } = {}
): ByteResult {
	const orientation = options.orientation ?? 1;
	if (!Number.isInteger(orientation) || orientation < 1 || orientation > 8) {
		return { ok: false, error: 'Orientation must be an integer 1–8' };
	}
	const copy = segment.slice();
	const tiff = Tiff.open(copy);
	if (!tiff) return { ok: false, error: 'not an EXIF APP1 segment' };
	const ifd0 = tiff.u32(4);
	const entries = ifd0 === null ? null : tiff.entries(ifd0);
	if (!entries) return { ok: false, error: 'IFD0 is outside the segment' };

	let exifIfd: number | null = null;
	for (const entry of entries) {
		const tag = tiff.u16(entry);
		if (tag === TAG_ORIENTATION && !writeNumberEntry(tiff, entry, orientation)) {
			return { ok: false, error: 'Orientation entry has an unexpected type' };
		}
		if (tag === TAG_EXIF_IFD) {
			const type = tiff.u16(entry + 2);
			if (type === TYPE_LONG || type === TYPE_IFD) exifIfd = tiff.u32(entry + 8);
		}
	}

	const { width, height } = options;
	if (exifIfd !== null && width !== undefined && height !== undefined) {
		// A broken Exif IFD is left alone: the dimensions are a nicety, Orientation is not.
		for (const entry of tiff.entries(exifIfd) ?? []) {
			const tag = tiff.u16(entry);
			if (tag === TAG_PIXEL_X) writeNumberEntry(tiff, entry, width);
			if (tag === TAG_PIXEL_Y) writeNumberEntry(tiff, entry, height);
		}
	}
	return { ok: true, bytes: copy };
}

/**
 * The JPEG with `segment` (a whole EXIF APP1 segment) as its EXIF: inserted after SOI, or after
 * a JFIF APP0 that directly follows SOI; any EXIF APP1 the JPEG already had is removed.
 */
export function insertExifSegment(jpeg: Uint8Array, segment: Uint8Array): ByteResult {
	const header = readJpegHeader(jpeg);
	if (!header) return { ok: false, error: 'not a well-formed JPEG' };
	if (!Tiff.open(segment)) return { ok: false, error: 'not an EXIF APP1 segment' };

	const first = header.segments[0];
	const afterJfif = first?.marker === APP0 && startsWith(jpeg, first.start + 4, JFIF_ID);
	const parts: Uint8Array[] = [jpeg.subarray(0, 2)];
	header.segments.forEach((s, k) => {
		if (k === 0 && !afterJfif) parts.push(segment);
		if (!isExifApp1(jpeg, s)) parts.push(jpeg.subarray(s.start, s.end));
		if (k === 0 && afterJfif) parts.push(segment);
	});
	if (header.segments.length === 0) parts.push(segment);
	parts.push(jpeg.subarray(header.scanStart));

	const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
	let at = 0;
	for (const p of parts) {
		out.set(p, at);
		at += p.length;
	}
	return { ok: true, bytes: out };
}

// ---------------------------------------------------------------------------------------------
// EXIF values → PhotoExif

/** Offset the survey assumes for EXIF times that carry none (contract §2): China, UTC+8. */
export const DEFAULT_EXIF_OFFSET = '+08:00';

function cleanString(value: unknown): string | undefined {
	if (typeof value !== 'string') return undefined;
	const s = value.replaceAll('\u0000', '').trim();
	return s === '' ? undefined : s;
}

function parseOffset(value: unknown): string | undefined {
	const s = cleanString(value);
	const m = s?.match(/^([+-])(\d{2}):(\d{2})$/);
	if (!m) return undefined;
	const hours = Number(m[2]);
	const minutes = Number(m[3]);
	return hours <= 14 && minutes < 60 ? `${m[1]}${m[2]}:${m[3]}` : undefined;
}

/**
 * An EXIF date-time (`2025:06:01 10:36:10`, local time without an offset) as ISO 8601 with
 * `offset` (an EXIF OffsetTime* value such as `+08:00`; `+08:00` when absent or invalid).
 * `undefined` for blank or impossible dates (cameras without a set clock write zeros).
 */
export function exifDateTimeToIso(dateTime: unknown, offset?: unknown): string | undefined {
	const s = cleanString(dateTime);
	const m = s?.match(/^(\d{4})[:-](\d{2})[:-](\d{2})[ T](\d{2}):(\d{2}):(\d{2})/);
	if (!m) return undefined;
	const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [
		number,
		number,
		number,
		number,
		number,
		number
	];
	const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
	if (year < 1900 || month < 1 || month > 12 || day < 1 || day > daysInMonth) return undefined;
	if (hour > 23 || minute > 59 || second > 59) return undefined;
	const date = `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}`;
	return `${date}${parseOffset(offset) ?? DEFAULT_EXIF_OFFSET}`;
}

function finite(value: unknown): number | undefined {
	return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** Degrees from an EXIF GPS [deg, min, sec] triple and its N/S/E/W reference. */
function gpsDegrees(value: unknown, ref: unknown, negative: string): number | undefined {
	if (!Array.isArray(value) || value.length < 1) return undefined;
	const [d, m = 0, s = 0] = value.map(finite);
	if (d === undefined || m === undefined || s === undefined) return undefined;
	const degrees = d + m / 60 + s / 3600;
	return cleanString(ref)?.toUpperCase() === negative ? -degrees : degrees;
}

function firstNumber(value: unknown): number | undefined {
	if (typeof value === 'number') return value;
	if (ArrayBuffer.isView(value) || Array.isArray(value)) {
		const first = (value as ArrayLike<unknown>)[0];
		return typeof first === 'number' ? first : undefined;
	}
	return undefined;
}

const round7 = (x: number) => Math.round(x * 1e7) / 1e7;

/**
 * The provenance the survey keeps from a photo's EXIF (shape of PhotoExifSchema) and its
 * `takenAt`, from raw tag values keyed by their EXIF names (`DateTimeOriginal`, `GPSLatitude`,
 * `Make` …, as exifr returns them with `reviveValues: false`; exifr's computed `latitude` and
 * `longitude` are used when present). Anything missing, malformed or out of range is left out.
 */
export function toPhotoExif(raw: unknown): { exif: PhotoExif; takenAt?: string } {
	const exif: PhotoExif = {};
	if (typeof raw !== 'object' || raw === null) return { exif };
	const tags = raw as Record<string, unknown>;

	const offset = parseOffset(tags.OffsetTimeOriginal) ?? parseOffset(tags.OffsetTime);
	const dateTimeOriginal = exifDateTimeToIso(tags.DateTimeOriginal, offset);
	if (dateTimeOriginal) exif.dateTimeOriginal = dateTimeOriginal;

	const lat = finite(tags.latitude) ?? gpsDegrees(tags.GPSLatitude, tags.GPSLatitudeRef, 'S');
	const lon = finite(tags.longitude) ?? gpsDegrees(tags.GPSLongitude, tags.GPSLongitudeRef, 'W');
	// 0/0 is what some phones write when they have no fix.
	const plausible =
		lat !== undefined &&
		lon !== undefined &&
		Math.abs(lat) <= 90 &&
		Math.abs(lon) <= 180 &&
		!(lat === 0 && lon === 0);
	if (plausible) {
		exif.lat = round7(lat);
		exif.lon = round7(lon);
	}
	const altitude = finite(tags.GPSAltitude);
	if (altitude !== undefined)
		exif.altitude = firstNumber(tags.GPSAltitudeRef) === 1 ? -altitude : altitude;

	const make = cleanString(tags.Make);
	if (make) exif.make = make.slice(0, 200);
	const model = cleanString(tags.Model);
	if (model) exif.model = model.slice(0, 200);
	const orientation = finite(tags.Orientation);
	if (
		orientation !== undefined &&
		Number.isInteger(orientation) &&
		orientation >= 1 &&
		orientation <= 8
	) {
		exif.orientation = orientation;
	}
	return dateTimeOriginal ? { exif, takenAt: dateTimeOriginal } : { exif };
}
