/* global fflate */
// Imports the synthetic archives on the built site in headless Chromium (a persistent profile, so
// IndexedDB is on disk as for a user) and writes BENCHMARKS.md. Every figure is also given as a
// ratio to a baseline measured in the same page and run: fflate's unzipSync of the same archive.
import { chromium } from '@playwright/test';
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, readFileSync, writeFileSync, statSync } from 'node:fs';
import { tmpdir, cpus } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const sizes = (process.argv[2] ?? 'S,M,L').split(',');
const executablePath = process.env.CHROMIUM_PATH ?? '/usr/lib/chromium/chromium';
const PORT = 4199;

execFileSync('npx', ['tsx', 'bench/make-archives.ts', sizes.join(',')], { cwd: root, stdio: 'inherit' });
if (!process.env.BENCH_NO_BUILD) execFileSync('npx', ['vite', 'build'], { cwd: root, stdio: 'ignore' });
try {
	execFileSync('bash', ['-c', `! (exec 3<>/dev/tcp/127.0.0.1/${PORT}) 2>/dev/null`]);
} catch {
	throw new Error(`port ${PORT} is taken (an old vite preview?): stop it first`);
}
const server = spawn('npx', ['vite', 'preview', '--port', String(PORT), '--strictPort'], { cwd: root, stdio: 'ignore', detached: true });
await new Promise((r) => setTimeout(r, 2500));

const results = [];
try {
	for (const size of sizes) {
		const archive = join(root, 'bench/out', `${size}.zip`);
		const profile = mkdtempSync(join(tmpdir(), 'trackside-bench-'));
		// bypassCSP: the site's CSP (rightly) refuses the injected baseline script.
		const context = await chromium.launchPersistentContext(profile, {
			executablePath,
			baseURL: `http://localhost:${PORT}`,
			bypassCSP: true
		});
		const page = await context.newPage();
		page.on('pageerror', (e) => console.error('page error:', e.message));
		page.on('console', (m) => m.type() === 'error' && console.error('console:', m.text()));
		await page.goto('./');
		await page.getByTestId('no-experiments').waitFor();

		// Timed in the page, from the input's change event to the report in the DOM, so that
		// Playwright's own protocol round trips are not counted.
		await page.evaluate(() => {
			window.__import = {};
			document.addEventListener('change', () => (window.__import.start ??= performance.now()), true);
			new MutationObserver(() => {
				if (!window.__import.end && document.querySelector('[data-testid="import-report"]')) window.__import.end = performance.now();
			}).observe(document.body, { childList: true, subtree: true });
		});
		await page.getByTestId('file-input').setInputFiles(archive);
		await Promise.race([
			page.getByTestId('import-report').first().waitFor({ timeout: 600_000 }),
			page
				.getByTestId('import-error')
				.waitFor({ timeout: 600_000 })
				.then(async () => {
					throw new Error(await page.getByTestId('import-error').innerText());
				})
		]);
		const importMs = await page.evaluate(() => window.__import.end - window.__import.start);
		// Baseline, after the import (so its 100s of MB of garbage do not burden the import): a plain fflate unzip of the same File, in the same page.
		await page.addScriptTag({ path: join(root, 'node_modules/fflate/umd/index.js') });
		await page.evaluate(() => {
			const input = document.createElement('input');
			input.type = 'file';
			input.id = 'bench-input';
			document.body.append(input);
		});
		await page.setInputFiles('#bench-input', archive);
		const unzipMs = await page.evaluate(async () => {
			const file = document.getElementById('bench-input').files[0];
			const t0 = performance.now();
			const files = fflate.unzipSync(new Uint8Array(await file.arrayBuffer()));
			const ms = performance.now() - t0;
			if (Object.keys(files).length === 0) throw new Error('empty');
			return ms;
		});

		const reportText = await page.getByTestId('import-report').first().innerText();
		const stored = await page.evaluate(
			() =>
				new Promise((resolve, reject) => {
					const req = indexedDB.open('trackside');
					req.onsuccess = () => {
						// The main image and the bulk image (series, span JSON) together.
						const all = req.result.transaction('images').objectStore('images').getAll();
						all.onsuccess = () => resolve(all.result.reduce((n, r) => n + r.blob.size, 0));
						all.onerror = reject;
					};
					req.onerror = reject;
				})
		);
		const points = Number(/([\d,]+) metric points/.exec(reportText)[1].replace(/,/g, ''));
		const runs = Number(/([\d,]+) runs/.exec(reportText)[1].replace(/,/g, ''));

		// Reload: a new page load that restores the image from IndexedDB and lists experiments.
		const r0 = Date.now();
		await page.reload();
		await page.getByTestId('experiments').waitFor();
		const reloadMs = Date.now() - r0;
		await context.close();
		rmSync(profile, { recursive: true, force: true });

		const row = {
			size,
			archiveMB: statSync(archive).size / 1e6,
			runs,
			points,
			importMs,
			pointsPerSec: points / (importMs / 1000),
			unzipMs,
			importToUnzip: importMs / unzipMs,
			storeMB: stored / 1e6,
			bytesPerPoint: stored / points,
			reloadMs
		};
		console.log(JSON.stringify(row));
		results.push(row);
	}
} finally {
	process.kill(-server.pid);
}

const chromiumVersion = execFileSync(executablePath, ['--version']).toString().trim();
const f = (n, d = 0) => n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
const table = [
	'| archive | zip MB | runs | metric points | import (s) | points/s | unzip floor (s) | import ÷ unzip | store MB | bytes/point | reload (s) |',
	'|---|---|---|---|---|---|---|---|---|---|---|',
	...results.map(
		(r) =>
			`| ${r.size} | ${f(r.archiveMB, 1)} | ${f(r.runs)} | ${f(r.points)} | ${f(r.importMs / 1000, 2)} | ${f(r.pointsPerSec)} | ${f(r.unzipMs / 1000, 2)} | ${f(r.importToUnzip, 2)}× | ${f(r.storeMB, 1)} | ${f(r.bytesPerPoint, 1)} | ${f(r.reloadMs / 1000, 2)} |`
	)
].join('\n');
writeFileSync(
	join(root, 'bench/results.json'),
	JSON.stringify({ date: new Date().toISOString(), chromium: chromiumVersion, cpus: cpus().length, results }, null, 2) + '\n'
);
const md = readFileSync(join(root, 'BENCHMARKS.md'), 'utf8');
writeFileSync(
	join(root, 'BENCHMARKS.md'),
	md.replace(
		/<!-- import:begin -->[\s\S]*<!-- import:end -->/,
		`<!-- import:begin -->\n${table}\n\nMeasured ${new Date().toISOString().slice(0, 10)}, ${chromiumVersion}, headless, ${cpus().length} cores, persistent profile.\n<!-- import:end -->`
	)
);
console.log(table);
