// Snapshot benchmark (issue 7), on sites made by `trackside publish` in headless Chromium, written
// to BENCHMARKS.md. For each archive (S: 100 runs x 10 metrics x 1,000 steps; M: 1,000 runs, same;
// L: 10,000 runs x 100 steps; G: M plus a 0.92 MB model file per run, about 1 GB in all), the
// published snapshot's size per run and per point, and the time
// from navigation to the experiment's runs table shown with the bytes of the snapshot fetched:
// served with byte ranges (the app reads what the page needs) against the same site served
// without ranges (the whole file downloaded), in the same run.
import { chromium } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { createServer } from 'node:http';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { open, readFile, stat } from 'node:fs/promises';
import { tmpdir, cpus } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const executablePath = process.env.CHROMIUM_PATH ?? '/usr/lib/chromium/chromium';
const sizes = (process.argv[2] ?? 'S,M,L,G').split(',');
const archives = [...new Set(sizes.map((s) => (s === 'G' ? 'M' : s)))];
execFileSync('npx', ['tsx', 'bench/make-archives.ts', archives.join(',')], { cwd: root, stdio: 'inherit' });
if (sizes.includes('G')) execFileSync('npx', ['tsx', 'bench/make-big-snapshot.ts'], { cwd: root, stdio: 'inherit' });
if (!process.env.BENCH_NO_BUILD) execFileSync('npx', ['vite', 'build'], { cwd: root, stdio: 'ignore' });
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.wasm': 'application/wasm', '.svg': 'image/svg+xml' };

/** A static host for `dir`; with or without byte ranges; counts the snapshot's bytes sent. */
async function host(dir, ranges) {
	const counter = { bytes: 0 };
	const server = createServer(async (req, res) => {
		let file = join(dir, normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname)).replace(/^(\.\.[/\\])+/, ''));
		try {
			if ((await stat(file)).isDirectory()) file = join(file, 'index.html');
			const headers = { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' };
			const range = /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? '');
			let status = 200;
			let body;
			if (ranges && range) {
				// Only the range is read from disk, as a static host does (not the whole 1 GB file).
				const size = (await stat(file)).size;
				const start = Number(range[1]);
				const end = Math.min(size - 1, range[2] ? Number(range[2]) : size - 1);
				const fh = await open(file);
				body = Buffer.alloc(end - start + 1);
				await fh.read(body, 0, body.length, start);
				await fh.close();
				headers['content-range'] = `bytes ${start}-${end}/${size}`;
				status = 206;
			} else body = await readFile(file);
			if (file.endsWith('.trackside')) counter.bytes += body.length;
			res.writeHead(status, { ...headers, 'content-length': String(body.length) }).end(body);
		} catch {
			res.writeHead(404).end();
		}
	});
	await new Promise((r) => server.listen(0, '127.0.0.1', r));
	return { url: `http://127.0.0.1:${server.address().port}/`, counter, close: () => new Promise((r) => server.close(r)) };
}

const results = {};
const browser = await chromium.launch({ executablePath });
try {
	for (const size of sizes) {
		const site = mkdtempSync(join(tmpdir(), `trackside-site-${size}-`));
		const input = size === 'G' ? 'bench/out/G.trackside' : `bench/out/${size}.zip`;
		execFileSync('node', ['bin/trackside.js', 'publish', input, '--out', site, '--artifacts', 'none'], { cwd: root, stdio: 'ignore' });
		const file = join(site, 'snapshot.trackside');
		const bytes = statSync(file).size;
		const manifest = JSON.parse(execFileSync('unzip', ['-p', file, 'manifest.json']).toString());
		const timeOpen = async (ranges) => {
			const h = await host(site, ranges);
			const times = [];
			const fetched = [];
			try {
				for (let i = 0; i < 3; i++) {
					const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
					const page = await context.newPage();
					h.counter.bytes = 0;
					await page.goto(`${h.url}experiment/?id=1`);
					await page.waitForFunction(
						() => Number(document.querySelector('[data-testid="runs"]')?.getAttribute('data-row-count')) > 0,
						null,
						{ timeout: 300_000 }
					);
					times.push(await page.evaluate(() => performance.now()));
					fetched.push(h.counter.bytes);
					await context.close();
				}
			} finally {
				await h.close();
			}
			return { ms: median(times), fetched: median(fetched) };
		};
		const ranged = await timeOpen(true);
		const whole = await timeOpen(false);
		results[size] = { bytes, runs: manifest.counts.runs, points: manifest.counts.metricPoints, ranged, whole };
		console.error(size, results[size]);
		rmSync(site, { recursive: true, force: true });
	}
} finally {
	await browser.close();
}
const f = (n, d = 0) => n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
const mb = (n) => `${f(n / 1e6, 1)} MB`;
const md = [
	'| snapshot | size | per run | per metric point | experiment page shown, by ranges | fetched | whole file downloaded (baseline) | fetched | ratio (time) |',
	'|---|---|---|---|---|---|---|---|---|',
	...Object.entries(results).map(
		([name, r]) =>
			`| ${name}: ${f(r.runs)} runs, ${f(r.points)} points${name === 'G' ? ', 1,000 model files' : ''} | ${mb(r.bytes)} | ${f(r.bytes / r.runs)} B | ${f(r.bytes / r.points, 2)} B | ${f(r.ranged.ms)} ms | ${mb(r.ranged.fetched)} (${f((100 * r.ranged.fetched) / r.bytes, 1)}%) | ${f(r.whole.ms)} ms | ${mb(r.whole.fetched)} | ${f(r.ranged.ms / r.whole.ms, 2)}x |`
	)
].join('\n');
const chromiumVersion = execFileSync(executablePath, ['--version']).toString().trim();
const doc = readFileSync(join(root, 'BENCHMARKS.md'), 'utf8');
const block = `<!-- snapshot:begin -->\n${md}\n\nMeasured ${new Date().toISOString().slice(0, 10)}, ${chromiumVersion}, headless, ${cpus().length} cores; snapshots without artifacts but G's model files, served from loopback.\n<!-- snapshot:end -->`;
writeFileSync(
	join(root, 'BENCHMARKS.md'),
	doc.includes('<!-- snapshot:begin -->')
		? doc.replace(/<!-- snapshot:begin -->[\s\S]*<!-- snapshot:end -->/, block)
		: `${doc}\n## Snapshots\n\nRun with \`node bench/snapshot.mjs\`. Each archive published with \`trackside publish\`, then its experiment page opened in a new browser context (cold: app, worker, snapshot) from a loopback static host with byte ranges, and from the same host without them (the whole file is downloaded), in the same run.\n\n${block}\n`
);
writeFileSync(
	join(root, 'bench/snapshot-results.json'),
	JSON.stringify({ date: new Date().toISOString(), chromium: chromiumVersion, results }, null, 2) + '\n'
);
console.log(md);
