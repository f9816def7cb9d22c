/**
 * Seeds a published registry version straight into the data layer for the export bench
 * (bench/export.ts): `registry_versions` row `version` and `count` sites in
 * `registry_version_sites`, in batches, as a publish would have stored them (contract §5). The
 * sites are spread over the nine counties with codes `<county>-<4 digits>`, Chinese names,
 * every third one open (开放) and the others protected, and one in ten with a boundary.
 */
import type { DataStore } from '../src/lib/server/db/store.js';
import { COUNTY_CODES } from '../src/lib/domain/codelists/index.js';
import type { PublishedSiteData } from '../src/lib/domain/registry/publish.js';

const NAMES = ['烽燧遗址', '古城遗址', '墓群', '长城段', '石窟寺', '敖包', '岩画', '窑址'];
const BATCH = 500;

/** The site number `i` of a seeded version (deterministic). */
export function seededSite(i: number): PublishedSiteData {
	const county = COUNTY_CODES[i % COUNTY_CODES.length]!;
	const seq = Math.floor(i / COUNTY_CODES.length) + 1;
	const code = `${county}-${String(seq).padStart(4, '0')}`;
	const lon = 107.5 + ((i * 7919) % 30000) / 10000;
	const lat = 38.0 + ((i * 104729) % 25000) / 10000;
	const site: PublishedSiteData = {
		code,
		countyCode: county,
		name: `测试${NAMES[i % NAMES.length]}${seq}号`,
		township: '札萨克镇',
		village: '巴音敖包村',
		address: `札萨克镇巴音敖包村西北约${(i % 50) / 10}公里台地`,
		category: '古文化遗址',
		subcategory: '军事设施遗址',
		era: '明',
		eraGroup: '明代',
		protectionLevel: '尚未核定公布为文物保护单位的不可移动文物',
		ownership: '国家所有',
		usage: ['无人使用'],
		condition: '较差',
		openStatus: i % 3 === 0 ? '开放' : '未开放',
		threats: ['沙漠化（风沙侵蚀）', '农耕'],
		areaM2: 1000 + (i % 9000),
		location: {
			lat: Number(lat.toFixed(6)),
			lon: Number(lon.toFixed(6)),
			altitude: 1300 + (i % 200)
		},
		description: `明代烽燧，夯土筑成，现存高约${(i % 8) + 2}米。`
	};
	if (i % 10 === 5) {
		const d = 0.001;
		site.boundary = {
			type: 'Polygon',
			coordinates: [
				[
					[lon - d, lat - d],
					[lon + d, lat - d],
					[lon + d, lat + d],
					[lon - d, lat + d],
					[lon - d, lat - d]
				]
			]
		};
	}
	return site;
}

/** Writes version `version` with `count` seeded sites. */
export async function seedVersion(store: DataStore, version: number, count: number): Promise<void> {
	await store.registryVersions.create({
		version,
		at: new Date().toISOString(),
		by: 'city',
		note: `bench: ${count} sites`
	});
	for (let start = 0; start < count; start += BATCH) {
		const rows = [];
		for (let i = start; i < Math.min(count, start + BATCH); i++) {
			const data = seededSite(i);
			rows.push({
				version,
				code: data.code,
				countyCode: data.countyCode,
				data,
				lost: i % 50 === 7,
				lostReason: i % 50 === 7 ? '修路时被推平' : null,
				source: 'import' as const,
				recordId: null,
				recordRevision: null,
				publishedRevision: null,
				sinceVersion: version
			});
		}
		await store.registryVersions.putSites(version, rows);
	}
	await store.registryVersions.finish(version, { records: 0, added: 0, changed: 0, lost: 0 });
}
