/**
 * The server's command-line tool: users and their tokens (contract §4).
 *
 *   npm run admin -- user list
 *   npm run admin -- user add <username> --role <surveyor|county_reviewer|city_reviewer> [--counties 150602,150603] [--name 姓名] [--password-stdin]
 *   npm run admin -- user set <username> [--role …] [--counties …] [--name …]
 *   npm run admin -- user passwd <username> [--password-stdin]      (also ends the user's tokens)
 *   npm run admin -- user disable <username>                       (also ends the user's tokens)
 *   npm run admin -- user enable <username>
 *   npm run admin -- user revoke <username>                        (ends every token: devices must log in again)
 *   npm run admin -- backup <empty-dir>           consistent backup of DATA_DIR, also while the server runs
 *   npm run admin -- restore <backup-dir>         into an empty DATA_DIR (server stopped)
 *   npm run admin -- check [--remove-orphans]     every named photo present with the right hash; orphans
 *   npm run admin -- import <backup.zip> [--as <username>] [--format json]
 *                                                 a device's backup file, as a push from that device
 *
 * The database is DATA_DIR/survey.sqlite (DATA_DIR defaults to ./data; `--data-dir` overrides),
 * or PostgreSQL when DATABASE_URL (`--database-url`) is set, as for the server; photos are always
 * under DATA_DIR. It may run while the server runs (SQLite WAL; PostgreSQL). A backup of a
 * PostgreSQL server is the same SQLite-file backup, and restores into an empty PostgreSQL
 * database (DATABASE_URL set) or an empty DATA_DIR. A password comes from stdin with
 * --password-stdin, from a hidden prompt on a terminal, or is generated and shown once.
 * Exits 2 on a usage error, 1 when the command cannot be carried out.
 */
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { DataStore } from '../src/lib/server/db/store.js';
import type { DatabaseConfig } from '../src/lib/server/db/connection.js';
import { hashPassword } from '../src/lib/server/auth/password.js';
import { ROLES, type Role } from '../src/lib/server/auth/roles.js';
import { COUNTY_CODES } from '../src/lib/domain/codelists/index.js';
import { backupDataDir, checkDataDir, restoreDataDir } from '../src/lib/server/backup.js';
import { MIN_PASSWORD_LENGTH, USERNAME_PATTERN, USERNAME_RULE } from '../src/lib/server/admin.js';

class UsageError extends Error {}

type Options = Record<string, string | true>;

function parse(argv: string[]): { words: string[]; options: Options } {
	const words: string[] = [];
	const options: Options = {};
	for (let i = 0; i < argv.length; i++) {
		const arg = argv[i]!;
		if (!arg.startsWith('--')) {
			words.push(arg);
			continue;
		}
		const [name, inline] = arg.slice(2).split(/=(.*)/s) as [string, string | undefined];
		if (name === 'password-stdin' || name === 'remove-orphans') options[name] = true;
		else {
			const value = inline ?? argv[++i];
			if (value === undefined) throw new UsageError(`--${name} 需要一个值`);
			options[name] = value;
		}
	}
	return { words, options };
}

function roleOf(value: string | true | undefined): Role | undefined {
	if (value === undefined) return undefined;
	if (value === true || !(ROLES as readonly string[]).includes(value)) {
		throw new UsageError(`--role 应为 ${ROLES.join('、')} 之一`);
	}
	return value as Role;
}

function countiesOf(value: string | true | undefined): string[] | undefined {
	if (value === undefined) return undefined;
	if (value === true) throw new UsageError('--counties 需要旗区代码，用逗号分隔');
	const codes = value
		.split(',')
		.map((c) => c.trim())
		.filter(Boolean);
	const unknown = codes.filter((c) => !(COUNTY_CODES as string[]).includes(c));
	if (unknown.length > 0)
		throw new UsageError(
			`未知的旗区代码：${unknown.join('、')}（可用：${COUNTY_CODES.join('、')}）`
		);
	return codes;
}

async function readPassword(options: Options): Promise<{ password: string; generated: boolean }> {
	let password: string;
	if (options['password-stdin']) {
		const chunks: Buffer[] = [];
		for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
		password = Buffer.concat(chunks)
			.toString('utf8')
			.replace(/\r?\n$/, '');
	} else if (process.stdin.isTTY) {
		password = await hiddenPrompt('新密码：');
	} else {
		return { password: randomBytes(12).toString('base64url'), generated: true };
	}
	if (password.length < MIN_PASSWORD_LENGTH)
		throw new UsageError(`密码至少 ${MIN_PASSWORD_LENGTH} 个字符`);
	return { password, generated: false };
}

function hiddenPrompt(question: string): Promise<string> {
	return new Promise((done) => {
		const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: true });
		const write = (rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput;
		(rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput = (s: string) => {
			if (s.startsWith(question)) write.call(rl, question);
		};
		rl.question(question, (answer) => {
			rl.close();
			process.stdout.write('\n');
			done(answer);
		});
	});
}

/** A progress bar on the terminal (stderr), for anything that takes a while. */
function bar(label: string): (done: number, total: number) => void {
	let last = -1;
	return (done, total) => {
		const width = 30;
		const filled = total === 0 ? width : Math.round((done / total) * width);
		if (filled === last && done !== total) return;
		last = filled;
		process.stderr.write(
			`\r${label} [${'#'.repeat(filled)}${' '.repeat(width - filled)}] ${done}/${total}`
		);
		if (done === total) process.stderr.write('\n');
	};
}

