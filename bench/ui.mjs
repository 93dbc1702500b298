// UI benchmarks on the built site in headless Chromium (issue 3's targets), written to BENCHMARKS.md:
// - runs table of 10,000 runs (the L archive, 34 columns): filter + sort, from Enter to the table
//   redrawn, against the same page redrawing with no filter (baseline); scroll frame rate and the
//   number of row elements in the DOM while scrolling;
// - a run with 10 metrics x 100,000 steps (the R archive): navigation to all charts drawn, against
//   navigation to the same page of a run without metrics (baseline).
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { executablePath, median, prepare, root, withImported } from './lib.mjs';

const PORT = 4198;
const stop = await prepare('L,R', PORT);
const withPage = (archive, f) => withImported(PORT, archive, f);

const only = process.argv[2];
const previous = JSON.parse(readFileSync(join(root, 'bench/ui-results.json'), 'utf8').toString() || '{}');
const out = { table: previous.table, run: previous.run };
try {
	if (only !== 'run')
		out.table = await withPage('L.zip', async (page) => {
			await page.getByRole('link', { name: 'synthetic' }).first().click();
			await page.waitForFunction(() => document.querySelector('[data-testid="runs"]')?.getAttribute('data-row-count') === '10000', null, {
				timeout: 120_000
			});
			const columns = await page.locator('[data-testid="runs"] thead th').count();
			// Time from Enter to the table showing the new result, in the page.
			const timeSearch = async (filter) =>
				page.evaluate(
					async ({ filter }) => {
						const input = document.querySelector('[data-testid="run-search"]');
						const count = document.querySelector('[data-testid="run-count"]');
						const before = count.getAttribute('data-generation');
						input.value = filter;
						input.dispatchEvent(new Event('input', { bubbles: true }));
						const t0 = performance.now();
						// The table is patched in the same task that bumps data-generation: observe it
						// (polling per frame would add up to a frame), then wait for the frame that paints.
						await new Promise((resolve) => {
							const observer = new MutationObserver(() => {
								if (count.getAttribute('data-generation') !== before) {
									observer.disconnect();
									resolve();
								}
							});
							observer.observe(count, { attributes: true });
							input.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
						});
						await new Promise((r) => requestAnimationFrame(() => r()));
						return performance.now() - t0;
					},
					{ filter }
				);
			console.error('table loaded');
			const filtered = [];
			const baseline = [];
			for (let i = 0; i < 9; i++) {
				filtered.push(await timeSearch(`metrics.metric_0 > ${0.5 + i * 0.01} and params.param_1 LIKE '%${i}%'`));
				baseline.push(await timeSearch(`attributes.start_time > ${i}`));
			}
			console.error('filter', median(filtered), 'baseline', median(baseline));
			await page.locator('[data-testid="runs"] th', { hasText: 'metric_3' }).click();
			await page.waitForTimeout(500);
			const sorted = [];
			for (let i = 0; i < 9; i++) sorted.push(await timeSearch(`metrics.metric_0 > ${0.4 + i * 0.01}`));
			await page.evaluate(() => {
				const u = new URL(location.href);
				u.searchParams.delete('filter');
				history.replaceState(null, '', u);
			});
			await page.reload();
			await page.waitForFunction(() => document.querySelector('[data-testid="runs"]')?.getAttribute('data-row-count') === '10000');
			const scroll = await page.evaluate(
				() =>
					new Promise((resolve) => {
						const viewport = document.querySelector('[data-testid="runs-viewport"]');
						const frames = [];
						let maxRows = 0;
						const t0 = performance.now();
						const step = (t) => {
							frames.push(t);
							viewport.scrollTop += 120;
							maxRows = Math.max(maxRows, viewport.querySelectorAll('tbody tr').length);
							if (t - t0 < 3000) requestAnimationFrame(step);
							else {
								const gaps = frames.slice(1).map((f, i) => f - frames[i]);
								resolve({
									fps: (frames.length - 1) / ((frames[frames.length - 1] - frames[0]) / 1000),
									worstFrameMs: Math.max(...gaps),
									maxRows
								});
							}
						};
						requestAnimationFrame(step);
					})
			);
			// Opening the experiment cold (a new page load: worker, store restored, all 10,000 runs read
			// with their metrics, params and tags) until the table shows them, against the same cold
			// load of the experiments list. Times come from an observer in the page, from navigation start.
			await page.addInitScript(() => {
				new MutationObserver(() => {
					window.__listAt ??= document.querySelector('[data-testid="experiments"] tbody tr') ? performance.now() : undefined;
					window.__firstRowsAt ??= document.querySelector('[data-testid="runs"] tbody tr[data-run-id]') ? performance.now() : undefined;
					window.__tableAt ??=
						document.querySelector('[data-testid="runs"]')?.getAttribute('data-row-count') === '10000' ? performance.now() : undefined;
				}).observe(document, { subtree: true, childList: true, attributes: true });
			});
			const experimentUrl = page.url();
			const open = [];
			const firstRows = [];
			const list = [];
			for (let i = 0; i < 3; i++) {
				await page.goto(experimentUrl);
				await page.waitForFunction(() => window.__tableAt, null, { timeout: 60_000 });
				open.push(await page.evaluate(() => window.__tableAt));
				firstRows.push(await page.evaluate(() => window.__firstRowsAt));
				await page.goto('./');
				await page.waitForFunction(() => window.__listAt, null, { timeout: 60_000 });
				list.push(await page.evaluate(() => window.__listAt));
			}
			return {
				runs: 10000,
				columns,
				filterMs: median(filtered),
				baselineMs: median(baseline),
				sortFilterMs: median(sorted),
				...scroll,
				openMs: median(open),
				firstRowsMs: median(firstRows),
				listMs: median(list)
			};
		});

	if (only !== 'table')
		out.run = await withPage('R.zip', async (page) => {
			const runId = await page.evaluate(async () => {
				const u = new URL(location.href);
				return u.href;
			});
			await page.getByRole('link', { name: 'synthetic' }).first().click();
			await page.locator('[data-testid="runs"] tbody tr[data-run-id]').first().waitFor();
			const id = await page.locator('[data-testid="runs"] tbody tr[data-run-id]').first().getAttribute('data-run-id');
			const timeTo = async (url, ready) => {
				await page.goto(url);
				await page.waitForFunction(ready, null, { timeout: 60_000 });
				return page.evaluate(() => performance.now());
			};
			// When the last of the 10 charts drew, read from the charts themselves (waiting for it from
			// Playwright adds its polling and protocol latency, 20 to 40 ms).
			const lastDrawn = () =>
				page.evaluate(() =>
					Math.max(...[...document.querySelectorAll('[data-testid="metric-chart"]')].map((c) => Number(c.getAttribute('data-drawn-at'))))
				);
			const allDrawn = () =>
				[...document.querySelectorAll('[data-testid="metric-chart"]')].filter((c) => Number(c.getAttribute('data-drawn')) > 0).length ===
				10;
			const charts = [];
			const baseline = [];
			for (let i = 0; i < 3; i++) {
				await timeTo(`./run/?id=${id}`, allDrawn);
				charts.push(await lastDrawn());
				baseline.push(await timeTo(`./run/?id=${id}&artifact=none`, () => !!document.querySelector('[data-testid="overview"]')));
			}
			void runId;
			// In-app: from a click on the run in the runs table (the worker and store already up).
			const inApp = [];
			for (let i = 0; i < 3; i++) {
				await page.goto('./');
				await page.getByRole('link', { name: 'synthetic' }).first().click();
				await page.locator('[data-testid="runs"] tbody tr[data-run-id] td.name a').first().waitFor();
				const t0 = await page.evaluate(() => {
					const t = performance.now();
					document.querySelector('[data-testid="runs"] tbody tr[data-run-id] td.name a').click();
					return t;
				});
				await page.waitForFunction(allDrawn, null, { timeout: 60_000 });
				inApp.push((await lastDrawn()) - t0);
			}
			return { metrics: 10, steps: 100000, chartsMs: median(charts), overviewMs: median(baseline), inAppMs: median(inApp) };
		});
} finally {
	stop();
}
console.log(JSON.stringify(out, null, 2));
const t = out.table;
const r = out.run;
const f = (n, d = 0) => n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
const md = [
	'| measure | result | baseline (same run) | ratio | target |',
	'|---|---|---|---|---|',
	`| runs table, ${f(t.runs)} runs x ${t.columns} columns: filter, Enter to table redrawn | ${f(t.filterMs, 1)} ms | ${f(t.baselineMs, 1)} ms (attribute-only filter) | ${f(t.filterMs / t.baselineMs, 2)}x | < 50 ms |`,
	`| same, filter + sort by a metric | ${f(t.sortFilterMs, 1)} ms | ${f(t.baselineMs, 1)} ms | ${f(t.sortFilterMs / t.baselineMs, 2)}x | < 50 ms |`,
	`| scrolling the table (3 s, 120 px a frame) | ${f(t.fps, 1)} fps, worst frame ${f(t.worstFrameMs, 1)} ms | 60 fps display | ${f(t.fps / 60, 2)}x | 60 fps |`,
	`| row elements in the DOM while scrolling | ${t.maxRows} | ${f(t.runs)} runs | ${f(t.maxRows / t.runs, 4)}x | ≤ ~100 |`,
	`| opening the experiment cold (new page load) until its first rows show | ${f(t.firstRowsMs, 0)} ms | ${f(t.listMs, 0)} ms (cold load of the experiments list) | ${f(t.firstRowsMs / t.listMs, 2)}x | < 500 ms |`,
	`| same, until all its ${f(t.runs)} runs are in the table | ${f(t.openMs, 0)} ms | ${f(t.listMs, 0)} ms | ${f(t.openMs / t.listMs, 2)}x | |`,
	`| run page, ${r.metrics} metrics x ${f(r.steps)} steps: click in the runs table to all charts drawn | ${f(r.inAppMs, 0)} ms | ${f(r.overviewMs, 0)} ms (cold load to the overview) | ${f(r.inAppMs / r.overviewMs, 2)}x | < 300 ms |`,
	`| same run page, cold page load (worker start, store restored from IndexedDB) to all charts drawn | ${f(r.chartsMs, 0)} ms | ${f(r.overviewMs, 0)} ms (same page to its overview) | ${f(r.chartsMs / r.overviewMs, 2)}x | < 300 ms |`
].join('\n');
const chromiumVersion = execFileSync(executablePath, ['--version']).toString().trim();
const doc = readFileSync(join(root, 'BENCHMARKS.md'), 'utf8');
const block = `<!-- ui:begin -->\n${md}\n\nMeasured ${new Date().toISOString().slice(0, 10)}, ${chromiumVersion}, headless, ${cpus().length} cores, 1400x900 viewport.\n<!-- ui:end -->`;
writeFileSync(
	join(root, 'BENCHMARKS.md'),
	doc.includes('<!-- ui:begin -->')
		? doc.replace(/<!-- ui:begin -->[\s\S]*<!-- ui:end -->/, block)
		: `${doc}\n## Runs table and run page\n\nRun with \`node bench/ui.mjs\`.\n\n${block}\n`
);
writeFileSync(
	join(root, 'bench/ui-results.json'),
	JSON.stringify({ date: new Date().toISOString(), chromium: chromiumVersion, ...out }, null, 2) + '\n'
);
console.log(md);
