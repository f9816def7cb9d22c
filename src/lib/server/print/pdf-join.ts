/**
 * Joins PDFs into one file as they come, without holding the whole: each part is parsed with
 * pdf-lib, its pages (and everything they use) are copied under new object numbers and written
 * out at once, and only the offsets of the objects and a line per part stay in memory. A county's
 * forms with their photos run to hundreds of megabytes, which `PDFDocument.copyPages` and `save`
 * would hold in memory as a whole, twice.
 *
 * The file: every part's pages under a page-tree node of its own (so the part keeps its page
 * count), one bookmark per part pointing at its first page, page labels that number each part's
 * pages from 1 behind its label (a viewer shows "150623-0001 · 2"), the document's title and
 * creator, and a classic cross-reference table.
 */
import { open, rm, type FileHandle } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import {
	PDFContext,
	PDFDocument,
	PDFHexString,
	PDFName,
	PDFObjectCopier,
	PDFRef,
	PDFString,
	type PDFDict,
	type PDFObject
} from 'pdf-lib';

/**
 * How many objects are parsed, and written, between two turns of the event loop: the server
 * goes on answering requests while a form of a thousand objects is joined.
 */
const PARSE_STEP = 25;
const WRITE_STEP = 64;

/** Lets the event loop answer what waits (a request) before the next slice of work. */
const breathe = () => new Promise<void>((resolve) => setImmediate(resolve));

/** The root of the page tree: object 1, so each part's node can name it when it is written. */
const ROOT = PDFRef.of(1);

/** The header, with the binary comment line that tells transfer tools the file is binary. */
const HEADER = Buffer.concat([
	Buffer.from('%PDF-1.7\n%', 'latin1'),
	Buffer.from([0xe2, 0xe3, 0xcf, 0xd3]),
	Buffer.from('\n\n', 'latin1')
]);

export type PartEntry = {
	/** the bookmark's text */
	title: string;
	/** before each page number of the part in a viewer's page labels */
	label: string;
};

type Part = PartEntry & { node: PDFRef; firstPage: PDFRef; pages: number };

export type JoinInfo = { title: string; creator: string; producer?: string };

export class PdfJoiner {
	readonly #file: FileHandle;
	readonly path: string;
	#offset = 0;
	/** byte offset of each object, by object number */
	readonly #offsets: number[] = [];
	/** the largest object number given out so far (1 is the root, written last) */
	#last = 1;
	readonly #parts: Part[] = [];
	#pages = 0;
	#closed = false;

	private constructor(file: FileHandle, path: string) {
		this.#file = file;
		this.path = path;
	}

	/** Starts the file at `path` (replacing one there). */
	static async create(path: string): Promise<PdfJoiner> {
		const joiner = new PdfJoiner(await open(path, 'w'), path);
		await joiner.#write([HEADER]);
		return joiner;
	}

	/** Pages written so far. */
	get pages(): number {
		return this.#pages;
	}

	/** Bytes written so far. */
	get bytes(): number {
		return this.#offset;
	}

	/** Appends every page of `pdf`; returns how many. A part without pages is refused. */
	async add(pdf: Uint8Array, entry: PartEntry): Promise<number> {
		const source = await PDFDocument.load(pdf, { updateMetadata: false, parseSpeed: PARSE_STEP });
		const pages = source.getPages();
		if (pages.length === 0) throw new Error(`“${entry.title}” has no page`);
		const context = PDFContext.create();
		context.largestObjectNumber = this.#last;
		const node = context.nextRef();
		const copier = PDFObjectCopier.for(source.context, context);
		const kids: PDFRef[] = [];
		for (const page of pages) {
			const copied = copier.copy(page.node) as PDFDict;
			copied.set(PDFName.of('Parent'), node);
			kids.push(context.register(copied));
			await breathe();
		}
		context.assign(
			node,
			context.obj({ Type: 'Pages', Parent: ROOT, Kids: kids, Count: kids.length })
		);
		await this.#writeObjects(context);
		this.#parts.push({ ...entry, node, firstPage: kids[0]!, pages: kids.length });
		this.#pages += kids.length;
		return kids.length;
	}

