/**
 * The photo pipeline of the field app (browser only): a camera file in, the Blob to store out.
 *
 * - At most `maxEdge` (2560) px on the long edge, as JPEG; the camera's EXIF (time, GPS, camera)
 *   is copied into the new file with Orientation = 1, because the decoder already turned the
 *   pixels upright.
 * - A photo that is small enough and needs no rotation is kept byte for byte.
 * - `sha256` of the stored bytes, `originalSha256` of the camera's file (contract §2).
 *
 * Runs on the main thread: decoding (createImageBitmap), encoding (convertToBlob) and hashing
 * are asynchronous in the browser; only the scaling draw is synchronous. Nothing is loaded
 * from outside the app's origin.
 */
import { readExifTags } from './exif-tags.js';
import {
	extractExifSegment,
	insertExifSegment,
	isJpegComplete,
	readJpegSize,
	rewriteExifSegment,
	toPhotoExif,
	type PhotoExif
} from '$lib/domain/photos/jpeg-exif.js';
import type { PhotoMime } from '$lib/domain/schemas/photo.js';

export type { PhotoExif };

export type ProcessedPhoto = {
	/** The bytes to store and upload. */
	blob: Blob;
	mimeType: PhotoMime;
	/** SHA-256 (lowercase hex) of `blob`. */
	sha256: string;
	/** SHA-256 of the camera's file; equal to `sha256` when the file was kept as it was. */
	originalSha256: string;
	/** Upright size of `blob`, in pixels. */
	width: number;
	height: number;
	/** True when the photo was scaled down. */
	resized: boolean;
	/** What the camera's EXIF said (Orientation as the camera wrote it). */
	exif: PhotoExif;
	/** EXIF DateTimeOriginal, as +08:00 unless the EXIF says otherwise; absent → the caller uses now. */
	takenAt?: string;
	/** Where the photo was taken, from its EXIF GPS. */
	lat?: number;
	lon?: number;
};

export type ProcessPhotoOptions = {
	/** Longest edge of the stored photo, px (default 2560). */
	maxEdge?: number;
	/** JPEG quality 0–1 when re-encoding (default 0.9). */
	quality?: number;
};

export const DEFAULT_MAX_EDGE = 2560;
export const DEFAULT_QUALITY = 0.9;

const MSG = {
	unreadable: '无法读取此照片文件：文件可能已被移动或删除，请重新选择或重新拍摄',
	empty: '无法读取此照片：文件是空的，请重新拍摄或选择其他文件',
	notImage: '无法读取此照片：文件不是 JPEG/PNG/WebP 图像，请重新拍摄或选择其他文件',
	heic: '无法读取此照片：不支持 HEIC 格式，请在相机设置中改用 JPEG（“兼容性最佳”）后重新拍摄，或选择其他文件',
	truncated: '无法读取此照片：文件不完整（可能复制或传输中断），请重新拍摄或选择其他文件',
	undecodable: '无法解码此照片：文件可能已损坏或不完整，请重新拍摄或选择其他文件',
	encode: '无法压缩此照片：设备内存可能不足，请关闭其他应用后重试，或重新拍摄',
	noCrypto: '无法计算照片校验值：浏览器不支持（须通过 HTTPS 打开本应用），请联系管理员'
} as const;

/** SHA-256 of the bytes, as lowercase hex (crypto.subtle: needs a secure context). */
export async function sha256Hex(
	data: Blob | ArrayBuffer | Uint8Array<ArrayBuffer>
): Promise<string> {
	const subtle = globalThis.crypto?.subtle;
	if (!subtle) throw new Error(MSG.noCrypto);
	const buffer = data instanceof Blob ? await data.arrayBuffer() : data;
	const digest = new Uint8Array(await subtle.digest('SHA-256', buffer));
	let hex = '';
	for (const b of digest) hex += b.toString(16).padStart(2, '0');
	return hex;
}

function ascii(bytes: Uint8Array, at: number, length: number): string {
	return String.fromCharCode(...bytes.subarray(at, at + length));
}

/** The image type from the file's magic bytes (the File's `type` is not trusted). */
function sniffType(bytes: Uint8Array): PhotoMime | 'heic' | null {
	if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
	if (ascii(bytes, 0, 8) === '\x89PNG\r\n\x1a\n') return 'image/png';
	if (ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 4) === 'WEBP') return 'image/webp';
	if (
		ascii(bytes, 4, 4) === 'ftyp' &&
		/^(hei[cmsx]|hev[cmsx]|mif1|msf1)$/.test(ascii(bytes, 8, 4))
	) {
		return 'heic';
	}
	return null;
}

