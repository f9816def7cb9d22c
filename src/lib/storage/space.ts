/**
 * Storage pressure (issue 5.3): how much a write may need, and whether the device can take it
 * while keeping the surveyor's safety margin free. Pure functions; the estimate comes from
 * `navigator.storage.estimate()` through `DeviceState`.
 */

const MB = 1024 * 1024;

/** The margin kept free by default, in MB (a device setting, `storageMarginMb`). */
export const DEFAULT_MARGIN_MB = 200;
export const MIN_MARGIN_MB = 50;
export const MAX_MARGIN_MB = 10_000;

export const mbToBytes = (mb: number): number => mb * MB;

/**
 * An upper bound of what one photo adds to IndexedDB. The stored photo is either the camera's
 * file kept byte for byte or a JPEG re-encoded at most `maxEdge` px on the long edge; a JPEG at
 * quality 0.9 stays under 1 byte per pixel even for a noisy scene, so `maxEdge² × 1` bounds
 * it whatever the shape. The metadata row (EXIF, captions) is far under 64 KB; IndexedDB's own
 * bookkeeping adds a little, hence the 10 %.
 */
export function photoWriteBytes(fileSize: number, maxEdge = 2560): number {
	const stored = Math.max(fileSize, maxEdge * maxEdge);
	return Math.ceil(stored * 1.1) + 64 * 1024;
}

export type StorageEstimateInfo = { usage: number; quota: number };

export type SpaceCheck =
	| { ok: true; free: number | null }
	| {
			ok: false;
			/** Free now (quota − usage). */
			free: number;
			/** What the write would take at most. */
			needed: number;
			margin: number;
	  };

/**
 * Whether a write of `needed` bytes may start: it may not when it would leave less than
 * `margin` free. Without an estimate (an old browser) the write goes ahead, and a quota error
 * is caught where it is written.
 */
export function checkSpace(
	storage: StorageEstimateInfo | null,
	needed: number,
	margin: number
): SpaceCheck {
	if (!storage) return { ok: true, free: null };
	const free = Math.max(0, storage.quota - storage.usage);
	if (free - needed < margin) return { ok: false, free, needed, margin };
	return { ok: true, free };
}

/**
 * True for the browser's "storage full" refusal, as IndexedDB or Dexie report it: the error
 * itself, or the inner error of a transaction Dexie aborted because of it.
 */
export function isQuotaError(error: unknown): boolean {
	for (let e: unknown = error, depth = 0; e && depth < 4; depth++) {
		const { name, message, inner } = e as { name?: unknown; message?: unknown; inner?: unknown };
		if (name === 'QuotaExceededError') return true;
		if (typeof message === 'string' && /quota/i.test(message)) return true;
		e = inner;
	}
	return false;
}
