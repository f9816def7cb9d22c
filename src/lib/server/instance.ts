/**
 * The one SurveyServer of this process, configured from the environment (contract §4). Only the
 * SvelteKit build imports this (the assets come in through Vite); scripts build their own.
 */
import { env } from '$env/dynamic/private';
import { resolve } from 'node:path';
import countiesText from '../../../static/data/ordos-counties.geojson?raw';
import demoRegistryText from '../../../static/data/demo-registry.json?raw';
import { asCountyCollection } from '../domain/geometry/counties.js';
import type { RegisteredSite } from '../domain/schemas/site.js';
import { SurveyServer } from './app.js';
import { warmPublicIndex } from './registry/public/registry.js';
import { DEFAULT_CHROMIUM_PATH, loopbackUrl } from './print/render.js';

let server: SurveyServer | undefined;
let starting: Promise<SurveyServer> | undefined;

export function startServer(): Promise<SurveyServer> {
	starting ??= (async () => {
		const counties = asCountyCollection(JSON.parse(countiesText));
		if (!counties.ok) throw new Error(counties.message);
		const instance = await SurveyServer.open({
			dataDir: resolve(env.DATA_DIR || './data'),
			databaseUrl: env.DATABASE_URL || undefined,
			counties: counties.value,
			seedDemo: env.SEED_DEMO === '1',
			demoPassword: env.DEMO_PASSWORD || 'ordos-demo',
			demoRegistry: () => (JSON.parse(demoRegistryText) as { sites: RegisteredSite[] }).sites,
			print: {
				baseUrl: loopbackUrl(env),
				chromiumPath: env.CHROMIUM_PATH || DEFAULT_CHROMIUM_PATH
			}
		});
		await instance.start();
		server = instance;
		// adapter-node emits it once its HTTP server has closed (SIGTERM, SIGINT): stop the print
		// jobs' Chromium, remove their PDFs and close the database, so the process can end
		process.once('sveltekit:shutdown', () => void instance.close());
		// the public registry's search index, before the first visitor asks for it
		warmPublicIndex(instance.store);
		return instance;
	})();
	return starting;
}

/** The started server; `init` in hooks.server.ts starts it before the first request. */
export function app(): SurveyServer {
	if (!server) throw new Error('server not started');
	return server;
}
