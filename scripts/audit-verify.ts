/**
 * Checks the tamper-evident history (contract §6): the whole audit chain of the database and the
 * head file beside it (DATA_DIR/audit-head.log).
 *
 *   npm run audit:verify [-- --data-dir <dir>] [-- --database-url <postgres://…>]
 *
 * The database is found as the server and `npm run admin` find it: DATA_DIR/survey.sqlite
 * (DATA_DIR defaults to ./data), or PostgreSQL when DATABASE_URL is set. The head file is always
 * in DATA_DIR. It may run while the server runs; it changes nothing.
 * Exits 0 when the chain is intact, 1 when it is broken (the first broken entry is named) or
 * cannot be checked, 2 on a usage error.
 */
import { resolve } from 'node:path';
import type { DatabaseConfig } from '../src/lib/server/db/connection.js';
import { verifyAudit } from '../src/lib/server/audit-verify.js';

class UsageError extends Error {}

function configOf(argv: string[]): DatabaseConfig {
	const options: Record<string, string> = {};
	for (let i = 0; i < argv.length; i++) {
		const [name, inline] = argv[i]!.replace(/^--/, '').split(/=(.*)/s) as [string, string?];
		if (!argv[i]!.startsWith('--') || (name !== 'data-dir' && name !== 'database-url'))
			throw new UsageError(
				`未知参数 / unknown argument: ${argv[i]}（可用 --data-dir、--database-url）`
			);
		const value = inline ?? argv[++i];
		if (value === undefined) throw new UsageError(`--${name} 需要一个值 / needs a value`);
		options[name] = value;
	}
	return {
		dataDir: resolve(options['data-dir'] ?? (process.env.DATA_DIR || './data')),
		url: options['database-url'] ?? (process.env.DATABASE_URL || undefined)
	};
}

async function main(argv: string[]): Promise<number> {
	const verdict = await verifyAudit(configOf(argv));
	if (verdict.ok) {
		console.log(
			`审计链完好 / audit chain intact: ${verdict.entries} 条 entries, 链头文件 ${verdict.anchors} 行 head-file lines`
		);
		if (verdict.unanchored > 0)
			console.log(
				`注意 / note: 最后 ${verdict.unanchored} 条尚未写入链头文件（提交后、写文件前中断；下次写入或启动时补上）/ the last ${verdict.unanchored} entries are not in the head file yet (interrupted between commit and file append; anchored at the next write or start)`
			);
		if (verdict.torn > 0)
			console.log(
				`注意 / note: 链头文件有 ${verdict.torn} 行写到一半（崩溃所致，已跳过）/ ${verdict.torn} head-file lines were cut short by a crash (skipped)`
			);
		return 0;
	}
	const { problem } = verdict;
	const where = [
		problem.seq !== undefined ? `第 ${problem.seq} 条 / entry seq ${problem.seq}` : undefined,
		problem.recordId !== undefined ? `记录 / record ${problem.recordId}` : undefined,
		problem.revision !== undefined
			? `第 ${problem.revision} 版 / revision ${problem.revision}`
			: undefined
	].filter(Boolean);
	console.log('审计链已损坏 / AUDIT CHAIN BROKEN');
	if (where.length > 0) console.log(`  首个损坏处 / first broken entry: ${where.join(' · ')}`);
	console.log(`  问题 / problem: ${problem.what}`);
	console.log(`  在此之前核对完好 / verified intact before it: ${verdict.entries} 条 entries`);
	return 1;
}

main(process.argv.slice(2)).then(
	(code) => process.exit(code),
	(error: unknown) => {
		console.error(`audit:verify: ${(error as Error).message}`);
		process.exit(error instanceof UsageError ? 2 : 1);
	}
);