async function dataCommand(
	command: string,
	words: string[],
	options: Options,
	config: DatabaseConfig
): Promise<void> {
	const { dataDir } = config;
	if (command === 'backup') {
		const target = words[1];
		if (!target) throw new UsageError('backup 需要目标目录');
		const done = await backupDataDir(config, resolve(target), bar('照片'));
		console.log(
			`备份完成：${done.records} 条记录、${done.photos} 张照片（${(done.bytes / 1024 / 1024).toFixed(1)} MB）→ ${resolve(target)}`
		);
		return;
	}
	if (command === 'restore') {
		const source = words[1];
		if (!source) throw new UsageError('restore 需要备份目录');
		const done = await restoreDataDir(resolve(source), config, bar('校验'));
		console.log(`恢复完成：${done.records} 条记录、${done.photos} 张照片 → ${dataDir}`);
		return;
	}
	const report = await checkDataDir(config, {
		removeOrphans: options['remove-orphans'] === true,
		progress: bar('校验')
	});
	console.log(`检查了 ${report.checked} 张照片`);
	for (const sha of report.missing) console.log(`缺失\t${sha}`);
	for (const sha of report.corrupt) console.log(`损坏\t${sha}`);
	for (const sha of report.orphans) console.log(`无记录引用\t${sha}`);
	if (options['remove-orphans'] === true)
		console.log(`已删除 ${report.removed} 张无记录引用的照片（一天内上传的保留）`);
	if (report.missing.length > 0 || report.corrupt.length > 0) {
		throw new Error(
			`${report.missing.length} 张照片缺失、${report.corrupt.length} 张损坏：请从备份恢复这些照片`
		);
	}
	console.log('所有记录引用的照片都在，且内容与哈希一致');
}

/** DATA_DIR and DATABASE_URL as the server reads them, or as the options say. */
function configOf(options: Options): DatabaseConfig {
	const dataDir = resolve(
		typeof options['data-dir'] === 'string' ? options['data-dir'] : process.env.DATA_DIR || './data'
	);
	const url =
		typeof options['database-url'] === 'string'
			? options['database-url']
			: process.env.DATABASE_URL || undefined;
	return { dataDir, url };
}

async function main(argv: string[]): Promise<void> {
	const { words, options } = parse(argv);
	const [area, command, username] = words;
	const config = configOf(options);
	if (area === 'import') {
		const { importCommand } = await import('./admin-import.js');
		return importCommand(words[1], options, config.dataDir, bar, config.url);
	}
	if (area === 'backup' || area === 'restore' || area === 'check') {
		return dataCommand(area, words, options, config);
	}
	if (area !== 'user' || !command)
		throw new UsageError('用法见 scripts/admin.ts 开头的说明（npm run admin -- user list）');
	const store = await DataStore.open(config);
	const { users } = store;
	try {
		if (command === 'list') {
			for (const u of await users.list()) {
				console.log(
					[
						u.username,
						u.role,
						u.counties.join(','),
						u.disabled ? '已停用' : '启用',
						u.demo ? '演示' : '',
						u.displayName ?? ''
					]
						.join('\t')
						.trimEnd()
				);
			}
			return;
		}
		if (!username) throw new UsageError(`user ${command} 需要用户名`);
		const existing = await users.byUsername(username);
		if (command === 'add') {
			if (existing) throw new Error(`用户 ${username} 已存在`);
			if (!USERNAME_PATTERN.test(username)) throw new UsageError(USERNAME_RULE);
			const role = roleOf(options.role);
			if (!role) throw new UsageError('user add 需要 --role');
			const counties = countiesOf(options.counties) ?? [];
			if (role !== 'city_reviewer' && counties.length === 0)
				throw new UsageError('调查员和旗区审核员需要 --counties');
			const { password, generated } = await readPassword(options);
			const name = typeof options.name === 'string' ? options.name : undefined;
			await users.create({
				username,
				role,
				counties,
				passwordHash: await hashPassword(password),
				...(name ? { displayName: name } : {})
			});
			console.log(`已添加 ${username}（${role}）`);
			if (generated) console.log(`初始密码（只显示这一次）：${password}`);
			return;
		}
		if (!existing) throw new Error(`没有用户 ${username}`);
		switch (command) {
			case 'set': {
				const role = roleOf(options.role);
				const counties = countiesOf(options.counties);
				const name = typeof options.name === 'string' ? options.name : undefined;
				const updated = (await users.update(existing.id, {
					...(role ? { role } : {}),
					...(counties ? { counties } : {}),
					...(name !== undefined ? { displayName: name } : {})
				}))!;
				console.log(`${updated.username}：${updated.role}，旗区 ${updated.counties.join(',')}`);
				return;
			}
			case 'passwd': {
				const { password, generated } = await readPassword(options);
				const passwordHash = await hashPassword(password);
				const ended = await store.write(async (tx) => {
					await tx.users.update(existing.id, { passwordHash });
					return tx.users.revokeUserTokens(existing.id);
				});
				console.log(`已重设 ${username} 的密码，结束了 ${ended} 个登录`);
				if (generated) console.log(`新密码（只显示这一次）：${password}`);
				return;
			}
			case 'disable': {
				const ended = await store.write(async (tx) => {
					await tx.users.update(existing.id, { disabled: true });
					return tx.users.revokeUserTokens(existing.id);
				});
				console.log(`已停用 ${username}，结束了 ${ended} 个登录`);
				return;
			}
			case 'enable':
				await users.update(existing.id, { disabled: false });
				console.log(`已启用 ${username}`);
				return;
			case 'revoke': {
				const ended = await users.revokeUserTokens(existing.id);
				console.log(`已结束 ${username} 的 ${ended} 个登录：其设备需重新登录`);
				return;
			}
			default:
				throw new UsageError(`未知命令 user ${command}`);
		}
	} finally {
		await store.close();
	}
}

main(process.argv.slice(2)).catch((error: unknown) => {
	console.error(`admin: ${(error as Error).message}`);
	process.exit(error instanceof UsageError ? 2 : 1);
});
