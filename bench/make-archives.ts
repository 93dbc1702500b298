/** Writes the synthetic benchmark archives bench/out/{S,M,L,R,C,K,W,B50,B100,X}.zip (deterministic). */
import { Zip, ZipDeflate, zipSync, type Zippable } from 'fflate';
import { closeSync, existsSync, mkdirSync, openSync, renameSync, writeFileSync, writeSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { withZip64End } from '../src/lib/testing/zip64';
import { SYNTHETIC_SIZES, syntheticFileStore, syntheticFileStoreParts } from '../src/lib/demo/generate';

const out = new URL('./out/', import.meta.url);
mkdirSync(out, { recursive: true });

/** Streams `entries` into a zip at `target` (level 1: the archive is read, not kept): never all in memory. */
async function streamZip(target: URL, entries: Iterable<[string, Uint8Array | Iterable<Uint8Array>]>): Promise<number> {
	const tmp = fileURLToPath(target) + '.tmp';
	const fd = openSync(tmp, 'w');
	let size = 0;
	const done = new Promise<void>((resolve, reject) => {
		const zip = new Zip((err, chunk, final) => {
			if (err) return reject(err);
			writeSync(fd, chunk);
			size += chunk.length;
			if (final) resolve();
		});
		for (const [path, content] of entries) {
			const file = new ZipDeflate(path, { level: 1 });
			zip.add(file);
			if (content instanceof Uint8Array) file.push(content, true);
			else {
				let last: Uint8Array | undefined;
				for (const piece of content) {
					if (last) file.push(last);
					last = piece;
				}
				file.push(last ?? new Uint8Array(), true);
			}
		}
		zip.end();
	});
	await done;
	closeSync(fd);
	renameSync(tmp, fileURLToPath(target));
	return size;
}

/** X: one run with one metric of 20,000,000 steps, written in pieces (the file is ~600 MB). */
function* longHistory(steps: number): Generator<[string, Uint8Array | Iterable<Uint8Array>]> {
	const run = 'f'.repeat(32);
	const dir = `mlruns/1/${run}`;
	const enc = new TextEncoder();
	yield ['mlruns/1/meta.yaml', enc.encode(`artifact_location: mlruns/1\nexperiment_id: '1'\nlifecycle_stage: active\nname: long\n`)];
	yield [
		`${dir}/meta.yaml`,
		enc.encode(
			`artifact_uri: mlruns/1/${run}/artifacts\nend_time: null\nexperiment_id: '1'\nlifecycle_stage: active\nrun_id: ${run}\nrun_name: long\nrun_uuid: ${run}\nsource_name: ''\nsource_type: 4\nsource_version: ''\nstart_time: 1767225600000\nstatus: 1\ntags: []\nuser_id: bench\n`
		)
	];
	yield [
		`${dir}/metrics/loss`,
		(function* () {
			const t0 = 1767225600000;
			for (let start = 0; start < steps; start += 100_000) {
				let text = '';
				for (let i = start; i < Math.min(steps, start + 100_000); i++)
					text += `${t0 + i} ${(1 / (1 + i / 1e5) + 0.01 * Math.sin(i)).toFixed(6)} ${i}\n`;
				yield enc.encode(text);
			}
		})()
	];
}

for (const name of (process.argv[2] ?? 'S,M,L').split(',') as (keyof typeof SYNTHETIC_SIZES)[]) {
	const target = new URL(`${name}.zip`, out);
	if (existsSync(target)) continue;
	const t0 = performance.now();
	const size = SYNTHETIC_SIZES[name];
	const points = size.runs * size.metrics * size.steps;
	let bytes: number;
	if (name === 'X') bytes = await streamZip(target, longHistory(size.steps));
	else if (name.startsWith('B')) {
		bytes = await streamZip(
			target,
			(function* () {
				for (const part of syntheticFileStoreParts(size)) yield* part;
			})()
		);
	} else {
		const files: Zippable = {};
		for (const [path, content] of syntheticFileStore(size)) files[path] = content;
		const count = Object.keys(files).length;
		// Over 65,535 files real archivers write zip64 records; so must the benchmark, or the fflate
		// floor (which trusts the count) would unzip only count mod 65,536 of them.
		const zip = count > 0xffff ? withZip64End(zipSync(files, { level: 6 }), count) : zipSync(files, { level: 6 });
		writeFileSync(target, zip);
		bytes = zip.length;
	}
	console.log(`${name}.zip: ${(bytes / 1e6).toFixed(1)} MB, ${points} metric points, ${Math.round(performance.now() - t0)} ms`);
}
