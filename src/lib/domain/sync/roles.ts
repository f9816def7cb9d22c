import { z } from 'zod';

/**
 * The accounts of contract §1: a `surveyor` pushes its own records from its devices, a
 * `county_reviewer` decides on its counties' records, a `city_reviewer` on every county's. The
 * one list of roles: the server, the device and the review pages import it.
 */
export const ROLES = ['surveyor', 'county_reviewer', 'city_reviewer'] as const;
export const RoleSchema = z.enum(ROLES);
export type Role = z.infer<typeof RoleSchema>;
