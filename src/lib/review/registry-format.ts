import { m } from '$lib/paraglide/messages.js';
import { fieldLabel } from '$lib/records/comments.js';

/** How the registry pages name a compared field: the form's label, or the version's own. */
export function comparedFieldLabel(field: string): string {
	if (field === 'lost') return m.review_registry_field_lost();
	if (field === 'lostReason') return m.review_registry_field_lost_reason();
	return fieldLabel(field);
}

function boundaryPoints(value: { type?: unknown; coordinates?: unknown }): number {
	const rings =
		value.type === 'MultiPolygon'
			? (value.coordinates as unknown[][][]).flat()
			: (value.coordinates as unknown[][]);
	return Array.isArray(rings) ? rings.reduce((n, ring) => n + ring.length, 0) : 0;
}

/** A compared value as one line of text: lists joined, a point as lat, lon, a boundary by size. */
export function comparedValue(field: string, value: unknown): string {
	if (value === null || value === undefined || value === '') return m.review_registry_empty_value();
	if (typeof value === 'boolean') return value ? m.review_registry_yes() : m.review_registry_no();
	if (Array.isArray(value)) return value.join('、');
	if (field === 'location' && typeof value === 'object') {
		const { lat, lon, altitude } = value as { lat: number; lon: number; altitude?: number };
		return `${lat.toFixed(6)}, ${lon.toFixed(6)}${altitude !== undefined ? ` · ${altitude} m` : ''}`;
	}
	if (field === 'boundary' && typeof value === 'object')
		return m.review_registry_boundary_value({ points: boundaryPoints(value as object) });
	if (field === 'areaM2' && typeof value === 'number') return `${value} m²`;
	return typeof value === 'string' ? value : JSON.stringify(value);
}
