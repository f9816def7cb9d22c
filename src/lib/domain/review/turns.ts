import type { RecordStatus } from '../codelists/index.js';
import type { Role } from '../sync/roles.js';

/**
 * Which reviewer role decides a record in which status, and what its approval makes of it
 * (contract §3): a 旗区 reviewer decides `submitted` records, a city reviewer `county_approved`
 * ones. The one table: decisions, corrections, bulk approval and the record page read it.
 */
export const REVIEW_TURNS: Partial<Record<Role, { from: RecordStatus; approve: RecordStatus }>> = {
	county_reviewer: { from: 'submitted', approve: 'county_approved' },
	city_reviewer: { from: 'county_approved', approve: 'accepted' }
};

/** The turn of `role`, or undefined for a role that decides nothing (a surveyor). */
export function reviewTurn(
	role: string
): { from: RecordStatus; approve: RecordStatus } | undefined {
	return Object.hasOwn(REVIEW_TURNS, role) ? REVIEW_TURNS[role as Role] : undefined;
}
