import { m } from '$lib/paraglide/messages.js';
import {
	COUNTY_CODES,
	countyName,
	DEVICE_STATUS_OF,
	type RecordStatus
} from '$lib/domain/codelists/index.js';
import { statusText } from '$lib/records/status-text.js';
import { STATUS_COLOR } from '$lib/status.js';
import type { Role } from '$lib/domain/sync/roles.js';

const ROLE_MESSAGES: Record<Role, () => string> = {
	surveyor: m.role_surveyor,
	county_reviewer: m.role_county_reviewer,
	city_reviewer: m.role_city_reviewer
};

/** A role as the review pages name it, in the current language. */
export function roleLabel(role: string): string {
	return Object.hasOwn(ROLE_MESSAGES, role) ? ROLE_MESSAGES[role as Role]() : role;
}

/** A user's counties by name; all nine as "whole city". */
export function countiesLabel(counties: readonly string[]): string {
	if (COUNTY_CODES.every((c) => counties.includes(c))) return m.all_counties();
	return counties.map(countyName).join('、');
}

/** A server status as the device and the review pages name it (contract §2). */
export function serverStatusText(status: RecordStatus): string {
	return statusText(DEVICE_STATUS_OF[status]);
}

/** The one colour of a server status (design brief). */
export function serverStatusColor(status: RecordStatus): string {
	return STATUS_COLOR[DEVICE_STATUS_OF[status]];
}

const HISTORY_ACTIONS: Record<string, () => string> = {
	push: m.review_rec_action_push,
	approve: m.review_rec_action_approve,
	return: m.review_rec_action_return,
	correct: m.review_rec_action_correct,
	publish: m.review_registry_action_publish
};

/** A history entry's action as the record page and the registration form name it. */
export function historyActionLabel(action: string): string {
	return Object.hasOwn(HISTORY_ACTIONS, action) ? HISTORY_ACTIONS[action]!() : action;
}
