import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

// src/lib/domain is shared by the device and the server: the lint rule must keep it pure.
describe('ESLint keeps src/lib/domain pure', () => {
	const eslint = new ESLint();
	const lint = async (code: string, filePath: string) => {
		const [result] = await eslint.lintText(code, { filePath });
		return result!.messages.filter((m) => m.ruleId === 'no-restricted-imports').length;
	};

	it.each([
		["import { writable } from 'svelte/store';", 'svelte'],
		["import Dexie from 'dexie';", 'dexie'],
		["import L from 'leaflet';", 'leaflet'],
		["import { page } from '$app/state';", '$app'],
		["import { readFileSync } from 'node:fs';", 'node:'],
		["import { DeviceStore } from '$lib/db/index';", 'adapters']
	])(
		'refuses %s in the domain (%s)',
		async (line) => {
			expect(await lint(`${line}\nexport const used = 1;\n`, 'src/lib/domain/probe.ts')).toBe(1);
		},
		30_000
	);

	it('allows the same imports outside the domain, and pure imports inside', async () => {
		expect(
			await lint("import Dexie from 'dexie';\nexport const d = Dexie;\n", 'src/lib/db/probe.ts')
		).toBe(0);
		expect(
			await lint(
				"import { z } from 'zod';\nexport const s = z.string();\n",
				'src/lib/domain/probe.ts'
			)
		).toBe(0);
	}, 30_000);
});
