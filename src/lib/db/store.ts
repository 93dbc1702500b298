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

	private constructor(readonly db: Database) {
		this.queries = new Queries(db);
	}

	/** Opens an image (or a new empty store) and migrates it to the current schema. */
	static open(SQL: SqlJsStatic, image?: Uint8Array): Store {
		const db = image ? new SQL.Database(image) : new SQL.Database();
		try {
			// 16 MB of page cache, not SQLite's 2 MB: a search over 10,000 runs looks up each run's
			// latest metrics, about 8 MB of pages, and with the default they were read again from
			// sql.js's in-memory file on every search (a sorted search: 26 ms, against 22 ms).
			db.run('PRAGMA cache_size = -16384');
			migrate(db);
		} catch (e) {
			db.close();
			throw e;
		}
		return new Store(db);
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

	/** The whole database image, for persistence or a `--db` file. */
	export(): Uint8Array {
		return this.db.export();
	}

	close(): void {
		this.db.close();
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
