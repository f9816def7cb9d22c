import { stat } from 'node:fs/promises';
import type { CountyCollection } from '../domain/geometry/counties.js';
import type { RegisteredSite } from '../domain/schemas/site.js';
import { openDatabase, type Db } from './db/connection.js';
import { UserRepository } from './db/users.js';
import { RegistryRepository } from './db/registry.js';
import { RecordRepository } from './db/records.js';
import { PhotoRepository } from './db/photos.js';
import { PhotoStore } from './photos/store.js';
import { hashPassword } from './auth/password.js';
import { LoginGate } from './auth/login-gate.js';
import { COUNTY_CODES } from '../domain/codelists/index.js';

export type ServerOptions = {
	dataDir: string;
	counties: CountyCollection;
	/** Seed the demo registry and accounts when the data directory is new. */
	seedDemo: boolean;
	demoPassword: string;
	/** The demo registry, read only when seeding. */
	demoRegistry: () => RegisteredSite[];
};

/** Everything a request handler needs: the database, its repositories and the photo store. */
export class SurveyServer {
	readonly db: Db;
	readonly users: UserRepository;
	readonly registry: RegistryRepository;
	readonly records: RecordRepository;
	readonly photos: PhotoRepository;
	readonly photoStore: PhotoStore;
	readonly counties: CountyCollection;
	/** Every password check of this process goes through it (issue 10 point 4). */
	readonly loginGate = new LoginGate();

	constructor(readonly options: ServerOptions) {
		this.db = openDatabase(options.dataDir);
		this.users = new UserRepository(this.db);
		this.registry = new RegistryRepository(this.db);
		this.records = new RecordRepository(this.db);
		this.photos = new PhotoRepository(this.db);
		this.photoStore = new PhotoStore(options.dataDir);
		this.counties = options.counties;
	}

	/** Sweeps temporary photo files and seeds the demo when asked and the database is new. */
	async start(): Promise<void> {
		await this.photoStore.sweepTemporary();
		if (this.options.seedDemo && this.users.count() === 0 && this.registry.count() === 0) {
			await seedDemo(this, this.options.demoPassword);
		}
	}

	/**
	 * Whether enabled demo accounts exist (every page then says so). Read each time: a city
	 * reviewer may disable them while the server runs.
	 */
	get demo(): boolean {
		return this.users.hasDemoUsers();
	}

	/** Reads the database and asks the disk (through the thread pool, as file I/O does). */
	async probe(): Promise<void> {
		this.db.prepare('SELECT 1').get();
		await stat(this.options.dataDir);
	}

	close(): void {
		this.db.close();
	}
}

/** The demo accounts of contract §4: `city`, and `reviewer-C` and `surveyor-C` for each county C. */
export function demoAccounts(): {
	username: string;
	role: 'city_reviewer' | 'county_reviewer' | 'surveyor';
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

async function seedDemo(server: SurveyServer, password: string): Promise<void> {
	const sites = server.options.demoRegistry();
	server.registry.upsert(sites);
	// one hash for all: scrypt is slow on purpose, and they share the password anyway
	const passwordHash = await hashPassword(password);
	server.db.transaction(() => {
		for (const account of demoAccounts()) {
			server.users.create({ ...account, passwordHash, demo: true });
		}
	})();
	console.log(
		`[seed] demo registry of ${sites.length} sites and ${demoAccounts().length} demo accounts (password from DEMO_PASSWORD)`
	);
}
