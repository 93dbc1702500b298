/* global uPlot */
// Comparison view benchmark on the built site in headless Chromium (issue 4), written to
// BENCHMARKS.md. Each figure has a baseline measured in the same run:
// - C archive, 100 runs x 10,000 steps overlaid (1,000,000 points a chart): first draw from the
//   data in hand, and a zoom (mouse-up to redrawn from the full data), against plain uPlot drawing
//   the same points undecimated in the same page;
// - M archive, 1,000 runs: parallel coordinates over 20 axes (10 params, 10 metrics) drawn, and
//   the frame rate while brushing, against one 60 Hz frame; the charts tab with all 1,000 runs
//   (navigation to the first chart drawn, against one run's page) and hover.
import { chromium } from '@playwright/test';
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir, cpus } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const executablePath = process.env.CHROMIUM_PATH ?? '/usr/lib/chromium/chromium';
const PORT = 4197;
execFileSync('npx', ['tsx', 'bench/make-archives.ts', 'M,C'], { cwd: root, stdio: 'inherit' });
if (!process.env.BENCH_NO_BUILD) execFileSync('npx', ['vite', 'build'], { cwd: root, stdio: 'ignore' });
const runs = JSON.parse(
	execFileSync('node', ['bin/trackside.js', 'runs', 'bench/out/M.zip', '--experiment-id', '1', '--json'], {
		cwd: root,
		maxBuffer: 1 << 30
	}).toString()
);
const ids = runs.runs.map((r) => r.info.run_id);
const cSeries = execFileSync('npx', ['tsx', 'bench/series.ts', 'bench/out/C.zip', 'metric_0'], {
	cwd: root,
	maxBuffer: 1 << 30
}).toString();
const server = spawn('npx', ['vite', 'preview', '--port', String(PORT), '--strictPort'], { cwd: root, stdio: 'ignore', detached: true });
await new Promise((r) => setTimeout(r, 2500));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const profile = mkdtempSync(join(tmpdir(), 'trackside-bench-'));
let context = await chromium.launchPersistentContext(profile, {
	executablePath,
	baseURL: `http://localhost:${PORT}`,
	viewport: { width: 1400, height: 900 }
});
let out;
const overlay = '[data-testid="overlay-chart"][data-title="metric_0"]';
// Zoom: drag over the middle quarter of a chart; mouse-up to the redraw from the full data.
async function zoom(page, selector) {
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
}
try {
	let page = await context.newPage();
	page.on('pageerror', (e) => console.error('page error:', e.message));
	await page.goto('./');
	await page.getByTestId('file-input').setInputFiles(join(root, 'bench/out/C.zip'));
	await page.getByTestId('import-report').first().waitFor({ timeout: 600_000 });
	const first = [];
	const zooms = [];
	for (let i = 0; i < 5; i++) {
		await page.goto('./compare/?exp=1&tab=charts');
		await page.waitForFunction((s) => Number(document.querySelector(s)?.getAttribute('data-build-ms')) > 0, overlay, { timeout: 120_000 });
		first.push(Number(await page.locator(overlay).getAttribute('data-build-ms')));
		zooms.push(await zoom(page, overlay));
	}
	// The same chart rebuilt in the page (clip toggled), JIT warm as plain uPlot's runs are.
	const rebuilt = [];
	for (let i = 0; i < 6; i++) {
		const before = await page.locator(overlay).getAttribute('data-drawn-at');
		await page.getByTestId('clip').click();
		await page.waitForFunction(
			([s, b]) =>
				document.querySelector(s)?.getAttribute('data-drawn-at') !== b &&
				Number(document.querySelector(s)?.getAttribute('data-build-ms')) > 0,
			[overlay, before]
		);
		rebuilt.push(Number(await page.locator(overlay).getAttribute('data-build-ms')));
	}
	const chartWidth = await page.evaluate((s) => document.querySelector(s + ' .u-wrap')?.clientWidth ?? 400, overlay);
	// The baseline: the same 100 x 10,000 points through plain uPlot, undecimated, in this page.
	// Evaluated over the devtools protocol: the site's CSP rightly refuses an injected <script>.
	await page.evaluate(readFileSync(join(root, 'node_modules/uplot/dist/uPlot.iife.min.js'), 'utf8') + ';window.uPlot = uPlot;');
	const plain = await page.evaluate(
		async ({ json, width }) => {
			const series = Object.values(JSON.parse(json));
			const xs = series[0].steps;
			const data = [xs, ...series.map((s) => s.values)];
			const host = document.createElement('div');
			document.body.append(host);
			const times = [];
			const zoomTimes = [];
			for (let i = 0; i < 5; i++) {
				host.replaceChildren();
				let drawn;
				const t0 = performance.now();
				const u = new uPlot(
					{
						width,
						height: 240,
						legend: { show: false },
						series: [{}, ...series.map(() => ({ stroke: '#0b5cad', width: 1 }))],
						hooks: { draw: [() => drawn?.(performance.now())] }
					},
					data,
					host
				);
				times.push(await new Promise((r) => (drawn = (t) => r(t - t0))));
				const z0 = performance.now();
				u.setScale('x', { min: xs.length * 0.35, max: xs.length * 0.6 });
				zoomTimes.push(await new Promise((r) => (drawn = (t) => r(t - z0))));
				u.destroy();
			}
			return { points: series.length * xs.length, times, zoomTimes };
		},
		{ json: cSeries, width: chartWidth }
	);
	const cDrawn = Number(await page.locator(overlay).getAttribute('data-drawn'));
	console.error('C first', first, 'zoom', zooms, 'plain', plain.times, plain.zoomTimes);
	const c = {
		points: plain.points,
		firstMs: median(first),
		warmMs: median(rebuilt),
		zoomMs: median(zooms),
		plainFirstMs: median(plain.times),
		plainZoomMs: median(plain.zoomTimes),
		drawnPoints: cDrawn
	};

	// M in a fresh profile: both archives hold an experiment 1 "synthetic", which would merge.
	await context.close();
	context = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'trackside-bench-')), {
		executablePath,
		baseURL: `http://localhost:${PORT}`,
		viewport: { width: 1400, height: 900 }
	});
	page = await context.newPage();
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
	const single = '[data-testid="metric-chart"]';
	const compareMs = [];
	const singleMs = [];
	for (let i = 0; i < 3; i++) {
		compareMs.push(await chartDrawn(compareUrl, overlay));
		singleMs.push(await chartDrawn(`./run/?id=${ids[0]}`, single));
	}
	console.error('compare', median(compareMs), 'single', median(singleMs));

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

	// Parallel coordinates over 20 axes (10 params, 10 metrics) of all 1,000 runs.
	const axes = [...Array(10).keys()].map((i) => `params.param_${i}`).concat([...Array(10).keys()].map((i) => `metrics.metric_${i}`));
	await page.goto(`./compare/?exp=1&tab=parallel&axes=${axes.join(',')}`);
	const pc = page.getByTestId('parallel-coordinates');
	await page.waitForFunction(() => document.querySelector('[data-testid="parallel-coordinates"]')?.getAttribute('data-axes') === '20');
	const pcDraw = [];
	for (const color of ['metrics.metric_1', 'metrics.metric_2', '', 'metrics.metric_3', 'metrics.metric_4']) {
		await page.getByTestId('color-by').selectOption(color);
		await page.waitForTimeout(100);
		pcDraw.push(Number(await pc.getAttribute('data-draw-ms')));
	}
	// Brushing: a drag along the first axis, one pointer move per frame dispatched in the page
	// (moves sent from Playwright arrive off the frame clock); the frame rate while dragging.
	const drag = await page.evaluate(
		() =>
			new Promise((resolve) => {
				const canvas = document.querySelector('[data-testid="parallel-coordinates"] canvas.brushes');
				const r = canvas.getBoundingClientRect();
				const at = (type, y) =>
					canvas.dispatchEvent(new PointerEvent(type, { bubbles: true, pointerId: 1, clientX: r.left + 60, clientY: r.top + y }));
				at('pointerdown', 50);
				const frames = [];
				const step = (t) => {
					frames.push(t);
					if (frames.length <= 60) {
						at('pointermove', 50 + frames.length * 4);
						requestAnimationFrame(step);
					} else {
						at('pointerup', 50 + 60 * 4);
						const gaps = frames.slice(1).map((f, i) => f - frames[i]);
						resolve({ fps: (frames.length - 1) / ((frames[frames.length - 1] - frames[0]) / 1000), worst: Math.max(...gaps) });
					}
				};
				requestAnimationFrame(step);
			})
	);
	const brushFps = drag.fps;
	const worstFrame = drag.worst;
	await page.waitForTimeout(200);
	const brushed = Number(await pc.getAttribute('data-active'));
	out = {
		c,
		runs: ids.length,
		compareMs: median(compareMs),
		singleMs: median(singleMs),
		drawnPoints,
		hoverMs: median(hover),
		pcAxes: 20,
		pcDrawMs: median(pcDraw),
		brushFps,
		worstFrame,
		brushed
	};
} finally {
	await context.close();
	rmSync(profile, { recursive: true, force: true });
	process.kill(-server.pid);
}
console.log(JSON.stringify(out, null, 2));
const f = (n, d = 0) => n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
const frame = 1000 / 60;
const md = [
	'| measure | result | baseline (same run) | ratio | target |',
	'|---|---|---|---|---|',
	`| ${f(out.c.points / 1e6, 1)}M points overlaid (100 runs x 10,000 steps): first draw on opening the page, from the data in hand to pixels | ${f(out.c.firstMs, 1)} ms | ${f(out.c.plainFirstMs, 1)} ms (plain uPlot, same points undecimated, same page, JIT warm) | ${f(out.c.firstMs / out.c.plainFirstMs, 2)}x | < 200 ms |`,
	`| same chart rebuilt in the page with outlier clipping toggled (the page's 2 charts rebuild; time to this one's pixels) | ${f(out.c.warmMs, 1)} ms | ${f(out.c.plainFirstMs, 1)} ms (same baseline) | ${f(out.c.warmMs / out.c.plainFirstMs, 2)}x | < 200 ms |`,
	`| same chart: zoom, mouse-up to redrawn from the full data | ${f(out.c.zoomMs, 1)} ms | ${f(out.c.plainZoomMs, 1)} ms (plain uPlot zoom, undecimated) | ${f(out.c.zoomMs / out.c.plainZoomMs, 2)}x | < 50 ms |`,
	`| parallel coordinates, ${f(out.runs)} runs x ${out.pcAxes} axes: canvas drawn | ${f(out.pcDrawMs, 1)} ms | ${f(frame, 1)} ms (one 60 Hz frame) | ${f(out.pcDrawMs / frame, 2)}x | < 100 ms |`,
	`| same, while brushing an axis (a pointer move every frame for 60 frames; the brush layer redrawn each) | ${f(out.brushFps, 1)} fps, worst frame ${f(out.worstFrame, 1)} ms | 60 fps display | ${f(out.brushFps / 60, 2)}x | 60 fps |`,
	`| charts tab with all ${f(out.runs)} runs x 1,000 steps: navigation to the first chart drawn | ${f(out.compareMs)} ms | ${f(out.singleMs)} ms (one run's page, its charts drawn) | ${f(out.compareMs / out.singleMs, 2)}x | |`,
	`| hover on that ${f(out.runs)}-run chart: mouse move to the tooltip painted | ${f(out.hoverMs, 1)} ms | ${f(frame, 1)} ms (one 60 Hz frame) | ${f(out.hoverMs / frame, 2)}x | |`
].join('\n');
const chromiumVersion = execFileSync(executablePath, ['--version']).toString().trim();
const doc = readFileSync(join(root, 'BENCHMARKS.md'), 'utf8');
const block = `<!-- compare:begin -->\n${md}\n\nMeasured ${new Date().toISOString().slice(0, 10)}, ${chromiumVersion}, headless, ${cpus().length} cores, 1400x900 viewport.\n<!-- compare:end -->`;
writeFileSync(
	join(root, 'BENCHMARKS.md'),
	doc.includes('<!-- compare:begin -->')
		? doc.replace(/<!-- compare:begin -->[\s\S]*<!-- compare:end -->/, block)
		: `${doc}\n## Comparison view\n\nRun with \`node bench/compare.mjs\`. Archives C (100 runs x 10,000 steps) and M (1,000 runs x 10 metrics x 1,000 steps), every run compared at once.\n\n${block}\n`
);
writeFileSync(
	join(root, 'bench/compare-results.json'),
	JSON.stringify({ date: new Date().toISOString(), chromium: chromiumVersion, ...out }, null, 2) + '\n'
);
console.log(md);
