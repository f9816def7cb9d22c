import { z } from 'zod';
import {
	CATEGORIES,
	CONDITIONS,
	COUNTY_CODES,
	ERA_GROUPS,
	OPEN_STATUS,
	OWNERSHIP,
	PROTECTION_LEVELS,
	SUBCATEGORIES,
	THREATS,
	USAGE
} from '../codelists/index.js';
import { BoundarySchema, latitude, longText, longitude, shortText, emptyable } from './common.js';
import { siteCode } from './survey-record.js';

/** A registered site (登记在册的不可移动文物) as `GET /api/registry` returns it (contract §2). */
export const RegisteredSiteSchema = z.strictObject({
	code: siteCode,
	countyCode: z.enum(COUNTY_CODES),
	name: shortText.min(1),
	township: shortText,
	village: emptyable(shortText),
	address: longText,
	category: z.enum(CATEGORIES),
	subcategory: z.enum(SUBCATEGORIES),
	era: shortText,
	eraGroup: z.enum(ERA_GROUPS),
	protectionLevel: z.enum(PROTECTION_LEVELS),
	ownership: z.enum(OWNERSHIP),
	usage: z.array(z.enum(USAGE)).max(20),
	condition: z.enum(CONDITIONS),
	openStatus: z.enum(OPEN_STATUS),
	threats: z.array(z.enum(THREATS)).max(30),
	areaM2: z.number().finite().min(0),
	location: z.strictObject({
		lat: latitude,
		lon: longitude,
		altitude: z.number().finite().optional()
	}),
	boundary: BoundarySchema.optional(),
	description: longText,
	/** True on generated demo data, which is never official census data. */
	demo: z.literal(true).optional()
});
export type RegisteredSite = z.infer<typeof RegisteredSiteSchema>;
