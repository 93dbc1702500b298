/**
 * Where metric histories and artifact bytes come from. The local store holds its series in the
 * image and its artifacts in the persistence; an open snapshot holds both as entries of its file,
 * read on demand (over HTTP ranges for a published one) and checked against their hashes.
 */
import type { Store } from '../db/store';
import { artifactKey } from '../db/queries';
import { decodeSeries, type Series } from '../db/series-codec';
import type { OpenedSnapshot } from '../snapshot/open';
import { spansEntry } from '../snapshot/format';
import { unpackChunk } from '../db/trace-writer';
import type { Persistence } from './persistence';

export interface SeriesSource {
	/** Every metric history of a run, by key. */
	histories(runId: string): Promise<Record<string, Series>>;
	/** One metric's history for each of the runs that logged it, by run id. */
	series(runIds: string[], key: string): Promise<Record<string, Series>>;
	artifact(ownerId: string, path: string): Promise<Blob | undefined>;
	/** One chunk of a trace's span JSON, as a JSON array of span dicts. */
	spanChunk(traceId: string, chunk: number): Promise<string | undefined>;
}

const inflated = (bytes: Uint8Array | undefined) => (bytes ? unpackChunk(bytes) : undefined);

export function localSource(store: () => Store, persistence: Persistence): SeriesSource {
	return {
		histories: async (runId) => store().queries.metricHistories(runId),
		series: async (runIds, key) => store().queries.metricSeries(runIds, key),
		artifact: (ownerId, path) => persistence.getArtifact(artifactKey(ownerId, path)),
		spanChunk: async (traceId, chunk) => inflated(store().queries.spanChunk(traceId, chunk))
	};
}

export function snapshotSource(snapshot: OpenedSnapshot): SeriesSource {
	return {
		async histories(runId) {
			const out: Record<string, Series> = {};
			for (const { key } of snapshot.store.queries.metricKeys(runId)) {
				const bytes = await snapshot.series(runId, key);
				if (bytes) out[key] = decodeSeries(bytes);
			}
			return out;
		},
		async series(runIds, key) {
			const out: Record<string, Series> = {};
			for (const runId of runIds) {
				const bytes = await snapshot.series(runId, key);
				if (bytes) out[runId] = decodeSeries(bytes);
			}
			return out;
		},
		async artifact(ownerId, path) {
			const bytes = await snapshot.artifact(ownerId, path);
			return bytes && new Blob([bytes as BlobPart]);
		},
		spanChunk: async (traceId, chunk) => inflated(await snapshot.entry(spansEntry(traceId, chunk)))
	};
}
