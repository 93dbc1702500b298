/**
 * The Trackside store: a sql.js database with the schema of schema.ts. The same class runs in the
 * browser worker and in the Node CLI; the caller injects the sql.js module.
 */
import { UserError } from '../errors';
import type { Database, SqlJsStatic } from 'sql.js';
import { MIGRATIONS, SCHEMA_VERSION } from './schema';
import { ImportWriter } from './writer';
import { Queries } from './queries';
import { applyEdit, type EditOp, type EditResult } from './edits';
import { BulkFile, moveBulkTables, wholeImage } from './bulk-file';

function newRunId(): string {
	const bytes = crypto.getRandomValues(new Uint8Array(16));
	return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

export class StoreVersionError extends UserError {
	constructor(message: string) {
		super(message, 'store-version');
	}
}

/** A write to a read-only store (an open snapshot); the message says why. */
export class ReadOnlyError extends UserError {
	constructor(message: string) {
		super(message, 'read-only');
	}
}

export class Store {
	readonly queries: Queries;
	/** Set for a snapshot: every write (import, edit) is refused with this reason. */
	private readOnlyReason: string | undefined;

	private constructor(
		private readonly SQL: SqlJsStatic,
		readonly db: Database,
		/** The attached bulk file (bulk-file.ts); none: one image holds everything. */
		private readonly bulk: BulkFile | undefined,
		/** Bulk tables were moved out of an older image (the workspace saves the new layout at once). */
		readonly movedToBulk: boolean
	) {
		this.queries = new Queries(db);
	}

	/**
	 * Opens an image (or a new empty store) and migrates it to the current schema. With `bulk` (an
	 * image, an open bulk file, or null for a new one) the big tables live in that attached file and
	 * `exportParts` saves the two apart; without it the store is one image (a CLI file, a snapshot).
	 */
	static open(SQL: SqlJsStatic, image?: Uint8Array, bulk?: Uint8Array | BulkFile | null): Store {
		const db = image ? new SQL.Database(image) : new SQL.Database();
		const file = bulk === undefined ? undefined : bulk instanceof BulkFile ? bulk : BulkFile.open(SQL, bulk);
		let moved = false;
		try {
			// 16 MB of page cache, not SQLite's 2 MB: a search over 10,000 runs looks up each run's
			// latest metrics, about 8 MB of pages, and with the default they were read again from
			// sql.js's in-memory file on every search (a sorted search: 26 ms, against 22 ms).
			db.run('PRAGMA cache_size = -16384');
			file?.attachTo(db);
			migrate(db);
			if (file) moved = moveBulkTables(db);
		} catch (e) {
			db.close();
			if (file && !(bulk instanceof BulkFile)) file.close();
			throw e;
		}
		return new Store(SQL, db, file, moved);
	}

	/**
	 * Runs `fill` inside one transaction: everything it wrote is kept, or (on any throw, including a
	 * cancel) nothing is. Returns what `fill` returns.
	 */
	async write<T>(fill: (writer: ImportWriter) => Promise<T>): Promise<T> {
		if (this.readOnlyReason) throw new ReadOnlyError(this.readOnlyReason);
		this.db.run('BEGIN');
		const writer = new ImportWriter(this.db);
		try {
			const result = await fill(writer);
			writer.finish();
			this.db.run('COMMIT');
			return result;
		} catch (e) {
			writer.finish();
			this.db.run('ROLLBACK');
			throw e;
		}
	}

	/** One local edit, in its own transaction: applied whole or (on an EditError) not at all. */
	async edit(op: EditOp, now = Date.now()): Promise<EditResult> {
		return this.write(async (writer) => applyEdit({ db: this.db, writer, now, newRunId }, op));
	}

	/** From now on, every write is refused with `reason`. */
	makeReadOnly(reason: string): void {
		this.readOnlyReason = reason;
	}

	/** The whole store as one image: a `--db` file, a snapshot's copy. */
	export(): Uint8Array {
		return this.bulk ? wholeImage(this.SQL, this.db, this.bulk) : this.db.export();
	}

	/**
	 * What a save writes: the main image, and the bulk image only when it changed since the last
	 * save (`bulkSaved` with the token once it is stored). A one-image store has no bulk part.
	 */
	exportParts(): { main: Uint8Array; bulk?: { bytes: Uint8Array; version: number } } {
		const main = this.db.export();
		return this.bulk?.changed() ? { main, bulk: this.bulk.export() } : { main };
	}

	bulkSaved(version: number): void {
		this.bulk?.saved(version);
	}

	/** Whether the bulk file holds changes not saved yet. */
	bulkChanged(): boolean {
		return !!this.bulk?.changed();
	}

	/** Closes the store; `keepBulk` leaves the bulk file open and returns it, to open the next main image over. */
	close(keepBulk = false): BulkFile | undefined {
		this.db.close();
		if (keepBulk) return this.bulk;
		this.bulk?.close();
		return undefined;
	}
}

export function migrate(db: Database): void {
	const version = Number(db.exec('PRAGMA user_version')[0].values[0][0]);
	if (version > SCHEMA_VERSION) {
		throw new StoreVersionError(`this store was written by a newer Trackside (schema ${version}; this one knows ${SCHEMA_VERSION})`);
	}
	// 8 KiB pages, set while the file is still empty: metric series of ~1 KB (100-point runs) pack
	// 7 to a page instead of 3 to a 4 KiB page, which left 19% of the store unused (see BENCHMARKS.md).
	if (version === 0) db.run('PRAGMA page_size = 8192');
	for (let v = version; v < SCHEMA_VERSION; v++) {
		db.run('BEGIN');
		try {
			db.run(MIGRATIONS[v]);
			db.run(`PRAGMA user_version = ${v + 1}`);
			db.run('COMMIT');
		} catch (e) {
			db.run('ROLLBACK');
			throw e;
		}
	}
}
