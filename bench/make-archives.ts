/** Writes the synthetic benchmark archives bench/out/{S,M,L,R,C}.zip (deterministic). */
import { zipSync, type Zippable } from 'fflate';
import { mkdirSync, writeFileSync, existsSync } from 'node:fs';
import { withZip64End } from '../src/lib/testing/zip64';
import { SYNTHETIC_SIZES, syntheticFileStore } from '../src/lib/demo/generate';

const out = new URL('./out/', import.meta.url);
mkdirSync(out, { recursive: true });
for (const name of (process.argv[2] ?? 'S,M,L').split(',') as (keyof typeof SYNTHETIC_SIZES)[]) {
	const target = new URL(`${name}.zip`, out);
	if (existsSync(target)) continue;
	const t0 = performance.now();
	const files: Zippable = {};
	let points = 0;
	for (const [path, bytes] of syntheticFileStore(SYNTHETIC_SIZES[name])) {
		files[path] = bytes;
		if (path.includes('/metrics/')) points += SYNTHETIC_SIZES[name].steps;
	}
	const count = Object.keys(files).length;
	// Over 65,535 files real archivers write zip64 records; so must the benchmark, or the fflate
	// floor (which trusts the count) would unzip only count mod 65,536 of them.
	const zip = count > 0xffff ? withZip64End(zipSync(files, { level: 6 }), count) : zipSync(files, { level: 6 });
	writeFileSync(target, zip);
	console.log(`${name}.zip: ${(zip.length / 1e6).toFixed(1)} MB, ${points} metric points, ${Math.round(performance.now() - t0)} ms`);
}
