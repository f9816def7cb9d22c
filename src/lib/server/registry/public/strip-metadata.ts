/**
 * A photo's bytes without their metadata, for the public registry (contract §5: the EXIF GPS of
 * protected sites' photos is removed). Every public photo goes through it, open site or not, so
 * no rule about which photo needs it can be got wrong. Only the image itself is kept:
 *
 * - JPEG: every APP1–APP15 segment (EXIF, XMP, ICC, Photoshop IRB, …) and every comment (COM)
 *   is dropped, and anything after the end-of-image marker. APP0 (JFIF) and the coding segments
 *   stay. The one tag kept is the orientation (how to turn the picture upright): when the EXIF
 *   says anything but upright, a new, minimal EXIF segment holding that tag alone goes in after
 *   the JFIF header, so a photo shot on its side still shows upright, and nothing else of the
 *   EXIF (GPS, time, camera, thumbnail) survives.
 * - PNG: only the chunks that draw the image stay (IHDR, PLTE, tRNS, gAMA, cHRM, sRGB, IDAT,
 *   IEND); eXIf and text chunks go.
 * - WebP: the EXIF and XMP chunks go, and the VP8X flags that announce them are cleared.
 *
 * Bytes that do not parse as their type give `null`: a photo that cannot be cleaned is not
 * published.
 */

function concat(parts: Uint8Array[]): Uint8Array {
	const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
	let at = 0;
	for (const p of parts) {
		out.set(p, at);
		at += p.length;
	}
	return out;
}

/** The orientation tag (0x0112) of an EXIF APP1 segment's payload, when it is 2–8. */
function exifOrientation(payload: Uint8Array): number | undefined {
	// "Exif\0\0", then a TIFF header: byte order, 42, the offset of IFD0
	const exif = [0x45, 0x78, 0x69, 0x66, 0, 0];
	if (payload.length < 14 || exif.some((b, k) => payload[k] !== b)) return undefined;
	const tiff = payload.subarray(6);
	const view = new DataView(tiff.buffer, tiff.byteOffset, tiff.byteLength);
	const order = view.getUint16(0);
	if (order !== 0x4949 && order !== 0x4d4d) return undefined;
	const little = order === 0x4949;
	if (view.getUint16(2, little) !== 42) return undefined;
	const ifd = view.getUint32(4, little);
	if (ifd + 2 > tiff.length) return undefined;
	const entries = view.getUint16(ifd, little);
	for (let k = 0; k < entries; k++) {
		const at = ifd + 2 + 12 * k;
		if (at + 12 > tiff.length) return undefined;
		if (view.getUint16(at, little) !== 0x0112) continue;
		// SHORT, one value, held in the entry itself
		if (view.getUint16(at + 2, little) !== 3) return undefined;
		const value = view.getUint16(at + 8, little);
		return value >= 2 && value <= 8 ? value : undefined;
	}
	return undefined;
}

/** An APP1 segment whose EXIF holds the orientation tag and nothing else. */
function orientationSegment(orientation: number): Uint8Array {
	// marker, length 34; "Exif\0\0"; big-endian TIFF header, IFD0 at 8; one entry; no next IFD
	// prettier-ignore
	return Uint8Array.of(
		0xff, 0xe1, 0x00, 0x22,
		0x45, 0x78, 0x69, 0x66, 0x00, 0x00,
		0x4d, 0x4d, 0x00, 0x2a, 0x00, 0x00, 0x00, 0x08,
		0x00, 0x01,
		0x01, 0x12, 0x00, 0x03, 0x00, 0x00, 0x00, 0x01, 0x00, orientation, 0x00, 0x00,
		0x00, 0x00, 0x00, 0x00
	);
}

/**
 * A JPEG without APP1–APP15, COM, and what trails its end; with an orientation-only EXIF when
 * the original was not upright.
 */
