/**
 * The streaming PDF join of the batch print (issue 14 point 1): parts of different page counts
 * come out as one PDF that pdf-lib and poppler read back, each part's pages in order under a
 * bookmark of its own, page labels numbering each part from 1, and the document's title.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
	PDFArray,
	PDFDict,
	PDFDocument,
	PDFHexString,
	PDFName,
	PDFNumber,
	StandardFonts
} from 'pdf-lib';
import { PdfJoiner } from '$lib/server/print/pdf-join.js';

const dir = mkdtempSync(join(tmpdir(), 'pdf-join-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * A PDF of `pages` A4 pages, each saying "<name> page <n>", with an image on the first; every
 * other one with object streams (as some producers write them).
 */
async function part(name: string, pages: number): Promise<Uint8Array> {
	const doc = await PDFDocument.create();
	const font = await doc.embedFont(StandardFonts.Helvetica);
	const png = await doc.embedPng(
		Uint8Array.from(
			atob(
				'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=='
			),
			(c) => c.charCodeAt(0)
		)
	);
	for (let n = 1; n <= pages; n++) {
		const page = doc.addPage([595.28, 841.89]);
		page.drawText(`${name} page ${n}`, { x: 50, y: 780, size: 14, font });
		if (n === 1) page.drawImage(png, { x: 50, y: 600, width: 100, height: 100 });
	}
	return doc.save({ useObjectStreams: n(name) % 2 === 0 });
}
const n = (name: string) => name.charCodeAt(name.length - 1);

describe('PdfJoiner', () => {
	it('joins parts into one PDF with their pages in order, a bookmark each and labels', async () => {
		const path = join(dir, 'joined.pdf');
		const joiner = await PdfJoiner.create(path);
		const sizes = { A: 3, B: 1, C: 4 } as const;
		for (const [name, pages] of Object.entries(sizes)) {
			expect(
				await joiner.add(await part(`form${name}`, pages), {
					title: `150623-000${name} 遗址${name}`,
					label: `150623-000${name}`
				})
			).toBe(pages);
		}
		expect(joiner.pages).toBe(8);
		await joiner.finish({ title: '乌审旗不可移动文物登记表（3 份）', creator: '测试' });

		const bytes = readFileSync(path);
		expect(joiner.bytes).toBe(bytes.length);
		const doc = await PDFDocument.load(bytes);
		expect(doc.getPageCount()).toBe(8);
		expect(doc.getTitle()).toBe('乌审旗不可移动文物登记表（3 份）');
		expect(doc.getCreator()).toBe('测试');

		const outlines = doc.catalog.lookup(PDFName.of('Outlines'), PDFDict);
		expect(outlines.lookup(PDFName.of('Count'), PDFNumber).asNumber()).toBe(3);
		const titles: string[] = [];
		let item = outlines.lookup(PDFName.of('First'), PDFDict) as PDFDict | undefined;
		const firstPages: number[] = [];
		const pageRefs = doc.getPages().map((p) => p.ref.toString());
		while (item) {
			titles.push(item.lookup(PDFName.of('Title'), PDFHexString).decodeText());
			const dest = item.lookup(PDFName.of('Dest'), PDFArray);
			firstPages.push(pageRefs.indexOf(dest.get(0).toString()));
			item = item.lookupMaybe(PDFName.of('Next'), PDFDict);
		}
		expect(titles).toEqual(['150623-000A 遗址A', '150623-000B 遗址B', '150623-000C 遗址C']);
		expect(firstPages).toEqual([0, 3, 4]);

		// poppler agrees: every page there, text in order, labels restart for each part
		const info = execFileSync('pdfinfo', [path]).toString();
		expect(info).toMatch(/Pages:\s+8\b/);
		expect(info).toMatch(/Title:\s+乌审旗不可移动文物登记表（3 份）/);
		const text = execFileSync('pdftotext', ['-enc', 'UTF-8', path, '-']).toString();
		const order = [
			...Array.from({ length: 3 }, (_, i) => `formA page ${i + 1}`),
			'formB page 1',
			...Array.from({ length: 4 }, (_, i) => `formC page ${i + 1}`)
		].map((s) => text.indexOf(s));
		expect(order.every((i) => i >= 0)).toBe(true);
		expect(order).toEqual([...order].sort((a, b) => a - b));
		const nums = doc.catalog
			.lookup(PDFName.of('PageLabels'), PDFDict)
			.lookup(PDFName.of('Nums'), PDFArray);
		const labels: [number, string][] = [];
		for (let i = 0; i < nums.size(); i += 2) {
			const label = nums.lookup(i + 1, PDFDict);
			expect(label.lookup(PDFName.of('S'), PDFName)).toBe(PDFName.of('D'));
			labels.push([
				nums.lookup(i, PDFNumber).asNumber(),
				label.lookup(PDFName.of('P'), PDFHexString).decodeText()
			]);
		}
		expect(labels).toEqual([
			[0, '150623-000A · '],
			[3, '150623-000B · '],
			[4, '150623-000C · ']
		]);
	});

	it('refuses to finish without a part, and abort removes the file', async () => {
		const path = join(dir, 'empty.pdf');
		const joiner = await PdfJoiner.create(path);
		await expect(joiner.finish({ title: 't', creator: 'c' })).rejects.toThrow();
		await joiner.abort();
		expect(existsSync(path)).toBe(false);
	});
});
