import type { ExportSite } from './columns.js';

/** A version's sites for a download, a page at a time, in code order. */
export type Pages = AsyncIterable<ExportSite[]>;

export type ExportContext = {
	/** the download's title (Chinese), e.g. 鄂尔多斯市不可移动文物名录 第 3 版 */
	title: string;
	/** the layer / sheet name */
	layer: string;
	/** a fresh directory the format may write its temporary files in (removed afterwards) */
	tmpDir: string;
};
