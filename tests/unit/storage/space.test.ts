import { describe, expect, it } from 'vitest';
import { checkSpace, isQuotaError, mbToBytes, photoWriteBytes } from '$lib/storage/space.js';

const MB = 1024 * 1024;

describe('photoWriteBytes', () => {
	it('bounds a small file by the largest re-encoded photo', () => {
		// A 300 KB file may still be re-encoded (rotated) at up to 2560 px.
		expect(photoWriteBytes(300 * 1024)).toBeGreaterThanOrEqual(2560 * 2560);
	});

	it('bounds a large camera file by its own size plus metadata', () => {
		const size = 12 * MB;
		expect(photoWriteBytes(size)).toBeGreaterThan(size + 64 * 1024);
		expect(photoWriteBytes(size)).toBeLessThan(size * 1.2);
	});
});

describe('checkSpace', () => {
	const margin = mbToBytes(200);

	it('lets a write start when it leaves the margin free', () => {
		const storage = { usage: 1_000, quota: 1_000 + margin + 10 * MB };
		expect(checkSpace(storage, 10 * MB, margin)).toEqual({ ok: true, free: margin + 10 * MB });
	});

	it('refuses a write that would eat into the margin, saying what is free and needed', () => {
		const storage = { usage: 1_000, quota: 1_000 + margin + 10 * MB };
		expect(checkSpace(storage, 10 * MB + 1, margin)).toEqual({
			ok: false,
			free: margin + 10 * MB,
			needed: 10 * MB + 1,
			margin
		});
	});

	it('refuses when usage already exceeds the quota', () => {
		const result = checkSpace({ usage: 2 * MB, quota: MB }, 1, 0);
		expect(result).toMatchObject({ ok: false, free: 0 });
	});

	it('lets the write start without an estimate (the quota error is caught later)', () => {
		expect(checkSpace(null, 10 * MB, margin)).toEqual({ ok: true, free: null });
	});
});

describe('isQuotaError', () => {
	it('knows the browser error, Dexie wrapping it, and nothing else', () => {
		expect(isQuotaError(new DOMException('full', 'QuotaExceededError'))).toBe(true);
		expect(
			isQuotaError({
				name: 'AbortError',
				message: 'Transaction aborted',
				inner: { name: 'QuotaExceededError', message: '' }
			})
		).toBe(true);
		expect(isQuotaError(new Error('Quota exceeded for origin'))).toBe(true);
		expect(isQuotaError(new Error('无法解码此照片'))).toBe(false);
		expect(isQuotaError(undefined)).toBe(false);
	});
});
