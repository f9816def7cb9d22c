import { describe, expect, it } from 'vitest';
import { probeLinter } from './lint-probe.js';

// src/lib/domain is shared by the device and the server: the lint rule must keep it pure. It is an
// allow-list (eslint/domain-purity.js): the domain imports only itself, zod, @turf/* and geojson.
describe('ESLint keeps src/lib/domain pure', () => {
	const eslint = probeLinter();
	const lint = async (code: string, filePath: string) => {
		const [result] = await eslint.lintText(code, { filePath });
		return result!.messages.filter((m) => m.ruleId === 'domain/allowed-imports').length;
	};
	const TOP = 'src/lib/domain/probe.ts';
	const NESTED = 'src/lib/domain/qc/probe.ts';

	it.each([
		["import { DeviceStore } from '$lib/db';", TOP],
		["import { DeviceStore } from '$lib/db/index';", TOP],
		["import { DeviceStore } from '$lib/db/index.js';", TOP],
		["import { DeviceStore } from '../db/index.js';", TOP],
		["import { DeviceStore } from '../../db';", NESTED],
		["import { DeviceStore } from './x/../../../db';", NESTED],
		["import { DataStore } from '$lib/server/db/store';", TOP],
		["import { x } from '$lib/domain/../db';", TOP],
		["import Dexie from 'dexie';", TOP],
		["import { page } from '$app/state';", TOP],
		["import { env } from '$env/dynamic/private';", TOP],
		["import { writable } from 'svelte/store';", TOP],
		["import L from 'leaflet';", TOP],
		["import { readFileSync } from 'node:fs';", TOP],
		["import { readFileSync } from 'fs';", TOP],
		["import { uniformInt } from 'pure-rand/distribution/uniformInt';", NESTED],
		[
			"import { uniformInt } from 'pure-rand/distribution/uniformInt';",
			'src/lib/domain/demo/rng.ts'
		],
		["export * from '../db/index.js';", TOP],
		["export { DeviceStore } from '$lib/db';", TOP],
		["export const lazy = () => import('dexie');", TOP]
	])(
		'refuses %s in %s',
		async (line, file) => {
			expect(await lint(`${line}\nexport const used = 1;\n`, file)).toBe(1);
		},
		30_000
	);

	it.each([
		["import { z } from 'zod';", TOP],
		["import { zhCN } from 'zod/locales';", TOP],
		["import area from '@turf/area';", NESTED],
		["import type { Polygon } from 'geojson';", NESTED],
		["import { runQc } from './qc/index.js';", TOP],
		["import { parseWith } from '../schemas/common.js';", NESTED],
		["import { parseWith } from '$lib/domain/schemas/common';", NESTED]
	])(
		'allows %s in %s',
		async (line, file) => {
			expect(await lint(`${line}\nexport const used = 1;\n`, file)).toBe(0);
		},
		30_000
	);

	it('does not apply outside the domain', async () => {
		expect(
			await lint("import Dexie from 'dexie';\nexport const d = Dexie;\n", 'src/lib/db/probe.ts')
		).toBe(0);
	}, 30_000);
});
