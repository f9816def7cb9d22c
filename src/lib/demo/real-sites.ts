import codelists from '../domain/codelists/codelists.json';
import {
	CATEGORY_TREE,
	COUNTY_CODES,
	ERA_GROUPS,
	PROTECTION_LEVELS,
	type Category,
	type CountyCode,
	type EraGroup,
	type ProtectionLevel,
	type Subcategory
} from '../domain/codelists/index.js';

/** A real Ordos site from codelists `ordosSites` (name, level, category … as sourced there). */
export type RealSite = {
	name: string;
	level: ProtectionLevel;
	batch: string | null;
	category: Category;
	subcategory: Subcategory;
	era: string;
	eraGroup: EraGroup;
	countyCode: CountyCode;
	place: string;
	/** Set when the level is a placeholder, not a published fact. */
	levelNote?: string;
};

function oneOf<T extends string>(list: readonly T[], value: unknown, what: string): T {
	if (typeof value === 'string' && (list as readonly string[]).includes(value)) return value as T;
	throw new Error(`codelists ordosSites: ${what} “${String(value)}” is not in the code lists`);
}

type RawSite = {
	name: string;
	level: string;
	batch: string | null;
	category: string;
	sub: string;
	era: string;
	eraGroup: string;
	county: string;
	place: string;
	levelNote?: string;
};

/** The real sites of codelists `ordosSites`, checked against the typed code lists. */
export const REAL_SITES: readonly RealSite[] = (codelists.ordosSites as RawSite[]).map((s) => {
	const category = oneOf(Object.keys(CATEGORY_TREE) as Category[], s.category, 'category');
	const site: RealSite = {
		name: s.name,
		level: oneOf(PROTECTION_LEVELS, s.level, 'level'),
		batch: s.batch,
		category,
		subcategory: oneOf(CATEGORY_TREE[category] as readonly Subcategory[], s.sub, 'sub'),
		era: s.era,
		eraGroup: oneOf(ERA_GROUPS, s.eraGroup, 'eraGroup'),
		countyCode: oneOf(COUNTY_CODES, s.county, 'county'),
		place: s.place
	};
	if (s.levelNote) site.levelNote = s.levelNote;
	return site;
});
