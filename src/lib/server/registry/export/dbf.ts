/**
 * The `.dbf` of a Shapefile: dBase III, text in UTF-8 (the layer's `.cpg` says so), written a
 * page of records at a time.
 *
 * Why not `dbffile` (which this replaced): it writes every record with its own `write` call
 * (100,000 sites are 100,000 round trips through libuv's thread pool, four seconds of waiting)
 * and copies each byte of a text on its own. The layout is fixed and small — a 32-byte header,
 * a 32-byte descriptor per field, then fixed-width records — so it is written here the way
 * the `.shp` beside it is. Text is cut to its field's size on a character boundary
 * (`truncateUtf8`), never in the middle of a character.
 */
import { open, type FileHandle } from 'node:fs/promises';

export type DbfField =
	| { name: string; type: 'C'; size: number }
	| { name: string; type: 'N'; size: number; decimals: number };

export type DbfValue = string | number | null;

/** `text` cut to at most `max` UTF-8 bytes, on a character boundary. */
export function truncateUtf8(text: string, max: number): string {
	if (Buffer.byteLength(text) <= max) return text;
	let bytes = 0;
	let out = '';
	for (const ch of text) {
		const size = Buffer.byteLength(ch);
		if (bytes + size > max) break;
		bytes += size;
		out += ch;
	}
	return out;
}

export class DbfWriter {
	private count = 0;
	private readonly recordLength: number;
	private readonly headerLength: number;

	private constructor(
		private readonly file: FileHandle,
		private readonly fields: readonly DbfField[]
	) {
		this.recordLength = 1 + fields.reduce((n, f) => n + f.size, 0);
		this.headerLength = 32 + 32 * fields.length + 1;
	}

	static async create(path: string, fields: readonly DbfField[]): Promise<DbfWriter> {
		for (const f of fields) {
			if (!/^[A-Z0-9_]{1,10}$/.test(f.name)) throw new Error(`dBase field name ${f.name}`);
			if (f.size < 1 || f.size > 254) throw new Error(`dBase field ${f.name} size ${f.size}`);
		}
		return new DbfWriter(await open(path, 'w'), fields);
	}

	get records(): number {
		return this.count;
	}

	/** Appends records, each a value per field in the fields' order (null: empty). */
	async append(records: readonly (readonly DbfValue[])[]): Promise<void> {
		if (records.length === 0) return;
		const buffer = Buffer.alloc(this.recordLength * records.length, 0x20);
		let at = 0;
		for (const record of records) {
			at += 1; // deletion flag: a space, the buffer's fill
			this.fields.forEach((field, i) => {
				const value = record[i];
				if (value !== null && value !== undefined) {
					if (field.type === 'C') {
						buffer.write(truncateUtf8(String(value), field.size), at, 'utf8');
					} else {
						const text = String(Number(Number(value).toFixed(field.decimals))).slice(0, field.size);
						buffer.write(text, at + field.size - text.length, 'latin1');
					}
				}
				at += field.size;
			});
		}
		await this.file.write(
			buffer,
			0,
			buffer.length,
			this.headerLength + this.count * this.recordLength
		);
		this.count += records.length;
	}

	/** Writes the header (with the record count) and the end-of-file mark, and closes the file. */
	async close(now = new Date()): Promise<void> {
		try {
			const header = Buffer.alloc(this.headerLength);
			header.writeUInt8(0x03, 0);
			header.writeUInt8(now.getUTCFullYear() - 1900, 1);
			header.writeUInt8(now.getUTCMonth() + 1, 2);
			header.writeUInt8(now.getUTCDate(), 3);
			header.writeUInt32LE(this.count, 4);
			header.writeUInt16LE(this.headerLength, 8);
			header.writeUInt16LE(this.recordLength, 10);
			this.fields.forEach((field, i) => {
				const at = 32 + 32 * i;
				header.write(field.name, at, 'ascii');
				header.write(field.type, at + 11, 'ascii');
				header.writeUInt8(field.size, at + 16);
				header.writeUInt8(field.type === 'N' ? field.decimals : 0, at + 17);
			});
			header.writeUInt8(0x0d, this.headerLength - 1);
			await this.file.write(header, 0, header.length, 0);
			await this.file.write(
				Buffer.from([0x1a]),
				0,
				1,
				this.headerLength + this.count * this.recordLength
			);
		} finally {
			await this.file.close();
		}
	}
}
