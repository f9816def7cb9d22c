import { COUNTY_CODES, type CountyCode } from '../../domain/codelists/index.js';
import { ROLES, type Role } from '../../domain/sync/roles.js';

export { ROLES, type Role };

/** Who is asking: what every scope check needs. */
export type Principal = {
	id: number;
	username: string;
	role: Role;
	counties: CountyCode[];
	demo: boolean;
	/** The token's id, so logout can end exactly this token. */
	tokenId: number;
};

export function inScope(user: Pick<Principal, 'counties'>, county: string): boolean {
	return (user.counties as string[]).includes(county);
}

/** A city reviewer has all nine counties whatever is stored. */
export function countiesFor(role: Role, counties: readonly string[]): CountyCode[] {
	if (role === 'city_reviewer') return [...COUNTY_CODES];
	return COUNTY_CODES.filter((c) => counties.includes(c));
}