	/** Writes the page tree, bookmarks, labels, document information and cross references. */
	async finish(info: JoinInfo): Promise<void> {
		if (this.#parts.length === 0) throw new Error('nothing to join');
		const context = PDFContext.create();
		context.largestObjectNumber = this.#last;
		context.assign(
			ROOT,
			context.obj({
				Type: 'Pages',
				Kids: this.#parts.map((p) => p.node),
				Count: this.#pages
			})
		);
		const outlines = context.nextRef();
		const items = this.#parts.map(() => context.nextRef());
		this.#parts.forEach((part, i) => {
			context.assign(
				items[i]!,
				context.obj({
					Title: PDFHexString.fromText(part.title),
					Parent: outlines,
					...(i > 0 ? { Prev: items[i - 1]! } : {}),
					...(i < items.length - 1 ? { Next: items[i + 1]! } : {}),
					Dest: [part.firstPage, 'Fit']
				})
			);
		});
		context.assign(
			outlines,
			context.obj({ Type: 'Outlines', First: items[0]!, Last: items.at(-1)!, Count: items.length })
		);
		const nums: PDFObject[] = [];
		let index = 0;
		for (const part of this.#parts) {
			nums.push(
				context.obj(index),
				context.obj({ S: 'D', P: PDFHexString.fromText(`${part.label} · `) })
			);
			index += part.pages;
		}
		const catalog = context.register(
			context.obj({
				Type: 'Catalog',
				Pages: ROOT,
				Outlines: outlines,
				PageMode: 'UseOutlines',
				PageLabels: { Nums: nums }
			})
		);
		const documentInfo = context.register(
			context.obj({
				Title: PDFHexString.fromText(info.title),
				Creator: PDFHexString.fromText(info.creator),
				Producer: PDFHexString.fromText(info.producer ?? 'pdf-lib'),
				CreationDate: PDFString.fromDate(new Date())
			})
		);
		await this.#writeObjects(context);

		const size = this.#last + 1;
		const xrefAt = this.#offset;
		const lines = [`xref\n0 ${size}\n`, '0000000000 65535 f\r\n'];
		for (let n = 1; n < size; n++) {
			const at = this.#offsets[n];
			// a number the copy gave out but never filled (a dangling reference) is a free entry
			lines.push(
				at === undefined ? '0000000000 65535 f\r\n' : `${String(at).padStart(10, '0')} 00000 n\r\n`
			);
		}
		const id = randomBytes(16).toString('hex');
		lines.push(
			`trailer\n<< /Size ${size} /Root ${catalog.toString()} /Info ${documentInfo.toString()} /ID [<${id}> <${id}>] >>\n`,
			`startxref\n${xrefAt}\n%%EOF\n`
		);
		await this.#write([Buffer.from(lines.join(''), 'latin1')]);
		await this.#close();
	}

	/** Stops and removes the file. */
	async abort(): Promise<void> {
		await this.#close().catch(() => undefined);
		await rm(this.path, { force: true });
	}

	async #close(): Promise<void> {
		if (this.#closed) return;
		this.#closed = true;
		await this.#file.close();
	}

	/** Writes every object of `context` (in number order) and notes where each starts. */
	async #writeObjects(context: PDFContext): Promise<void> {
		let chunks: Uint8Array[] = [];
		let offset = this.#offset;
		for (const [i, [ref, object]] of context.enumerateIndirectObjects().entries()) {
			const head = Buffer.from(`${ref.objectNumber} ${ref.generationNumber} obj\n`, 'latin1');
			const body = new Uint8Array(object.sizeInBytes());
			object.copyBytesInto(body, 0);
			const tail = Buffer.from('\nendobj\n', 'latin1');
			this.#offsets[ref.objectNumber] = offset;
			chunks.push(head, body, tail);
			offset += head.length + body.length + tail.length;
			if ((i + 1) % WRITE_STEP === 0) {
				await this.#write(chunks);
				chunks = [];
			}
		}
		await this.#write(chunks);
		this.#last = Math.max(this.#last, context.largestObjectNumber);
	}

	async #write(chunks: Uint8Array[]): Promise<void> {
		if (this.#closed) throw new Error('the joined PDF is closed');
		if (chunks.length === 0) return;
		const bytes = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
		let written = 0;
		while (written < bytes.length) {
			const { bytesWritten } = await this.#file.write(bytes, written, bytes.length - written);
			written += bytesWritten;
		}
		this.#offset += bytes.length;
	}
}
