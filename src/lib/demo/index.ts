export {
	DEFAULT_DEMO_COUNT,
	DEFAULT_DEMO_SEED,
	allocateCounts,
	generateDemoRegistry,
	type DemoRegistryOptions,
	type Divisions
} from './generator.js';
export { DEMO_PREFIX, DEMO_SUFFIX } from './descriptions.js';
export { REAL_SITES, type RealSite } from './real-sites.js';
