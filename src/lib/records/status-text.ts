import type { DeviceStatus } from '$lib/domain/codelists/index.js';
import { m } from '$lib/paraglide/messages.js';

/** Per status, its name and one sentence on what it means for the surveyor and what comes next. */
const WORDS: Record<DeviceStatus, { text: () => string; hint: () => string }> = {
	未复查: { text: m.status_unchecked, hint: m.status_hint_unchecked },
	草稿: { text: m.status_draft, hint: m.status_hint_draft },
	待上传: { text: m.status_queued, hint: m.status_hint_queued },
	上传中: { text: m.status_uploading, hint: m.status_hint_uploading },
	已送达: { text: m.status_delivered, hint: m.status_hint_delivered },
	已退回: { text: m.status_returned, hint: m.status_hint_returned },
	冲突: { text: m.status_conflict, hint: m.status_hint_conflict },
	审核中: { text: m.status_in_review, hint: m.status_hint_in_review },
	已通过: { text: m.status_accepted, hint: m.status_hint_accepted },
	已公布: { text: m.status_published, hint: m.status_hint_published }
};

/** A status as words (the one wording of `recordStatus`), with the photo count while uploading. */
export function statusText(status: DeviceStatus, upload?: { done: number; total: number }): string {
	return status === '上传中' && upload ? m.status_uploading_progress(upload) : WORDS[status].text();
}

/** What a status means for the surveyor, and what comes next. */
export function statusHint(status: DeviceStatus): string {
	return WORDS[status].hint();
}
