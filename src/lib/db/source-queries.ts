/** What was imported (sources, counts) and the artifacts index. */
import type { SqlReader } from './sql-reader';

export interface SourceRow {
	source_id: number;
	name: string;
	kind: string;
	imported_at: number;
	report: unknown;
}

export interface ArtifactRow {
	path: string;
	size: number;
}

export interface StoreCounts {
	experiments: number;
	runs: number;
	metric_points: number;
	registered_models: number;
	model_versions: number;
	artifacts: number;
}

export class SourceQueries {
	constructor(private readonly r: SqlReader) {}

	counts(): StoreCounts {
		const r = this.r.all(`SELECT
			(SELECT count(*) FROM experiments) AS experiments,
			(SELECT count(*) FROM runs) AS runs,
			(SELECT coalesce(sum(point_count), 0) FROM metric_series) AS metric_points,
			(SELECT count(*) FROM registered_models) AS registered_models,
			(SELECT count(*) FROM model_versions) AS model_versions,
			(SELECT count(*) FROM artifacts) AS artifacts`)[0];
		return r as unknown as StoreCounts;
	}

	sources(): SourceRow[] {
		return this.r.all('SELECT * FROM sources ORDER BY imported_at DESC, source_id DESC').map((r) => ({
			...(r as unknown as SourceRow),
			report: JSON.parse(r.report as string)
		}));
	}

	artifacts(ownerId: string): ArtifactRow[] {
		return this.r.all('SELECT path, size FROM artifacts WHERE owner_id = ? ORDER BY path', [ownerId]) as unknown as ArtifactRow[];
	}

	artifactKeys(): string[] {
		return this.r.all('SELECT owner_id, path FROM artifacts').map((r) => artifactKey(r.owner_id as string, r.path as string));
	}
}

/** The IndexedDB key of an artifact's bytes. */
export function artifactKey(ownerId: string, path: string): string {
	return `${ownerId}/${path}`;
}
