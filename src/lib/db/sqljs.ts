/**
 * Loads sql.js, and gives its blob reads a native copy.
 *
 * sql.js copies every blob out of the wasm heap one byte at a time in a JS loop
 * (`Statement.getBlob`). Metric histories are blobs of megabytes: a run page of 10 x 100,000
 * points reads 10 MB, which took 25 to 100 ms in that loop, against ~2 ms for `slice()` on a view
 * of the heap. We instantiate the wasm ourselves (Emscripten's `instantiateWasm` hook) to hold its
 * memory, and replace `getBlob` with a slice of it.
 *
 * The statement's pointer is a private (minified) property of sql.js's Statement. It is found by
 * asking SQLite itself (`sqlite3_sql` of the candidate pointer must give back the statement's SQL)
 * and the result is checked against the original `getBlob`; if either fails, sql.js is left as it
 * is: slower, never wrong.
 */
import initSqlJs, { type SqlJsStatic, type Statement } from 'sql.js';

type Blobs = { getBlob(column?: number | null): Uint8Array };
type Exports = {
	_sqlite3_column_blob(stmt: number, column: number): number;
	_sqlite3_column_bytes(stmt: number, column: number): number;
	_sqlite3_sql(stmt: number): number;
	UTF8ToString(ptr: number): string;
};

/** Where the wasm comes from: a fetch (streamed compile), the bytes (Node) or a compiled module. */
export type WasmSource = () => Promise<Response | BufferSource | WebAssembly.Module>;

const patched = new WeakSet<SqlJsStatic>();

export async function loadSqlJs(wasm: WasmSource): Promise<SqlJsStatic> {
	let memory: WebAssembly.Memory | undefined;
	const SQL = await initSqlJs({
		instantiateWasm(imports: WebAssembly.Imports, receive: (instance: WebAssembly.Instance) => void) {
			wasm()
				.then((source) =>
					source instanceof WebAssembly.Module
						? WebAssembly.instantiate(source, imports)
						: instantiate(source, imports).then((r) => r.instance)
				)
				.then((instance) => {
					memory = Object.values(instance.exports).find((v): v is WebAssembly.Memory => v instanceof WebAssembly.Memory);
					receive(instance);
				});
			return {};
		}
	} as Parameters<typeof initSqlJs>[0]);
	if (memory) patchGetBlob(SQL, memory);
	return SQL;
}

/** Streams the compile when the host serves application/wasm; else compiles the downloaded bytes. */
function instantiate(source: Response | BufferSource, imports: WebAssembly.Imports): Promise<WebAssembly.WebAssemblyInstantiatedSource> {
	if (!(source instanceof Response)) return WebAssembly.instantiate(source, imports);
	return WebAssembly.instantiateStreaming(source.clone(), imports).catch(async () =>
		WebAssembly.instantiate(await source.arrayBuffer(), imports)
	);
}

/** Whether blob reads of this module take the native copy (for tests). */
export function hasFastBlobs(SQL: SqlJsStatic): boolean {
	return patched.has(SQL);
}

function patchGetBlob(SQL: SqlJsStatic, memory: WebAssembly.Memory): void {
	const api = SQL as unknown as Exports;
	const probe = new SQL.Database();
	try {
		const sql = "SELECT x'00ff7f80', x''";
		const stmt = probe.prepare(sql) as unknown as Record<string, unknown>;
		// sql.js does not export its Statement class: reach its prototype through an instance.
		const proto = Object.getPrototypeOf(stmt) as Blobs;
		const original = proto.getBlob;
		// The pointer: a numeric own property for which SQLite returns this statement's text.
		const key = Object.keys(stmt).find((k) => {
			const v = stmt[k];
			return typeof v === 'number' && v > 1024 && v < memory.buffer.byteLength && api.UTF8ToString(api._sqlite3_sql(v)) === sql;
		});
		if (!key) return;
		const fast = function (this: Record<string, unknown>, column?: number | null) {
			// Without a column sql.js reads "the next one" from its private counter: leave that to it.
			if (column == null) return original.call(this as unknown as Blobs, column);
			const stmt = this[key] as number;
			const ptr = api._sqlite3_column_blob(stmt, column);
			const n = api._sqlite3_column_bytes(stmt, column);
			// A fresh view after both calls: they may grow (and so replace) the heap's buffer.
			return new Uint8Array(memory.buffer, ptr, n).slice();
		};
		(stmt as unknown as Statement).step();
		const probed = stmt as unknown as Blobs;
		const expected = [original.call(probed, 0), original.call(probed, 1)];
		const got = [fast.call(stmt, 0), fast.call(stmt, 1)];
		(stmt as unknown as Statement).free();
		if (!got.every((g, i) => g.length === expected[i].length && g.every((b: number, j: number) => b === expected[i][j]))) return;
		proto.getBlob = fast;
		patched.add(SQL);
	} finally {
		probe.close();
	}
}