/** The EXIF tags the survey keeps, raw (times as written, no enum translation). */
async function readExif(bytes: Uint8Array<ArrayBuffer>) {
	try {
		const tags = await readExifTags(bytes);
		return toPhotoExif(tags);
	} catch {
		// Unreadable EXIF is not a reason to refuse the photo: it is kept without provenance.
		return toPhotoExif(undefined);
	}
}

/**
 * What the device keeps about a photo it did not take itself (one fetched from the server): its
 * type from the bytes, its size and its EXIF. Stored photos are upright (`processPhoto`), so the
 * size is read as it is. Rejects with a Chinese message when the bytes are not an image.
 */
export async function describePhoto(
	blob: Blob
): Promise<{ mimeType: PhotoMime; width: number; height: number; exif: PhotoExif }> {
	let bytes: Uint8Array<ArrayBuffer>;
	try {
		bytes = new Uint8Array(await blob.arrayBuffer());
	} catch (error) {
		throw new Error(MSG.unreadable, { cause: error });
	}
	const type = sniffType(bytes);
	if (type === null || type === 'heic') throw new Error(MSG.notImage);
	const { exif } = await readExif(bytes);
	let size = type === 'image/jpeg' ? readJpegSize(bytes) : null;
	if (!size) {
		const decoded = await decode(new Blob([bytes], { type }));
		size = { width: decoded.width, height: decoded.height };
		decoded.close();
	}
	return { mimeType: type, ...size, exif };
}

type Decoded = { source: CanvasImageSource; width: number; height: number; close(): void };

/** Decodes with the EXIF orientation applied (the way browsers display the file). */
async function decode(blob: Blob): Promise<Decoded> {
	if (typeof createImageBitmap === 'function') {
		try {
			const bitmap = await createImageBitmap(blob, { imageOrientation: 'from-image' });
			return {
				source: bitmap,
				width: bitmap.width,
				height: bitmap.height,
				close: () => bitmap.close()
			};
		} catch (error) {
			if (typeof document === 'undefined') throw new Error(MSG.undecodable, { cause: error });
		}
	}
	if (typeof document === 'undefined') throw new Error(MSG.undecodable);
	// Older browsers: an <img> decodes what createImageBitmap cannot.
	const url = URL.createObjectURL(blob);
	try {
		const img = new Image();
		img.src = url;
		await img.decode();
		return { source: img, width: img.naturalWidth, height: img.naturalHeight, close: () => {} };
	} catch (error) {
		throw new Error(MSG.undecodable, { cause: error });
	} finally {
		URL.revokeObjectURL(url);
	}
}

type Canvas2D = OffscreenCanvasRenderingContext2D | CanvasRenderingContext2D;

function createCanvas(width: number, height: number) {
	if (typeof OffscreenCanvas !== 'undefined') {
		const canvas = new OffscreenCanvas(width, height);
		const ctx = canvas.getContext('2d', { alpha: false });
		return {
			ctx,
			encode: (quality: number) => canvas.convertToBlob({ type: 'image/jpeg', quality }),
			release: () => {
				canvas.width = canvas.height = 0;
			}
		};
	}
	const canvas = document.createElement('canvas');
	canvas.width = width;
	canvas.height = height;
	const ctx = canvas.getContext('2d', { alpha: false });
	return {
		ctx,
		encode: (quality: number) =>
			new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/jpeg', quality)),
		release: () => {
			canvas.width = canvas.height = 0;
		}
	};
}

/**
 * Sets the transform that draws an image stored with EXIF `orientation` upright on a canvas of
 * the upright size; the image is then drawn at (0, 0, w, h) with w×h its stored, scaled size.
 */
function applyOrientation(ctx: Canvas2D, orientation: number, w: number, h: number): void {
	const matrices: Record<number, [number, number, number, number, number, number]> = {
		2: [-1, 0, 0, 1, w, 0],
		3: [-1, 0, 0, -1, w, h],
		4: [1, 0, 0, -1, 0, h],
		5: [0, 1, 1, 0, 0, 0],
		6: [0, 1, -1, 0, h, 0],
		7: [0, -1, -1, 0, h, w],
		8: [0, -1, 1, 0, 0, w]
	};
	const m = matrices[orientation];
	if (m) ctx.transform(...m);
}

/** The upright size scaled so that its long edge is at most `maxEdge`. */
function fit(width: number, height: number, maxEdge: number) {
	const long = Math.max(width, height);
	if (long <= maxEdge) return { width, height, scaled: false };
	const k = maxEdge / long;
	return width >= height
		? { width: maxEdge, height: Math.max(1, Math.round(height * k)), scaled: true }
		: { width: Math.max(1, Math.round(width * k)), height: maxEdge, scaled: true };
}

