/**
 * Reading a foreign MLflow SQLite store: rows by name across schema revisions (`col` gives NULL for a
 * column a revision lacks), and the small converters every table reader shares.
 */
import type { Database, SqlValue } from 'sql.js';
import type { KeyValues } from '../db/entities';

export class SqliteReader {
	readonly tables: Set<string>;
	private columns = new Map<string, Set<string>>();
	constructor(readonly db: Database) {
		this.tables = new Set(this.rows("SELECT name FROM sqlite_master WHERE type = 'table'").map((r) => r[0] as string));
	}
	rows(sql: string, params: SqlValue[] = []): SqlValue[][] {
		const r = this.db.exec(sql, params);
		return r.length ? r[0].values : [];
	}
	objects(sql: string): Record<string, SqlValue>[] {
		const st = this.db.prepare(sql);
		const out: Record<string, SqlValue>[] = [];
		while (st.step()) out.push(st.getAsObject());
		st.free();
		return out;
	}
	has(table: string): boolean {
		return this.tables.has(table);
	}
	/** `table.column` if it exists in this revision, else NULL, so one query serves every revision. */
	col(table: string, column: string, alias = column): string {
		let cols = this.columns.get(table);
		if (!cols) {
			cols = new Set(this.rows(`PRAGMA table_info("${table}")`).map((r) => r[1] as string));
			this.columns.set(table, cols);
		}
		return cols.has(column) ? `"${column}" AS "${alias}"` : `NULL AS "${alias}"`;
	}
	count(table: string): number {
		return Number(this.rows(`SELECT count(*) FROM "${table}"`)[0][0]);
	}
}

export function group(rows: SqlValue[][]): Map<string, KeyValues> {
	const out = new Map<string, KeyValues>();
	for (const [owner, key, value] of rows) {
		const o = String(owner);
		let kv = out.get(o);
		if (!kv) out.set(o, (kv = {}));
		kv[String(key)] = value === null ? '' : String(value);
	}
	return out;
}

export function s(v: SqlValue): string | null {
	return v === null || v === undefined ? null : String(v);
}
export function n(v: SqlValue): number | null {
	return v === null || v === undefined ? null : Number(v);
}
