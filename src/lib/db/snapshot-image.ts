/**
 * The SQL a snapshot makes on Trackside's tables: the store image a snapshot carries holds no
 * series blobs and only the artifacts it ships, plus `snapshot_entries` (each entry's name, hash
 * and size, which a reader checks every fetched byte against). Used on a copy of a store, never
 * on the user's own.
 */
import type { Database, SqlValue, Statement } from 'sql.js';

/** The entries table of a snapshot image (not part of a workspace's schema). */
const SNAPSHOT_ENTRIES = 'CREATE TABLE snapshot_entries (name TEXT PRIMARY KEY, sha256 TEXT NOT NULL, size INTEGER NOT NULL) WITHOUT ROWID';

const rows = (db: Database, sql: string, params: SqlValue[] = []): SqlValue[][] => db.exec(sql, params)[0]?.values ?? [];

export class SnapshotImage {
	private addEntryStatement: Statement;

	/** Turns `db` (a copy of a store) into a snapshot image being written. */
	constructor(private readonly db: Database) {
		db.exec(SNAPSHOT_ENTRIES);
		this.addEntryStatement = db.prepare('INSERT INTO snapshot_entries VALUES (?, ?, ?)');
	}

	addEntry(name: string, sha256: string, size: number): void {
		this.addEntryStatement.run([name, sha256, size]);
	}

	/** Every series with its packed points and count. */
	series(): { runId: string; key: string; points: Uint8Array; count: number }[] {
		return rows(this.db, 'SELECT run_uuid, key, points, point_count FROM metric_series').map(([r, k, p, c]) => ({
			runId: String(r),
			key: String(k),
			points: p as Uint8Array,
			count: Number(c)
		}));
	}

	/** Series move out of the image into their own entries: the image keeps their summaries. */
	dropSeriesPoints(): void {
		this.db.exec("UPDATE metric_series SET points = x''");
	}

	/** Every chunk of span JSON (deflated already). */
	spanChunks(): { traceId: string; chunk: number; content: Uint8Array }[] {
		return rows(this.db, 'SELECT trace_id, chunk, content FROM span_chunks').map(([t, c, b]) => ({
			traceId: String(t),
			chunk: Number(c),
			content: b as Uint8Array
		}));
	}

	/** Span JSON moves out like series: a trace view fetches the chunks it opens. */
	dropSpanChunks(): void {
		this.db.exec("UPDATE span_chunks SET content = x''");
	}

	artifacts(): { owner: string; path: string; size: number }[] {
		return rows(this.db, 'SELECT owner_id, path, size FROM artifacts ORDER BY owner_id, path').map(([o, p, s]) => ({
			owner: String(o),
			path: String(p),
			size: Number(s)
		}));
	}

	/** Artifacts left out are not listed: the browser shows only what the snapshot holds. */
	keepShippedArtifacts(prefix: string): void {
		this.db.run(`DELETE FROM artifacts WHERE ? || owner_id || '/' || path NOT IN (SELECT name FROM snapshot_entries)`, [prefix]);
	}

	dropArtifacts(): void {
		this.db.exec('DELETE FROM artifacts');
	}

	/** The image, compacted. */
	finish(): Uint8Array {
		this.addEntryStatement.free();
		this.db.exec('VACUUM');
		return this.db.export();
	}
}

/** A snapshot image's entry hashes, by entry name. */
export function entryHashes(db: Database): Map<string, string> {
	return new Map(rows(db, 'SELECT name, sha256 FROM snapshot_entries').map(([n, h]) => [String(n), String(h)]));
}

/** Names of views, triggers and computed columns: code of an author's that a read would run. */
export function storedCode(db: Database): string[] {
	return rows(
		db,
		"SELECT name FROM sqlite_master WHERE type IN ('view', 'trigger') UNION ALL SELECT m.name FROM sqlite_master m, pragma_table_xinfo(m.name) x WHERE m.type = 'table' AND x.hidden IN (2, 3)"
	).map((r) => String(r[0]));
}

/** Every series key of a store image, and a way to put its points back (copying a snapshot whole). */
export function seriesKeys(db: Database): { runId: string; key: string }[] {
	return rows(db, 'SELECT run_uuid, key FROM metric_series').map(([r, k]) => ({ runId: String(r), key: String(k) }));
}

export function restoreSeriesPoints(db: Database, points: Iterable<{ runId: string; key: string; bytes: Uint8Array }>): void {
	const put = db.prepare('UPDATE metric_series SET points = ? WHERE run_uuid = ? AND key = ?');
	try {
		for (const p of points) put.run([p.bytes, p.runId, p.key]);
	} finally {
		put.free();
	}
}

export function artifactKeys(db: Database): { owner: string; path: string }[] {
	return rows(db, 'SELECT owner_id, path FROM artifacts').map(([o, p]) => ({ owner: String(o), path: String(p) }));
}

/** Every span chunk of a store image, and a way to put their bytes back (copying a snapshot whole). */
export function spanChunkKeys(db: Database): { traceId: string; chunk: number }[] {
	return rows(db, 'SELECT trace_id, chunk FROM span_chunks').map(([t, c]) => ({ traceId: String(t), chunk: Number(c) }));
}

export function restoreSpanChunks(db: Database, chunks: Iterable<{ traceId: string; chunk: number; bytes: Uint8Array }>): void {
	const put = db.prepare('UPDATE span_chunks SET content = ? WHERE trace_id = ? AND chunk = ?');
	try {
		for (const c of chunks) put.run([c.bytes, c.traceId, c.chunk]);
	} finally {
		put.free();
	}
}
