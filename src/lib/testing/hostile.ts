/**
 * A corpus of hostile inputs, made here (nothing downloaded), each with the outcome it must have:
 * imported exactly as stated, or refused with a reason naming what is wrong, the store unchanged.
 * Run on the CLI in CI (src/cli/hostile.spec.ts) and, a representative subset, in the page
 * (tests/e2e/hostile.spec.ts).
 */
import { deflateSync, strToU8, zipSync, type Zippable } from 'fflate';
import type { SqlJsStatic } from 'sql.js';
import { fileStore } from './mlflow-stores';

export interface HostileInput {
	name: string;
	/** What the input is, for the test's title. */
	what: string;
	bytes: Uint8Array;
	/** Refused with a message matching this, the store unchanged; or imported, then `check`. */
	refused?: RegExp;
	imported?: { runs?: number; metricPoints?: number; note?: RegExp; skipped?: RegExp };
}

const RUN = 'abcdef0123456789abcdef0123456789';
const zip = (files: Map<string, Uint8Array>, level: 0 | 6 = 6) =>
	zipSync(Object.fromEntries([...files].map(([p, b]) => [p, [b, { level }]])) as Zippable);

/** A small valid store: experiment 1, one run, `loss` = 0.5 at step 0 and 0.25 at step 1. */
function store(extra: Record<string, string> = {}) {
	const files = fileStore([
		{ id: '1', name: 'hostile', runs: [{ id: RUN, metrics: { loss: ['1700000000000 0.5 0', '1700000000001 0.25 1'] } }] }
	]);
	for (const [p, v] of Object.entries(extra)) files.set(p, strToU8(v));
	return files;
}

function findAll(haystack: Uint8Array, needle: Uint8Array): number[] {
	const out: number[] = [];
	outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
		for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
		out.push(i);
	}
	return out;
}

/** Entries' central-directory records (offsets into `bytes`). */
function centralRecords(bytes: Uint8Array): number[] {
	return findAll(bytes, Uint8Array.of(0x50, 0x4b, 0x01, 0x02));
}

