import { m } from '$lib/paraglide/messages.js';
import type { SampleConclusion } from '$lib/domain/sync/wire.js';

/** A pass rate as the pages show it: "87.5%", or "—" while nothing is concluded. */
export function passRateText(rate: number | null): string {
	if (rate === null) return '—';
	return `${(Math.round(rate * 1000) / 10).toFixed(1)}%`;
}

/** 合格 / 不合格 in the current language. */
export function conclusionLabel(conclusion: SampleConclusion): string {
	return conclusion === '合格' ? m.review_samples_pass() : m.review_samples_fail();
}
