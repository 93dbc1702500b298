// Comparison view benchmark on the built site in headless Chromium (issue 4: stay interactive with
// 1,000 runs and full-resolution lines), written to BENCHMARKS.md. The M archive: 1,000 runs x 10
// metrics x 1,000 steps. Each figure has a baseline measured in the same run:
// - compare page with all 1,000 runs, charts tab: navigation to the charts in view drawn, against
//   one run's page drawing its 10 charts of the same length;
// - zoom on a 1,000-run chart (drag): mouse-up to the chart redrawn from the full data, against
//   the same zoom on that single run's chart;
// - brushing a parallel-coordinates axis over 1,000 runs, and hovering a 1,000-run chart: input
//   to the view updated, against one 60 Hz frame (16.7 ms).
import { chromium } from '@playwright/test';
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir, cpus } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const executablePath = process.env.CHROMIUM_PATH ?? '/usr/lib/chromium/chromium';
const PORT = 4197;
execFileSync('npx', ['tsx', 'bench/make-archives.ts', 'M'], { cwd: root, stdio: 'inherit' });
if (!process.env.BENCH_NO_BUILD) execFileSync('npx', ['vite', 'build'], { cwd: root, stdio: 'ignore' });
const runs = JSON.parse(execFileSync('node', ['bin/trackside.js', 'runs', 'bench/out/M.zip', '--experiment-id', '1', '--json'], { cwd: root, maxBuffer: 1 << 30 }).toString());
const ids = runs.runs.map((r) => r.info.run_id);
const server = spawn('npx', ['vite', 'preview', '--port', String(PORT), '--strictPort'], { cwd: root, stdio: 'ignore', detached: true });
await new Promise((r) => setTimeout(r, 2500));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const profile = mkdtempSync(join(tmpdir(), 'trackside-bench-'));
const context = await chromium.launchPersistentContext(profile, { executablePath, baseURL: `http://localhost:${PORT}`, viewport: { width: 1400, height: 900 } });
let out;
try {
	const page = await context.newPage();
	page.on('pageerror', (e) => console.error('page error:', e.message));
	await page.goto('./');
	await page.getByTestId('file-input').setInputFiles(join(root, 'bench/out/M.zip'));
	await page.getByTestId('import-report').first().waitFor({ timeout: 600_000 });
	// Every run of the experiment, as the runs table's "Compare all" links it.
	const compareUrl = './compare/?exp=1&tab=charts';

	// Navigation to the first chart's lines drawn, read from the chart's own stamp.
	const chartDrawn = async (url, selector) => {
		await page.goto(url);
		await page.waitForFunction((s) => Number(document.querySelector(s)?.getAttribute('data-drawn')) > 0, selector, { timeout: 120_000 });
		return page.evaluate((s) => Number(document.querySelector(s).getAttribute('data-drawn-at')), selector);
	};
	const overlay = '[data-testid="overlay-chart"][data-title="metric_0"]';
	const single = '[data-testid="metric-chart"]';
	const compareMs = [];
	const singleMs = [];
	for (let i = 0; i < 3; i++) {
		compareMs.push(await chartDrawn(compareUrl, overlay));
		singleMs.push(await chartDrawn(`./run/?id=${ids[0]}`, single));
	}
	console.error('compare', median(compareMs), 'single', median(singleMs));

	// Zoom: drag over the middle third of a chart; mouse-up to the redraw from the full data.
	const zoom = async (selector) => {
		const canvas = page.locator(`${selector} canvas`).first();
		const box = await canvas.boundingBox();
		await page.evaluate(() => {
			window.__up = 0;
			addEventListener('mouseup', () => (window.__up = performance.now()), { capture: true, once: true });
		});
		await page.mouse.move(box.x + box.width * 0.35, box.y + box.height * 0.5);
		await page.mouse.down();
		await page.mouse.move(box.x + box.width * 0.6, box.y + box.height * 0.5, { steps: 4 });
		await page.mouse.up();
		await page.waitForFunction((s) => Number(document.querySelector(s).getAttribute('data-drawn-at')) > window.__up, selector);
		return page.evaluate((s) => Number(document.querySelector(s).getAttribute('data-drawn-at')) - window.__up, selector);
	};
	const zoomMany = [];
	const zoomOne = [];
	for (let i = 0; i < 3; i++) {
		await chartDrawn(compareUrl, overlay);
		zoomMany.push(await zoom(overlay));
		await chartDrawn(`./run/?id=${ids[0]}`, single);
		zoomOne.push(await zoom(single));
	}
	const drawnPoints = await (async () => {
		await chartDrawn(compareUrl, overlay);
		return Number(await page.locator(overlay).getAttribute('data-drawn'));
	})();

	// Hover on the 1,000-run chart: mouse move to the tooltip updated.
	const hover = [];
	const canvas = page.locator(`${overlay} canvas`).first();
	const box = await canvas.boundingBox();
	for (let i = 0; i < 9; i++) {
		const x = box.x + box.width * (0.2 + i * 0.07);
		await page.evaluate(() => {
			window.__moved = 0;
			addEventListener('mousemove', () => (window.__moved ||= performance.now()), { capture: true });
		});
		await page.mouse.move(x, box.y + box.height * 0.5);
		await page.waitForFunction(() => document.querySelector('[data-testid="chart-tooltip"]'));
		hover.push(await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r(performance.now() - window.__moved)))));
	}

	// Brushing the first parallel-coordinates axis over all 1,000 runs: mouse-up to redrawn.
	await page.goto(compareUrl.replace('tab=charts', 'tab=parallel'));
	const pc = page.getByTestId('parallel-coordinates');
	await pc.waitFor();
	const brush = [];
	for (let i = 0; i < 5; i++) {
		const b = await pc.locator('canvas').boundingBox();
		const before = await pc.getAttribute('data-active');
		await page.evaluate(() => {
			window.__up = 0;
			addEventListener('pointerup', () => (window.__up = performance.now()), { capture: true, once: true });
		});
		await page.mouse.move(b.x + 60, b.y + 60 + i * 10);
		await page.mouse.down();
		await page.mouse.move(b.x + 60, b.y + 200 + i * 10, { steps: 3 });
		await page.mouse.up();
		await page.waitForFunction((v) => document.querySelector('[data-testid="parallel-coordinates"]').getAttribute('data-active') !== v, before);
		brush.push(await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r(performance.now() - window.__up)))));
	}
	out = { runs: ids.length, compareMs: median(compareMs), singleMs: median(singleMs), zoomManyMs: median(zoomMany), zoomOneMs: median(zoomOne), drawnPoints, hoverMs: median(hover), brushMs: median(brush) };
} finally {
	await context.close();
	rmSync(profile, { recursive: true, force: true });
	process.kill(-server.pid);
}
console.log(JSON.stringify(out, null, 2));
const f = (n, d = 0) => n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
const frame = 1000 / 60;
const md = [
	'| measure | result | baseline (same run) | ratio |',
	'|---|---|---|---|',
	`| compare view, ${f(out.runs)} runs x 1,000 steps, charts tab: navigation to the first chart drawn (${f(out.drawnPoints)} points drawn on it) | ${f(out.compareMs)} ms | ${f(out.singleMs)} ms (one run's page, its charts drawn) | ${f(out.compareMs / out.singleMs, 2)}x |`,
	`| zoom on a ${f(out.runs)}-run chart: mouse-up to redrawn from the full data | ${f(out.zoomManyMs, 1)} ms | ${f(out.zoomOneMs, 1)} ms (same zoom, one run's chart) | ${f(out.zoomManyMs / out.zoomOneMs, 2)}x |`,
	`| hover on a ${f(out.runs)}-run chart: mouse move to the tooltip painted | ${f(out.hoverMs, 1)} ms | ${f(frame, 1)} ms (one 60 Hz frame) | ${f(out.hoverMs / frame, 2)}x |`,
	`| parallel coordinates, ${f(out.runs)} runs: brush mouse-up to the view filtered and painted | ${f(out.brushMs, 1)} ms | ${f(frame, 1)} ms (one 60 Hz frame) | ${f(out.brushMs / frame, 2)}x |`
].join('\n');
const chromiumVersion = execFileSync(executablePath, ['--version']).toString().trim();
const doc = readFileSync(join(root, 'BENCHMARKS.md'), 'utf8');
const block = `<!-- compare:begin -->\n${md}\n\nMeasured ${new Date().toISOString().slice(0, 10)}, ${chromiumVersion}, headless, ${cpus().length} cores, 1400x900 viewport.\n<!-- compare:end -->`;
writeFileSync(
	join(root, 'BENCHMARKS.md'),
	doc.includes('<!-- compare:begin -->')
		? doc.replace(/<!-- compare:begin -->[\s\S]*<!-- compare:end -->/, block)
		: `${doc}\n## Comparison view\n\nRun with \`node bench/compare.mjs\`. The M archive: 1,000 runs x 10 metrics x 1,000 steps, all compared at once.\n\n${block}\n`
);
writeFileSync(join(root, 'bench/compare-results.json'), JSON.stringify({ date: new Date().toISOString(), chromium: chromiumVersion, ...out }, null, 2) + '\n');
console.log(md);
