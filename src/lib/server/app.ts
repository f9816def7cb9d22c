import { stat } from 'node:fs/promises';
import type { CountyCollection } from '../domain/geometry/counties.js';
import type { RegisteredSite } from '../domain/schemas/site.js';
import { DataStore } from './db/store.js';
import type { UserRepository } from './db/users.js';
import type { RegistryRepository } from './db/registry.js';
import type { RecordRepository } from './db/records.js';
import type { PhotoRepository } from './db/photos.js';
import { PhotoStore } from './photos/store.js';
import { hashPassword } from './auth/password.js';
import { LoginGate } from './auth/login-gate.js';
import { COUNTY_CODES } from '../domain/codelists/index.js';
import type { Role } from '../domain/sync/roles.js';
import { guessMapping, planSiteImport, sitesSheet } from '../domain/registry/site-import.js';
import { asCountyCollection } from '../domain/geometry/counties.js';
import { writeSites } from './registry-import/service.js';
import { premakeDownloads, sweepExports } from './registry/export/index.js';
import { warmPublicIndex } from './registry/public/registry.js';
import { PrintJobs, type PrintConfig } from './print/jobs.js';
import { DEFAULT_CHROMIUM_PATH } from './print/render.js';

export type ServerOptions = {
	/** Photos, and the SQLite database unless `databaseUrl` is given. */
	dataDir: string;
	/** PostgreSQL (postgres://…, the DATABASE_URL) instead of DATA_DIR/survey.sqlite. */
	databaseUrl?: string | undefined;
	counties: CountyCollection;
	/** Seed the demo registry and accounts when the data directory is new. */
	seedDemo: boolean;
	demoPassword: string;
	/** The demo registry, read only when seeding. */
	demoRegistry: () => RegisteredSite[];
	/** The batch print of registration forms (issue 14); without it the server has none. */
	print?: PrintConfig | undefined;
};

/** Everything a request handler needs: the data layer, its repositories and the photo store. */
export class SurveyServer {
	readonly photoStore: PhotoStore;
	/** The county boundaries in force: the bundled ones, or the bureau's last import of its own. */
	#counties: CountyCollection;
	/** Every password check of this process goes through it (issue 10 point 4). */
	readonly loginGate = new LoginGate();
	/** The batch print jobs of registration forms (issue 14 point 1); `close` stops them. */
	readonly printJobs: PrintJobs;
	/** What runs in the background after a publish (`published`); `close` waits for it. */
	#background: Promise<void> = Promise.resolve();
	#closing = false;

	private constructor(
		readonly options: ServerOptions,
		readonly store: DataStore
	) {
		this.photoStore = new PhotoStore(options.dataDir);
		this.#counties = options.counties;
		this.printJobs = new PrintJobs(
			options.dataDir,
			options.print ?? { baseUrl: undefined, chromiumPath: DEFAULT_CHROMIUM_PATH }
		);
	}

	get counties(): CountyCollection {
		return this.#counties;
	}

	/** Puts county boundaries in force (a confirmed import of the bureau's own, issue 13). */
	useCounties(counties: CountyCollection): void {
		this.#counties = counties;
	}

	/** The county boundaries of the newest confirmed import, when the bureau made one. */
	async #loadImportedCounties(): Promise<void> {
		const row = await this.store.read((tx) => tx.registryImports.latestCounties());
		if (!row) return;
		const checked = asCountyCollection(JSON.parse(row.changes));
		if (checked.ok) this.#counties = checked.value;
	}

	/** Opens (and migrates) the database; `start` then makes the server ready. */
	static async open(options: ServerOptions): Promise<SurveyServer> {
		const store = await DataStore.open({ dataDir: options.dataDir, url: options.databaseUrl });
		return new SurveyServer(options, store);
	}

	get users(): UserRepository {
		return this.store.users;
	}
	get registry(): RegistryRepository {
		return this.store.registry;
	}
	get records(): RecordRepository {
		return this.store.records;
	}
	get photos(): PhotoRepository {
		return this.store.photos;
	}

	/** Sweeps temporary photo files and seeds the demo when asked and the database is new. */
	async start(): Promise<void> {
		await this.photoStore.sweepTemporary();
		await sweepExports(this.options.dataDir);
		await this.printJobs.sweep();
		await this.#loadImportedCounties();
		if (this.options.seedDemo) {
			// in one transaction, so of several processes starting on one new database one seeds
			await this.store.write(async (tx) => {
				if ((await tx.users.count()) === 0 && (await tx.registry.count()) === 0) {
					await seedDemo(this, tx, this.options.demoPassword);
				}
			});
		}
	}

	/**
	 * Whether enabled demo accounts exist (every page then says so). Read each time: a city
	 * reviewer may disable them while the server runs.
	 */
	demo(): Promise<boolean> {
		return this.users.hasDemoUsers();
	}

	/** Reads the database and asks the disk (through the thread pool, as file I/O does). */
	async probe(): Promise<void> {
		await this.store.probe();
		await stat(this.options.dataDir);
	}

	/**
	 * After version `version` is published: the public search index, then the version's
	 * downloads (`premakeDownloads`), in the background, so the first visitor of either waits
	 * for neither.
	 */
	published(version: number): void {
		warmPublicIndex(this.store);
		this.#background = this.#background.then(() =>
			premakeDownloads(this.store, this.options.dataDir, version, () => this.#closing)
		);
	}

	/**
	 * Closes the database, after what runs in the background has stopped: the print jobs are
	 * cancelled (their Chromium closed, their PDFs removed).
	 */
	async close(): Promise<void> {
		this.#closing = true;
		await this.printJobs.close();
		await this.#background;
		await this.store.close();
	}
}

/** The demo accounts of contract §4: `city`, and `reviewer-C` and `surveyor-C` for each county C. */
export function demoAccounts(): {
	username: string;
	role: Role;
	counties: string[];
}[] {
	return [
		{ username: 'city', role: 'city_reviewer', counties: [...COUNTY_CODES] },
		...COUNTY_CODES.flatMap((code) => [
			{ username: `reviewer-${code}`, role: 'county_reviewer' as const, counties: [code] },
			{ username: `surveyor-${code}`, role: 'surveyor' as const, counties: [code] }
		])
	];
}

async function seedDemo(server: SurveyServer, tx: DataStore, password: string): Promise<void> {
	// through the registry import's own check and write (issue 13 point 1), so every demo start
	// exercises the path a bureau's spreadsheet takes
	const sites = server.options.demoRegistry();
	const sheet = sitesSheet(sites);
	const plan = planSiteImport(sheet, guessMapping(sheet.headers), {
		existing: await tx.registry.byCodes(sites.map((s) => s.code)),
		counties: server.counties,
		demo: true
	});
	if (plan.problems.length > 0) {
		const first = plan.problems[0]!;
		throw new Error(
			`demo registry refused by the import check: ${plan.problems.length} problems, first row ${first.row} ${first.column}: ${first.message}`
		);
	}
	await writeSites(tx, { counts: plan.counts, sites: plan.sites });
	// one hash for all: scrypt is slow on purpose, and they share the password anyway
	const passwordHash = await hashPassword(password);
	for (const account of demoAccounts()) {
		await tx.users.create({ ...account, passwordHash, demo: true });
	}
	console.log(
		`[seed] demo registry of ${sites.length} sites and ${demoAccounts().length} demo accounts (password from DEMO_PASSWORD)`
	);
}