export function stripJpeg(bytes: Uint8Array): Uint8Array | null {
	if (bytes.length < 4 || bytes[0] !== 0xff || bytes[1] !== 0xd8) return null;
	const parts: Uint8Array[] = [bytes.subarray(0, 2)];
	let orientation: number | undefined;
	/** where the orientation segment goes: after SOI, or after the JFIF header right after it */
	let headerEnd = 1;
	let i = 2;
	for (;;) {
		if (i >= bytes.length || bytes[i] !== 0xff) return null;
		// fill bytes before a marker
		while (i < bytes.length && bytes[i] === 0xff) i++;
		if (i >= bytes.length) return null;
		const marker = bytes[i]!;
		i++;
		if (marker === 0xd9) {
			parts.push(Uint8Array.of(0xff, 0xd9));
			if (orientation !== undefined) parts.splice(headerEnd, 0, orientationSegment(orientation));
			return concat(parts);
		}
		if ((marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) {
			parts.push(Uint8Array.of(0xff, marker));
			continue;
		}
		if (i + 2 > bytes.length) return null;
		const length = (bytes[i]! << 8) | bytes[i + 1]!;
		if (length < 2 || i + length > bytes.length) return null;
		const end = i + length;
		const metadata = (marker >= 0xe1 && marker <= 0xef) || marker === 0xfe;
		if (marker === 0xe1) orientation ??= exifOrientation(bytes.subarray(i + 2, end));
		if (!metadata) parts.push(Uint8Array.of(0xff, marker), bytes.subarray(i, end));
		if (marker === 0xe0 && parts.length === 3) headerEnd = 3;
		i = end;
		if (marker === 0xda) {
			// entropy-coded data runs to the next marker that is neither a stuffed 0x00 nor a restart
			let j = i;
			while (j + 1 < bytes.length) {
				if (bytes[j] === 0xff) {
					const next = bytes[j + 1]!;
					if (next !== 0x00 && !(next >= 0xd0 && next <= 0xd7) && next !== 0xff) break;
				}
				j++;
			}
			if (j + 1 >= bytes.length) return null;
			parts.push(bytes.subarray(i, j));
			i = j;
		}
	}
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const PNG_KEEP = new Set(['IHDR', 'PLTE', 'tRNS', 'gAMA', 'cHRM', 'sRGB', 'IDAT', 'IEND']);

/** A PNG of its drawing chunks alone. */
export function stripPng(bytes: Uint8Array): Uint8Array | null {
	if (bytes.length < 8 || PNG_SIGNATURE.some((b, k) => bytes[k] !== b)) return null;
	const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
	const parts: Uint8Array[] = [bytes.subarray(0, 8)];
	let i = 8;
	while (i + 12 <= bytes.length) {
		const length = view.getUint32(i);
		const type = String.fromCharCode(...bytes.subarray(i + 4, i + 8));
		const end = i + 12 + length;
		if (end > bytes.length) return null;
		if (PNG_KEEP.has(type)) parts.push(bytes.subarray(i, end));
		i = end;
		if (type === 'IEND') return concat(parts);
	}
	return null;
}

/** A WebP without its EXIF and XMP chunks. */
export function stripWebp(bytes: Uint8Array): Uint8Array | null {
	const text = (at: number) => String.fromCharCode(...bytes.subarray(at, at + 4));
	if (bytes.length < 20 || text(0) !== 'RIFF' || text(8) !== 'WEBP') return null;
	const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
	const parts: Uint8Array[] = [];
	let i = 12;
	while (i + 8 <= bytes.length) {
		const type = text(i);
		const size = view.getUint32(i + 4, true);
		const end = i + 8 + size + (size % 2);
		if (i + 8 + size > bytes.length) return null;
		const chunk = bytes.slice(i, Math.min(end, bytes.length));
		if (type === 'VP8X' && chunk.length > 8) chunk[8] = chunk[8]! & ~0x0c;
		if (type !== 'EXIF' && type !== 'XMP ') parts.push(chunk);
		i = end;
	}
	const body = concat(parts);
	const out = new Uint8Array(12 + body.length);
	out.set(bytes.subarray(0, 12));
	new DataView(out.buffer).setUint32(4, 4 + body.length, true);
	out.set(body, 12);
	return out;
}

/** The bytes of a photo of type `mime` without metadata, or null when they do not parse. */
export function stripMetadata(mime: string, bytes: Uint8Array): Uint8Array | null {
	if (mime === 'image/jpeg') return stripJpeg(bytes);
	if (mime === 'image/png') return stripPng(bytes);
	if (mime === 'image/webp') return stripWebp(bytes);
	return null;
}
