/**
 * The snapshot file (`.trackside`): a zip, so that it can be read by ranges over HTTP with the
 * same central-directory reader as imports (sources/zip-directory.ts): a reader fetches the
 * directory at the end, then the entries it needs, wherever they are. Entries:
 *
 *   manifest.json                 what is inside, when, by which Trackside; meta.sqlite's sha256
 *   meta.sqlite                   the store image, vacuumed, with every metric series' points
 *                                 moved out; its `snapshot_entries` table holds each other
 *                                 entry's sha256, checked when the entry is read
 *   series/<run id>/<key>         one metric history, packed (db/series-codec.ts), stored as is
 *   artifacts/<owner>/<path>      artifact bytes, deflated when that pays
 *   spans/<trace id>/<chunk>      one chunk of a trace's span JSON, deflated as the store keeps it
 *
 * A page needs meta.sqlite (small) and the entries it shows, fetched on demand.
 */
import { UserError } from '../errors';
export const SNAPSHOT_FORMAT = 'trackside-snapshot';
/** Bumped when a reader of an older version could not read the file. */
export const SNAPSHOT_VERSION = 1;

export interface SnapshotManifest {
	format: typeof SNAPSHOT_FORMAT;
	formatVersion: number;
	trackside: string;
	createdAt: number;
	experiments: { id: string; name: string; runs: number }[];
	counts: {
		runs: number;
		metricPoints: number;
		series: number;
		artifacts: number;
		artifactBytes: number;
		registeredModels: number;
		/** Absent in snapshots made before traces were read. */
		traces?: number;
	};
	meta: { entry: 'meta.sqlite'; sha256: string; size: number };
}

export const seriesEntry = (runId: string, key: string) => `series/${runId}/${encodeURIComponent(key)}`;
export const spansEntry = (traceId: string, chunk: number) => `spans/${encodeURIComponent(traceId)}/${chunk}`;
/** Where artifacts sit in a snapshot: `artifacts/<owner>/<path>`. */
export const ARTIFACTS_PREFIX = 'artifacts/';
export const artifactEntry = (owner: string, path: string) => `${ARTIFACTS_PREFIX}${owner}/${path}`;

export async function sha256(bytes: Uint8Array): Promise<string> {
	const digest = await crypto.subtle.digest('SHA-256', bytes as BufferSource);
	return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** Why nothing in an open snapshot can be changed: said by the store and the workspace alike. */
export const readOnlyMessage = (name: string) =>
	`${name} is a read-only snapshot: nothing in it can be changed. Copy it into your workspace to work on it.`;

/** A snapshot that cannot be opened; the message says why in the user's terms. */
export class SnapshotError extends UserError {
	constructor(message: string) {
		super(message, 'snapshot');
	}
}