/**
 * Prepares a camera file for storage: resized to at most `maxEdge` px on the long edge as JPEG
 * with its EXIF kept (Orientation set to 1), or kept byte for byte when it is small enough and
 * upright. Rejects with an Error whose Chinese message tells the surveyor what to do.
 */
export async function processPhoto(
	file: Blob,
	options: ProcessPhotoOptions = {}
): Promise<ProcessedPhoto> {
	const maxEdge = options.maxEdge ?? DEFAULT_MAX_EDGE;
	const quality = options.quality ?? DEFAULT_QUALITY;
	if (!Number.isInteger(maxEdge) || maxEdge < 1) throw new RangeError('maxEdge 须为正整数');
	if (!(quality > 0 && quality <= 1)) throw new RangeError('quality 须在 0 与 1 之间');

	let original: Uint8Array<ArrayBuffer>;
	try {
		original = new Uint8Array(await file.arrayBuffer());
	} catch (error) {
		throw new Error(MSG.unreadable, { cause: error });
	}
	if (original.length === 0) throw new Error(MSG.empty);
	const type = sniffType(original);
	if (type === 'heic') throw new Error(MSG.heic);
	if (type === null) throw new Error(MSG.notImage);
	if (type === 'image/jpeg' && isJpegComplete(original) === false) throw new Error(MSG.truncated);

	const [originalSha256, { exif, takenAt }] = await Promise.all([
		sha256Hex(original),
		readExif(original)
	]);
	const orientation = exif.orientation ?? 1;
	const meta = {
		exif,
		...(takenAt !== undefined && { takenAt }),
		...(exif.lat !== undefined && exif.lon !== undefined && { lat: exif.lat, lon: exif.lon })
	};

	const source = new Blob([original], { type });
	const decoded = await decode(source);
	try {
		// The decoder should have turned the pixels upright. If it did not (a browser that ignores
		// EXIF orientation: 90° turns show as unswapped sides), turn them here.
		const stored = type === 'image/jpeg' ? readJpegSize(original) : null;
		const turnedByDecoder = !(
			orientation >= 5 &&
			stored !== null &&
			stored.width !== stored.height &&
			decoded.width === stored.width &&
			decoded.height === stored.height
		);
		const swap = !turnedByDecoder;
		const upright = swap
			? { width: decoded.height, height: decoded.width }
			: { width: decoded.width, height: decoded.height };
		const target = fit(upright.width, upright.height, maxEdge);

		if (!target.scaled && orientation === 1) {
			return {
				blob: source,
				mimeType: type,
				sha256: originalSha256,
				originalSha256,
				width: upright.width,
				height: upright.height,
				resized: false,
				...meta
			};
		}

		const canvas = createCanvas(target.width, target.height);
		let encoded: Blob | null = null;
		try {
			const { ctx } = canvas;
			if (!ctx) throw new Error(MSG.encode);
			ctx.fillStyle = '#fff'; // transparent PNG/WebP pixels become white, not black
			ctx.fillRect(0, 0, target.width, target.height);
			ctx.imageSmoothingEnabled = true;
			ctx.imageSmoothingQuality = 'high';
			if (swap) {
				applyOrientation(ctx, orientation, target.height, target.width);
				ctx.drawImage(decoded.source, 0, 0, target.height, target.width);
			} else {
				ctx.drawImage(decoded.source, 0, 0, target.width, target.height);
			}
			decoded.close();
			encoded = await canvas.encode(quality);
		} catch (error) {
			throw new Error(MSG.encode, { cause: error });
		} finally {
			canvas.release();
		}
		if (!encoded || encoded.type !== 'image/jpeg') throw new Error(MSG.encode);

		let bytes = new Uint8Array(await encoded.arrayBuffer());
		const segment = type === 'image/jpeg' ? extractExifSegment(original) : null;
		if (segment) {
			const rewritten = rewriteExifSegment(segment, {
				orientation: 1,
				width: target.width,
				height: target.height
			});
			const withExif = rewritten.ok ? insertExifSegment(bytes, rewritten.bytes) : rewritten;
			// EXIF that cannot be carried over safely is dropped rather than stored wrong:
			// the values the survey needs are in `exif` anyway.
			if (withExif.ok) bytes = withExif.bytes;
		}
		return {
			blob: new Blob([bytes], { type: 'image/jpeg' }),
			mimeType: 'image/jpeg',
			sha256: await sha256Hex(bytes),
			originalSha256,
			width: target.width,
			height: target.height,
			resized: target.scaled,
			...meta
		};
	} finally {
		decoded.close();
	}
}
