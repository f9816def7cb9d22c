import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

// The type-aware rules (issue 11 point 5): a promise is awaited, returned or voided, and never
// handed to something that expects a plain callback. Probed as the text of a real file, since
// type-aware parsing needs a file the TypeScript project knows.
describe('ESLint refuses promises left floating or misused', () => {
	const eslint = new ESLint();
	const rulesHit = async (code: string) => {
		const [result] = await eslint.lintText(code, { filePath: 'src/lib/format.ts' });
		return result!.messages.map((m) => m.ruleId);
	};
	const load = 'async function load(): Promise<number> {\n\treturn 1;\n}\n';

	it.each([
		[`${load}export function start(): void {\n\tload();\n}\n`, 'no-floating-promises'],
		[
			`${load}export function start(): void {\n\tsetTimeout(async () => {\n\t\tawait load();\n\t}, 1);\n}\n`,
			'no-misused-promises'
		]
	])('refuses %#', { timeout: 60_000 }, async (code, rule) => {
		expect(await rulesHit(code)).toContain(`@typescript-eslint/${rule}`);
	});

	it('allows a voided or awaited promise', { timeout: 60_000 }, async () => {
		const code = `${load}export async function start(): Promise<void> {\n\tvoid load();\n\tawait load();\n\tsetTimeout(() => void load(), 1);\n}\n`;
		expect(await rulesHit(code)).toEqual([]);
	});
});
