import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DbfWriter, truncateUtf8 } from '$lib/server/registry/export/dbf.js';

const dir = mkdtempSync(join(tmpdir(), 'dbf-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the Shapefile’s dBase writer', () => {
	it('writes a dBase III header, fixed-width records in UTF-8, and the end mark', async () => {
		const path = join(dir, 'sites.dbf');
		const dbf = await DbfWriter.create(path, [
			{ name: 'CODE', type: 'C', size: 11 },
			{ name: 'NAME', type: 'C', size: 7 },
			{ name: 'AREA_M2', type: 'N', size: 10, decimals: 2 }
		]);
		await dbf.append([['150622-0001', '烽燧遗址', 1234.567]]);
		await dbf.append([
			['150622-0002', null, null],
			['150622-0003', 'ab', 5]
		]);
		await dbf.close(new Date('2026-12-07T00:00:00Z'));
		const bytes = readFileSync(path);
		expect(bytes[0]).toBe(0x03);
		expect([...bytes.subarray(1, 4)]).toEqual([126, 12, 7]);
		expect(bytes.readUInt32LE(4)).toBe(3);
		const headerLength = bytes.readUInt16LE(8);
		const recordLength = bytes.readUInt16LE(10);
		expect(headerLength).toBe(32 + 32 * 3 + 1);
		expect(recordLength).toBe(1 + 11 + 7 + 10);
		const field = (i: number) => {
			const at = 32 + 32 * i;
			return {
				name: bytes
					.subarray(at, at + 11)
					.toString('ascii')
					.replace(/\0+$/, ''),
				type: String.fromCharCode(bytes[at + 11]!),
				size: bytes[at + 16],
				decimals: bytes[at + 17]
			};
		};
		expect([field(0), field(1), field(2)]).toEqual([
			{ name: 'CODE', type: 'C', size: 11, decimals: 0 },
			{ name: 'NAME', type: 'C', size: 7, decimals: 0 },
			{ name: 'AREA_M2', type: 'N', size: 10, decimals: 2 }
		]);
		expect(bytes[headerLength - 1]).toBe(0x0d);
		expect(bytes.length).toBe(headerLength + 3 * recordLength + 1);
		expect(bytes.at(-1)).toBe(0x1a);
		const record = (i: number) =>
			bytes.subarray(headerLength + i * recordLength, headerLength + (i + 1) * recordLength);
		// 烽燧 is 6 bytes; 遗 would make 9 > 7: cut on the character, padded with spaces
		expect(record(0).toString('utf8')).toBe(' 150622-0001烽燧 ' + '   1234.57');
		expect(record(1).toString('utf8')).toBe(' 150622-0002' + ' '.repeat(7) + ' '.repeat(10));
		expect(record(2).toString('utf8')).toBe(' 150622-0003ab     ' + '         5');
	});

	it('refuses a field name or size dBase cannot hold', async () => {
		await expect(
			DbfWriter.create(join(dir, 'bad.dbf'), [{ name: '名称', type: 'C', size: 10 }])
		).rejects.toThrow(/field name/);
		await expect(
			DbfWriter.create(join(dir, 'bad2.dbf'), [{ name: 'DESCRIPT', type: 'C', size: 300 }])
		).rejects.toThrow(/size/);
	});

	it('cuts UTF-8 text on a character boundary', () => {
		expect(truncateUtf8('烽燧遗址', 8)).toBe('烽燧');
		expect(truncateUtf8('烽燧遗址', 12)).toBe('烽燧遗址');
		expect(truncateUtf8('a烽', 3)).toBe('a');
	});
});
