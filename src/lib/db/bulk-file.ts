/**
 * The bulk file: the tables that hold most of a store's bytes (metric series and span JSON), kept
 * in a second SQLite database attached to the store as `bulk`, so that saving an edit rewrites only
 * the small main image. A tag added on a 1 GB store wrote the whole gigabyte (see BENCHMARKS.md).
 *
 * Queries name these tables unqualified: SQLite resolves a name through main, then the attached
 * databases, and main no longer has them. Both databases are files of sql.js's in-memory file
 * system, so one connection can attach the other's file; the bulk's own connection only exports it,
 * and its `PRAGMA data_version` tells whether anyone committed a change to it since the last save
 * (SQLite changes it on commits by other connections, never on rolled-back ones).
 */
import type { Database, SqlJsStatic } from 'sql.js';

/** The tables kept in the bulk file. */
export const BULK_TABLES = ['metric_series', 'span_chunks'] as const;

const PAGE_SIZE = 8192;

export class BulkFile {
	private savedVersion: number;

	private constructor(readonly db: Database) {
		this.savedVersion = this.version();
	}

	/** A bulk image read back, or a new empty one. */
	static open(SQL: SqlJsStatic, image: Uint8Array | null): BulkFile {
		const db = image ? new SQL.Database(image) : new SQL.Database();
		// Series blobs pack better in 8 KiB pages, as in the main image (schema.ts).
		if (!image) db.run(`PRAGMA page_size = ${PAGE_SIZE}`);
		return new BulkFile(db);
	}

	private version(): number {
		return Number(this.db.exec('PRAGMA data_version')[0].values[0][0]);
	}

	/** Whether a change was committed to the bulk since it was read or last saved. */
	changed(): boolean {
		return this.version() !== this.savedVersion;
	}

	/** The image to save and a token for `saved` once it is stored. */
	export(): { bytes: Uint8Array; version: number } {
		const version = this.version();
		return { bytes: this.db.export(), version };
	}

	saved(version: number): void {
		this.savedVersion = version;
	}

	/** Attaches this file to `main` as `bulk`. */
	attachTo(main: Database): void {
		// sql.js names each database's file in its in-memory file system (not in its typings).
		main.run('ATTACH ? AS bulk', [(this.db as Database & { filename: string }).filename]);
	}

	close(): void {
		this.db.close();
	}
}

const sqlOf = (db: Database, sql: string, params: string[]) =>
	(db.exec(sql, params)[0]?.values ?? []).map(([name, text]) => ({ name: String(name), sql: String(text) }));

/** The table's definition and its indexes' (auto-indexes of UNIQUE constraints come with the table). */
function definitions(db: Database, schema: 'main' | 'bulk', table: string) {
	return sqlOf(db, `SELECT name, sql FROM ${schema}.sqlite_master WHERE tbl_name = ? AND sql IS NOT NULL ORDER BY type = 'index', name`, [
		table
	]);
}

/**
 * Moves the bulk tables of an image written before the bulk file (or of a new store, whose schema
 * creates them in main) into the attached bulk, in one transaction. True when it moved any.
 */
export function moveBulkTables(db: Database): boolean {
	const tables = BULK_TABLES.filter((t) => definitions(db, 'main', t).length > 0);
	if (tables.length === 0) return false;
	db.run('BEGIN');
	try {
		for (const table of tables) {
			for (const { sql } of definitions(db, 'main', table)) {
				db.run(sql.replace(/^CREATE TABLE\s+/i, 'CREATE TABLE bulk.').replace(/^CREATE (UNIQUE )?INDEX\s+/i, 'CREATE $1INDEX bulk.'));
			}
			db.run(`INSERT INTO bulk.${table} SELECT * FROM main.${table}`);
			db.run(`DROP TABLE main.${table}`);
		}
		db.run('COMMIT');
	} catch (e) {
		db.run('ROLLBACK');
		throw e;
	}
	return true;
}

/**
 * One image holding everything: the main image with the bulk tables copied back in. For what needs
 * the store as one file (a snapshot's copy, a `--db` file); never the user's saved image.
 */
export function wholeImage(SQL: SqlJsStatic, main: Database, bulk: BulkFile): Uint8Array {
	const copy = new SQL.Database(main.export());
	try {
		bulk.attachTo(copy);
		for (const table of BULK_TABLES) {
			const defs = definitions(copy, 'bulk', table);
			if (defs.length === 0) continue;
			for (const { sql } of defs) copy.run(sql);
			copy.run(`INSERT INTO main.${table} SELECT * FROM bulk.${table}`);
		}
		copy.run('DETACH bulk');
		return copy.export();
	} finally {
		copy.close();
	}
}

/** Bytes of every database file of the connection (main and, when attached, the bulk). */
export function storeBytes(db: Database): number {
	let total = 0;
	for (const [, name] of db.exec('PRAGMA database_list')[0].values) {
		if (name === 'temp') continue;
		const [[pages]] = db.exec(`PRAGMA "${name}".page_count`)[0].values;
		const [[size]] = db.exec(`PRAGMA "${name}".page_size`)[0].values;
		total += Number(pages) * Number(size);
	}
	return total;
}
