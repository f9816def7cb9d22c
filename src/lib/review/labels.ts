import { m } from '$lib/paraglide/messages.js';
import { COUNTY_CODES, countyName } from '$lib/domain/codelists/index.js';
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
