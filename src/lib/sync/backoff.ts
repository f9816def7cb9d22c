/** The first retry after a failed sync run. */
export const BACKOFF_BASE_MS = 5_000;
/** No wait between retries is ever longer than this (5 minutes). */
export const BACKOFF_CAP_MS = 300_000;

/**
 * The wait before the next try after `failures` failed runs in a row: doubling from
 * `BACKOFF_BASE_MS`, capped at `BACKOFF_CAP_MS`. No failure, no wait.
 */
export function backoffDelay(failures: number): number {
	if (failures <= 0) return 0;
	// 2 ** 30 is far past the cap; a larger exponent would only overflow to Infinity.
	return Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** Math.min(failures - 1, 30));
}
