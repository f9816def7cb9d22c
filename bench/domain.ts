/**
 * `domain`: the pure code the tablet and the server share, timed in this process (no server).
 *
 * - QC of one record against 20,000 registered sites and 2,000 other records (a whole city's
 *   registry at the scale test's size), against the same record and 200 sites and 20 records.
 *   The tablet runs it on every save of a draft, so it must stay well under a second.
 * - The demo registry generator making 20,000 sites, against making 1,000 (the scale e2e test
 *   and `npm run demo -- --sites` use it).
 *
 * These were timing assertions in the unit tests; timings belong here, where they are compared
 * with a baseline of the same run, not in a test that a busy CI machine can make fail.
 */
import { readFileSync } from 'node:fs';
import { runQc } from '../src/lib/domain/qc/index.js';
import { generateDemoRegistry, type Divisions } from '../src/lib/demo/index.js';
import { asCountyCollection } from '../src/lib/domain/geometry/counties.js';
import {
	destination,
	makeContext,
	makeSite,
	perfectNewFind,
	SITE_POINT,
	uuid
} from '../tests/fixtures/builders.js';
import { log, median, row, type Row } from './common.js';

const RUNS = 7;

function qcMs(sites: number, others: number): number {
	const registry = Array.from({ length: sites }, (_, i) =>
		makeSite({
			code: `150627-${String(i).padStart(4, '0')}`,
			name: `遗址${i}`,
			location: destination(SITE_POINT, 200 + (i % 5000), (i * 7) % 360),
			boundary: undefined
		})
	);
	const otherRecords = Array.from({ length: others }, (_, i) =>
		perfectNewFind({ name: `记录${i}` }, uuid(100 + i))
	);
	const record = perfectNewFind({
		category: '古文化遗址',
		subcategory: '聚落址',
		era: '明',
		eraGroup: '明代'
	});
	const context = makeContext({ registry, otherRecords });
	const times: number[] = [];
	let findings = 0;
	for (let i = 0; i < RUNS; i++) {
		const start = performance.now();
		findings = runQc(record, context).length;
		times.push(performance.now() - start);
	}
	log(`QC against ${sites} sites and ${others} records: ${findings} findings`);
	return median(times);
}

function generatorMs(count: number): number {
	const read = (path: string) => JSON.parse(readFileSync(path, 'utf8')) as unknown;
	const parsed = asCountyCollection(read('static/data/ordos-counties.geojson'));
	if (!parsed.ok) throw new Error('static/data/ordos-counties.geojson does not parse');
	const divisions = read('static/data/ordos-divisions.json') as Divisions;
	const times: number[] = [];
	for (let i = 0; i < 3; i++) {
		const start = performance.now();
		const sites = generateDemoRegistry({ seed: 7, count, counties: parsed.value, divisions });
		times.push(performance.now() - start);
		if (sites.length !== count) throw new Error(`generated ${sites.length}, not ${count}`);
	}
	return median(times);
}

export function domainFigures(): Row[] {
	// warm up the JIT on the small case first, so neither side pays it
	qcMs(200, 20);
	const qcSmall = qcMs(200, 20);
	const qcLarge = qcMs(20_000, 2_000);
	generatorMs(1_000);
	const genSmall = generatorMs(1_000);
	const genLarge = generatorMs(20_000);
	return [
		row({
			id: 'qc-20000-sites',
			what: 'QC of one record, 20,000 sites and 2,000 records (median of 7)',
			unit: 'ms',
			value: qcLarge,
			baseline: qcSmall,
			baselineLabel: '200 sites, 20 records',
			target: 250
		}),
		row({
			id: 'demo-registry-20000',
			what: 'demo registry of 20,000 sites generated (median of 3)',
			unit: 'ms',
			value: genLarge,
			baseline: genSmall,
			baselineLabel: '1,000 sites',
			target: 15_000
		})
	];
}
