import { describe, expect, it } from 'vitest';
import { sqlJsNode } from '../../cli/sqljs-node';
import { hasFastBlobs } from './sqljs';

describe('loadSqlJs', () => {
	it('reads blobs with a native copy, byte for byte, through every sql.js read path', async () => {
		const SQL = await sqlJsNode();
		expect(hasFastBlobs(SQL)).toBe(true);
		const db = new SQL.Database();
		db.run('CREATE TABLE t (id INTEGER, b BLOB)');
		const blobs = [new Uint8Array(0), Uint8Array.from([0, 255, 128, 7]), Uint8Array.from({ length: 300_000 }, (_, i) => (i * 31) % 256)];
		// Big enough to make the wasm heap grow mid-query: views must be made after each read.
		const big = new Uint8Array(64 << 20).fill(9);
		big[big.length - 1] = 1;
		blobs.push(big);
		blobs.forEach((b, i) => db.run('INSERT INTO t VALUES (?, ?)', [i, b]));
		db.run('INSERT INTO t VALUES (99, NULL)');
		const st = db.prepare('SELECT id, b FROM t ORDER BY id');
		const read: (Uint8Array | null)[] = [];
		while (st.step()) read.push(st.getAsObject().b as Uint8Array | null);
		st.free();
		expect(read.length).toBe(5);
		blobs.forEach((b, i) => {
			expect(read[i]!.length).toBe(b.length);
			expect(Buffer.from(read[i]!).equals(Buffer.from(b))).toBe(true);
		});
		expect(read[4]).toBeNull();
		// exec and get go through the same getBlob.
		expect(Array.from(db.exec('SELECT b FROM t WHERE id = 1')[0].values[0][0] as Uint8Array)).toEqual([0, 255, 128, 7]);
		// A copy, not a view of the heap: later queries must not change what was read.
		const kept = db.prepare('SELECT b FROM t WHERE id = 1');
		kept.step();
		const first = kept.get()[0] as Uint8Array;
		kept.free();
		db.run("UPDATE t SET b = x'01020304' WHERE id = 1");
		expect(Array.from(first)).toEqual([0, 255, 128, 7]);
		db.close();
	});
});