export function hostileZips(): HostileInput[] {
	const out: HostileInput[] = [];

	// A value changed inside a stored entry: the archive is still well-formed, only the CRC tells.
	{
		const bytes = zip(store(), 0);
		const at = findAll(bytes, strToU8('1700000000000 0.5 0'))[0];
		bytes[at + 14] = '9'.charCodeAt(0);
		out.push({
			name: 'altered.zip',
			what: 'a metric value changed inside a stored entry (bad CRC-32)',
			bytes,
			refused: /metrics\/loss fails its CRC-32 check/
		});
	}

	// The central directory under-states a deflated metric file's size: points would be cut.
	{
		const bytes = zip(store());
		const view = new DataView(bytes.buffer);
		for (const at of centralRecords(bytes)) {
			const nameLength = view.getUint16(at + 28, true);
			const name = new TextDecoder().decode(bytes.subarray(at + 46, at + 46 + nameLength));
			if (name.endsWith('metrics/loss')) view.setUint32(at + 24, view.getUint32(at + 24, true) - 10, true);
		}
		out.push({
			name: 'lying-size.zip',
			what: 'a central directory that under-states a file size',
			bytes,
			refused: /metrics\/loss holds more data than the \d+ bytes the directory states/
		});
	}

	// A file name in CP437 (Windows zippers): "größe" as a param key. Legitimate: imports.
	{
		const placeholder = `mlruns/1/${RUN}/params/gr__e`;
		const files = store();
		files.set(placeholder, strToU8('large'));
		const bytes = zip(files);
		// ö = 0x94, ß = 0xE1 in CP437; the UTF-8 flag stays clear.
		for (const at of findAll(bytes, strToU8(placeholder))) bytes.set([0x94, 0xe1], at + placeholder.length - 3);
		out.push({ name: 'cp437.zip', what: 'a CP437 file name (größe), as Windows writes', bytes, imported: { runs: 1, metricPoints: 2 } });
	}

	// Data before the archive (a self-extracting stub): read by zip.js, still checked.
	{
		const z = zip(store());
		const bytes = new Uint8Array(z.length + 64);
		bytes.set(z, 64);
		out.push({
			name: 'prefixed.zip',
			what: 'data before the first entry (self-extracting stub)',
			bytes,
			imported: { runs: 1, metricPoints: 2 }
		});
	}

	// Keys and artifact paths that climb out of their folder, or hold NUL.
	{
		const files = store({
			[`mlruns/1/${RUN}/params/a/../../../../evil`]: 'x',
			[`mlruns/1/${RUN}/tags/nul\u0000tag`]: 'x',
			[`mlruns/1/${RUN}/artifacts/../../../../../home/user/.bashrc`]: 'echo pwned'
		});
		out.push({
			name: 'traversal.zip',
			what: 'keys and artifact paths with ../ and NUL',
			bytes: zip(files),
			imported: {
				runs: 1,
				metricPoints: 2,
				note: /key "a\/..\/..\/..\/..\/evil" of run \w+ was not imported: it points outside its folder/
			}
		});
	}

	// A zip bomb: a small entry that inflates past what a tab can hold.
	{
		const bytes = zip(store());
		const view = new DataView(bytes.buffer);
		for (const at of centralRecords(bytes)) {
			const nameLength = view.getUint16(at + 28, true);
			const name = new TextDecoder().decode(bytes.subarray(at + 46, at + 46 + nameLength));
			if (name.endsWith('metrics/loss')) view.setUint32(at + 24, 0xfffffff0, true);
		}
		// Never inflated: the history is skipped by its stated size, the rest imported.
		out.push({
			name: 'bomb.zip',
			what: 'an entry that claims to inflate to 4 GB',
			bytes,
			imported: { runs: 1, metricPoints: 0, skipped: /metric "loss" of run \w+ is 4096 MB, more than the 1024 MB/ }
		});
	}

	// A truncated archive.
	{
		const z = zip(store());
		out.push({
			name: 'truncated.zip',
			what: 'an archive cut in half',
			bytes: z.subarray(0, z.length >> 1),
			refused: /truncated\.zip is not a readable zip archive|truncated/
		});
	}

	// Meta fields of the wrong type: imported, with the values left out and said so.
	{
		const files = store();
		files.set(
			`mlruns/1/${RUN}/meta.yaml`,
			strToU8(
				`run_id: ${RUN}\nrun_uuid: ${RUN}\nexperiment_id: {a: 1}\nstart_time: yesterday\nend_time: -5\nstatus: 3\nlifecycle_stage: active\nuser_id: [1, 2]\n`
			)
		);
		out.push({
			name: 'wrong-types.zip',
			what: 'meta fields of the wrong type (start_time: yesterday)',
			bytes: zip(files),
			imported: { runs: 1, skipped: /start_time "yesterday" is not a time/ }
		});
	}

	// A 65,000-character param name: refused as MLflow refuses it (250 characters at most), not a crash.
	{
		const files = store({ [`mlruns/1/${RUN}/params/${'p'.repeat(65_000)}`]: 'x' });
		out.push({
			name: 'long-key.zip',
			what: 'a 65,000-character param name',
			bytes: zip(files),
			imported: { runs: 1, note: /Param key "p+…" of run \w+ was not imported: it is 65,000 characters long/ }
		});
	}
	return out;
}

/** mlflow.db files that would run their author's code while read: a view that never ends, a computed column. */
export function hostileSqlite(SQL: SqlJsStatic): HostileInput[] {
	const make = (sql: string) => {
		const db = new SQL.Database();
		db.exec(`CREATE TABLE experiments (experiment_id INTEGER, name TEXT, artifact_location TEXT, lifecycle_stage TEXT);
			INSERT INTO experiments VALUES (0, 'Default', 'x', 'active');
			CREATE TABLE runs (run_uuid TEXT, name TEXT, source_type TEXT, source_name TEXT, entry_point_name TEXT, user_id TEXT, status TEXT,
				start_time INTEGER, end_time INTEGER, source_version TEXT, lifecycle_stage TEXT, artifact_uri TEXT, experiment_id INTEGER);
			${sql}`);
		const bytes = db.export();
		db.close();
		return bytes;
	};
	return [
		{
			name: 'endless.db',
			what: 'an SQLite file whose metrics table is a recursive view that never ends',
			bytes: make(
				'CREATE VIEW metrics AS WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c) SELECT n AS run_uuid, n AS key, n AS value, n AS timestamp FROM c;'
			),
			refused: /endless\.db: "metrics" is a view, not a table/
		},
		{
			name: 'computed.db',
			what: 'an SQLite file with a computed column that allocates 1 GB per row',
			bytes: make(
				'CREATE TABLE params (run_uuid TEXT, key TEXT, value TEXT, big BLOB GENERATED ALWAYS AS (zeroblob(1000000000)) VIRTUAL);'
			),
			refused: /computed\.db: table "params" has computed columns \(big\)/
		}
	];
}

/** Deflated bytes, for tests that build entries by hand. */
export const deflated = (s: string) => deflateSync(strToU8(s));
