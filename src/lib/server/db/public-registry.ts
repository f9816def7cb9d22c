import type { Db } from './connection.js';
import type { RecordPhoto } from '../../domain/schemas/survey-record.js';

/**
 * What the public registry reads beyond a version's sites (issue 13 point 4): the photos of the
 * record revision a published site came from (its lineage), and their stored type. The public
 * routes decide what of it goes out (server/registry/public/).
 */
export class PublicRegistryQueries {
	constructor(private readonly db: Db) {}

	/** The photo register of revision `revision` of record `recordId` (empty when it has none). */
	async revisionPhotos(recordId: string, revision: number): Promise<RecordPhoto[]> {
		const row = await this.db
			.selectFrom('revisions')
			.select('content')
			.where('record_id', '=', recordId)
			.where('revision', '=', revision)
			.executeTakeFirst();
		if (!row?.content) return [];
		const content = JSON.parse(row.content) as { photos?: RecordPhoto[] };
		return Array.isArray(content.photos) ? content.photos : [];
	}
}
