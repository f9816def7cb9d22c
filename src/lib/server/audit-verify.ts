import type { DatabaseConfig } from './db/connection.js';
import { DataStore } from './db/store.js';
import {
	entryHash,
	GENESIS_HASH,
	headFilePath,
	readHeadFile,
	type AuditEntry,
	type HeadLine
} from './db/audit.js';

/** The first thing wrong, in chain order; every message in Chinese, then English. */
export type AuditProblem = {
	seq?: number;
	recordId?: string;
	revision?: number;
	what: string;
};

export type AuditVerdict =
	| {
			ok: true;
			entries: number;
			/** Lines of the head file that name an entry (each agrees with the database). */
			anchors: number;
			/**
			 * Entries after the newest anchor: committed, their head not yet in the file (a crash
			 * between the commit and the append). Allowed; the next commit or start anchors them.
			 */
			unanchored: number;
			/** Head-file lines cut short by a crash, skipped. */
			torn: number;
	  }
	| { ok: false; entries: number; problem: AuditProblem };

const PAGE = 500;

const about = (entry: AuditEntry) => ({
	seq: entry.seq,
	recordId: entry.recordId,
	revision: entry.revision
});

/** What is wrong with one entry on its own and against the entry before it, if anything. */
function entryProblem(
	entry: AuditEntry,
	previous: AuditEntry | undefined,
	revision: { at: string; by: string; action: string; bodySha256: string } | undefined
): string | undefined {
	const expectedSeq = (previous?.seq ?? 0) + 1;
	if (entry.seq !== expectedSeq)
		return `缺少第 ${expectedSeq}–${entry.seq - 1} 条（条目被删除）/ entries ${expectedSeq}–${entry.seq - 1} are missing (deleted)`;
	if (entry.prevHash !== (previous?.hash ?? GENESIS_HASH))
		return '前一条的哈希不符（链条断开：前面的条目被改动或替换）/ previous-hash does not match the entry before (chain broken: an earlier entry was changed or replaced)';
	if (entryHash(entry) !== entry.hash)
		return '条目哈希与其内容不符（条目被改动）/ entry hash does not match its content (entry altered)';
	if (!revision)
		return '数据库中没有该条目所记的版本（版本被删除）/ the revision this entry records is not in the database (revision deleted)';
	if (revision.bodySha256 !== entry.bodySha256)
		return '版本内容与审计记录的哈希不符（版本内容被改动）/ the stored revision content does not match the hash logged (revision altered)';
	if (revision.at !== entry.at || revision.by !== entry.actor || revision.action !== entry.action)
		return '版本的时间、操作人或操作与审计记录不符（版本被改动）/ time, actor or action of the revision differ from the log (revision altered)';
	return undefined;
}

/**
 * Checks the audit chain of a database and its head file (contract §6): every entry in seq
 * order against the one before it, its own hash and the revision it records; every revision has
 * an entry; every line of the head file names an entry of the database with the same hash. The
 * head file may be behind the database (a crash between a commit and its append) but never ahead
 * of it or in disagreement. Reads the file before the database, so commits made meanwhile only
 * put the file behind. Changes nothing.
 */
export async function verifyAudit(config: DatabaseConfig): Promise<AuditVerdict> {
	const file = readHeadFile(headFilePath(config.dataDir));
	const store = await DataStore.open(config, { anchorAudit: false });
	try {
		return await store.read(async (tx): Promise<AuditVerdict> => {
			const anchors = new Map<number, HeadLine>();
			if (file.ok) for (const anchor of file.anchors) anchors.set(anchor.seq, anchor);
			let previous: AuditEntry | undefined;
			let agreed: number | undefined;
			let entries = 0;
			for (;;) {
				const page = await tx.audit.page(previous?.seq ?? 0, PAGE);
				for (const { entry, revision } of page) {
					const what = entryProblem(entry, previous, revision);
					if (what) return { ok: false, entries, problem: { ...about(entry), what } };
					const anchor = anchors.get(entry.seq);
					if (anchor && anchor.hash !== entry.hash) {
						const since =
							agreed === undefined ? '' : `，第 ${agreed} 条之后 / after entry ${agreed}`;
						return {
							ok: false,
							entries,
							problem: {
								...about(entry),
								what: `链头文件第 ${anchor.line} 行记下的哈希与数据库不同：审计表在此条或更早被重写${since} / line ${anchor.line} of the head file holds another hash for this entry: the table was rewritten at or before it`
							}
						};
					}
					if (anchor) agreed = entry.seq;
					previous = entry;
					entries++;
				}
				if (page.length < PAGE) break;
			}
			if (!file.ok) {
				return {
					ok: false,
					entries,
					problem: {
						what: `链头文件第 ${file.line} 行无法识别：“${file.text}” / line ${file.line} of the head file is not “<seq> <hash>”`
					}
				};
			}
			const headSeq = previous?.seq ?? 0;
			const ahead = file.anchors.filter((a) => a.seq > headSeq).sort((a, b) => a.seq - b.seq)[0];
			if (ahead) {
				return {
					ok: false,
					entries,
					problem: {
						seq: headSeq + 1,
						what: `链头文件（第 ${ahead.line} 行）记到第 ${ahead.seq} 条，数据库只到第 ${headSeq} 条：末尾的条目被删除 / the head file (line ${ahead.line}) reaches entry ${ahead.seq}, the database ends at ${headSeq}: the last entries were deleted`
					}
				};
			}
			const unlogged = (await tx.audit.unlogged()) ?? (await tx.audit.unloggedImport());
			if (unlogged) {
				return {
					ok: false,
					entries,
					problem: {
						...unlogged,
						what: '该版本在审计链中没有条目（版本是绕过服务器写入的）/ this revision has no audit entry (written around the server)'
					}
				};
			}
			if (entries > 0 && !file.exists) {
				return {
					ok: false,
					entries,
					problem: {
						what: `数据目录中没有链头文件 ${headFilePath(config.dataDir)}（服务器启动时会写入；若已启动过，则文件被删除）/ the head file is missing (the server writes it when it starts; if it has run, the file was removed)`
					}
				};
			}
			const newest = file.anchors.reduce((max, a) => Math.max(max, a.seq), 0);
			return {
				ok: true,
				entries,
				anchors: file.anchors.length,
				unanchored: headSeq - newest,
				torn: file.torn
			};
		});
	} finally {
		await store.close();
	}
}
