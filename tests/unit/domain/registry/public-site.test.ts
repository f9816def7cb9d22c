import { describe, expect, it } from 'vitest';
import {
	generalizeCoordinate,
	isProtected,
	publicPoint,
	publicSite
} from '$lib/domain/registry/public-site.js';
import type { PublishedSiteData } from '$lib/domain/registry/publish.js';

const boundary = {
	type: 'Polygon' as const,
	coordinates: [
		[
			[109.781234, 39.608765],
			[109.782234, 39.608765],
			[109.782234, 39.609765],
			[109.781234, 39.608765]
		]
	]
};

function site(openStatus: '开放' | '未开放'): PublishedSiteData {
	return {
		code: '150602-0001',
		countyCode: '150602',
		name: '某某遗址',
		township: '某镇',
		address: '某村东北 350 米台地上',
		description: '某某遗址位于某镇某村北约1.4公里沟畔台地。地表散见陶片。',
		openStatus,
		location: { lat: 39.608765, lon: 109.781234, altitude: 1320 },
		boundary
	} as PublishedSiteData;
}

describe('generalizing a protected site (contract §5)', () => {
	it('snaps a coordinate to the centre of its 0.01° cell', () => {
		expect(generalizeCoordinate(39.608765)).toBe(39.605);
		expect(generalizeCoordinate(109.781234)).toBe(109.785);
		expect(generalizeCoordinate(39.6)).toBe(39.605);
		expect(generalizeCoordinate(39.609999)).toBe(39.605);
		expect(generalizeCoordinate(39.61)).toBe(39.615);
	});

	it('gives every point of a cell the same public point, whatever the request', () => {
		const points = [39.6, 39.6012, 39.6049, 39.6051, 39.6099999].map(generalizeCoordinate);
		expect(new Set(points)).toEqual(new Set([39.605]));
	});

	it('moves the point by no more than half a cell', () => {
		for (let v = 37.5; v < 40.9; v += 0.0123) {
			expect(Math.abs(generalizeCoordinate(v) - v)).toBeLessThanOrEqual(0.005 + 1e-9);
		}
	});

	it('leaves out a protected site’s boundary, altitude, street address and 简介', () => {
		const shown = publicSite(site('未开放'));
		expect(isProtected(site('未开放'))).toBe(true);
		expect(shown.location).toEqual({ lat: 39.605, lon: 109.785 });
		expect(shown.generalized).toBe(true);
		expect(shown).not.toHaveProperty('boundary');
		expect(shown).not.toHaveProperty('address');
		expect(shown).not.toHaveProperty('description');
		expect(JSON.stringify(shown)).not.toMatch(/39\.6087|109\.7812|350 米|1\.4公里/);
		expect(shown.township).toBe('某镇');
	});

	it('publishes an open site as it is', () => {
		const open = site('开放');
		expect(publicSite(open)).toEqual({ ...open, generalized: false });
		expect(publicPoint(open)).toEqual({ lat: 39.608765, lon: 109.781234, generalized: false });
	});

	it('treats a site without an open status as protected', () => {
		const unknown = { ...site('开放'), openStatus: undefined } as unknown as PublishedSiteData;
		expect(publicSite(unknown).generalized).toBe(true);
	});
});
