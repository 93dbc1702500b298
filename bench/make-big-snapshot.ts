/**
 * Writes bench/out/G.trackside, a snapshot of about 1 GB: the M archive (1,000 runs x 10 metrics
 * x 1,000 steps) plus one model file per run (incompressible bytes, as trained weights are),
 * streamed to disk by the same writer as `trackside snapshot`.
 */
import { sqlJsNode } from '../src/cli/sqljs-node';
import { closeSync, existsSync, openSync, renameSync, writeSync } from 'node:fs';
import { Store } from '../src/lib/db/store';
import { importTree } from '../src/lib/importers';
import { openPath } from '../src/cli/node-sources';
import { writeSnapshot } from '../src/lib/snapshot/build';
import { rng } from '../src/lib/demo/generate';

const target = new URL('./out/G.trackside', import.meta.url).pathname;
if (!existsSync(target)) {
	const SQL = await sqlJsNode();
	const store = Store.open(SQL);
	const tree = await openPath(new URL('./out/M.zip', import.meta.url).pathname);
	await importTree(SQL, store, tree, { now: 0 });
	await tree.close?.();
	const runs = store.queries.searchRunIds({ experimentIds: ['1'] });
	const fileSize = 920_000;
	await store.write(async (w) => {
		for (const run of runs) w.artifact(run, 'model/weights.bin', fileSize);
	});
	const rand = rng(7);
	const fd = openSync(`${target}.tmp`, 'w');
	await writeSnapshot(
		SQL,
		store,
		{
			artifacts: 'all',
			readArtifact: async () => {
				const bytes = new Uint8Array(fileSize);
				const words = new Uint32Array(bytes.buffer);
				for (let i = 0; i < words.length; i++) words[i] = rand() * 2 ** 32;
				return bytes;
			}
		},
		(chunk) => void writeSync(fd, chunk)
	);
	closeSync(fd);
	renameSync(`${target}.tmp`, target);
}
console.log(target);
