/**
 * Writes the demo registry (static/data/demo-registry.json by default).
 *
 *   npx tsx scripts/generate-demo.ts [--count N] [--seed S] [--out PATH]
 *
 * Exits non-zero when an argument is wrong or a generated site fails RegisteredSiteSchema.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { asCountyCollection } from '../src/lib/domain/geometry/counties.js';
import {
	DEFAULT_DEMO_COUNT,
	DEFAULT_DEMO_SEED,
	generateDemoRegistry,
	type Divisions
} from '../src/lib/demo/index.js';
import { RegisteredSiteSchema } from '../src/lib/domain/schemas/site.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

function fail(message: string): never {
	console.error(`generate-demo: ${message}`);
	process.exit(1);
}

function parseArgs(argv: string[]): { count: number; seed: number; out: string } {
	let count = DEFAULT_DEMO_COUNT;
	let seed = DEFAULT_DEMO_SEED;
	let out = resolve(root, 'static/data/demo-registry.json');
	for (let i = 0; i < argv.length; i++) {
		const arg = argv[i]!;
		const [flag, inline] = arg.includes('=') ? arg.split(/=(.*)/s) : [arg, undefined];
		const value = (): string => {
			const v = inline ?? argv[++i];
			if (v === undefined || v === '') fail(`${flag} needs a value`);
			return v;
		};
		switch (flag) {
			case '--count': {
				const v = value();
				count = Number(v);
				if (!/^\d+$/.test(v) || count < 1 || count > 40_000)
					fail(`--count must be an integer from 1 to 40000, got “${v}”`);
				break;
			}
			case '--seed': {
				const v = value();
				seed = Number(v);
				if (!/^-?\d+$/.test(v) || seed < -(2 ** 31) || seed > 2 ** 32 - 1)
					fail(`--seed must be a 32-bit integer, got “${v}”`);
				break;
			}
			case '--out':
				out = resolve(process.cwd(), value());
				break;
			case '--help':
			case '-h':
				console.log('usage: tsx scripts/generate-demo.ts [--count N] [--seed S] [--out PATH]');
				process.exit(0);
				break;
			default:
				fail(`unknown argument “${arg}” (use --count N, --seed S, --out PATH)`);
		}
	}
	return { count, seed, out };
}

function readJson(path: string): unknown {
	try {
		return JSON.parse(readFileSync(resolve(root, path), 'utf8'));
	} catch (e) {
		fail(`cannot read ${path}: ${(e as Error).message}`);
	}
}

const { count, seed, out } = parseArgs(process.argv.slice(2));
const started = performance.now();

const counties = asCountyCollection(readJson('static/data/ordos-counties.geojson'));
if (!counties.ok) fail(`static/data/ordos-counties.geojson: ${counties.message}`);
const divisions = readJson('static/data/ordos-divisions.json') as Divisions;
if (!divisions || !Array.isArray(divisions.counties))
	fail('static/data/ordos-divisions.json has no “counties” list');

let sites;
try {
	sites = generateDemoRegistry({ seed, count, counties: counties.value, divisions });
} catch (e) {
	fail((e as Error).message);
}

const bad: string[] = [];
for (const site of sites) {
	const parsed = RegisteredSiteSchema.safeParse(site);
	if (!parsed.success) {
		const issues = parsed.error.issues
			.map((i) => `${i.path.join('.') || '(site)'}: ${i.message}`)
			.join('; ');
		bad.push(`${site.code} ${site.name}: ${issues}`);
	}
}
if (bad.length > 0) {
	fail(
		`${bad.length} generated site(s) fail RegisteredSiteSchema:\n  ${bad.slice(0, 20).join('\n  ')}`
	);
}

const json = JSON.stringify({
	generatedBy: 'scripts/generate-demo.ts (演示数据，非真实普查数据)',
	seed,
	count: sites.length,
	sites
});
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, json);
const kb = Buffer.byteLength(json) / 1024;
const size = kb >= 1024 ? `${(kb / 1024).toFixed(1)} MB` : `${kb.toFixed(0)} KB`;
console.log(
	`demo registry: ${sites.length} sites (seed ${seed}) → ${relative(process.cwd(), out) || out}, ${size}, ${Math.round(performance.now() - started)} ms`
);
