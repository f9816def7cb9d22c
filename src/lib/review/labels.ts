import { m } from '$lib/paraglide/messages';
import { COUNTY_CODES, countyName } from '$lib/domain/codelists/index.js';

/** A role as the review pages name it, in the current language. */
export function roleLabel(role: string): string {
	switch (role) {
		case 'surveyor':
			return m.role_surveyor();
		case 'county_reviewer':
			return m.role_county_reviewer();
		case 'city_reviewer':
			return m.role_city_reviewer();
		default:
			return role;
	}
}

/** A user's counties by name; all nine as "whole city". */
export function countiesLabel(counties: readonly string[]): string {
	if (COUNTY_CODES.every((c) => counties.includes(c))) return m.all_counties();
	return counties.map(countyName).join('、');
}
