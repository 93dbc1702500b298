// Scale benchmarks (issue 16) on the built site in headless Chromium, written to BENCHMARKS.md:
// - K: 50 runs x 2,000 metric keys (five prefixes) x 30 steps. The run page from a click in the
//   runs table to its first chart drawn, against the same click to the run's overview; charts
//   mounted and sections; the comparison of all 50 runs, cold, to its first chart, against the
//   cold load of the experiments list.
// - W: 20,000 runs x 5 metrics, 20 params, 10 tags. The experiment opened cold until its rows
//   show, and Compare all to its first chart, against the cold load of the experiments list.
// Every time is read in the page (performance.now() from navigation start, or from the click).
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { coldList, coldTo, executablePath, median, prepare, root, withImported, writeBlock } from './lib.mjs';

const PORT = 4197;
const only = process.argv[2];
const stop = await prepare('K,W', PORT);
const withK = (f) => withImported(PORT, 'K.zip', f);
const withW = (f) => withImported(PORT, 'W.zip', f);

/** The earliest draw of any chart on the page (performance.now() when it drew), or 0. */
const firstDrawn = () => {
	const at = [...document.querySelectorAll('[data-testid="overlay-chart"]')]
		.filter((c) => Number(c.getAttribute('data-drawn')) > 0)
		.map((c) => Number(c.getAttribute('data-drawn-at')));
	return at.length ? Math.min(...at) : 0;
};

const previous = existsSync(join(root, 'bench/scale-results.json'))
	? JSON.parse(readFileSync(join(root, 'bench/scale-results.json'), 'utf8'))
	: {};
const out = { keys: previous.keys, runs: previous.runs };
try {
	if (only !== 'runs')
		out.keys = await withK(async (page) => {
			await page.getByRole('link', { name: 'synthetic' }).first().click();
			const link = '[data-testid="runs"] tbody tr[data-run-id] td.name a';
			await page.locator(link).first().waitFor();
			const chart = [];
			const overview = [];
			let mounted = 0;
			let sections = 0;
			for (let i = 0; i < 3; i++) {
				if (i) {
					await page.goBack();
					await page.locator(link).first().waitFor();
				}
				const t0 = await page.evaluate((sel) => {
					window.__overviewAt = undefined;
					new MutationObserver((_, o) => {
						if (document.querySelector('[data-testid="overview"]')) {
							window.__overviewAt = performance.now();
							o.disconnect();
						}
					}).observe(document.body, { subtree: true, childList: true });
					const t = performance.now();
					document.querySelector(sel).click();
					return t;
				}, link);
				await page.waitForFunction(firstDrawn, null, { timeout: 60_000, polling: 'raf' });
				chart.push((await page.evaluate(firstDrawn)) - t0);
				overview.push((await page.evaluate(() => window.__overviewAt)) - t0);
				await page.waitForTimeout(300);
				mounted = await page.locator('[data-testid="metric-chart"]').count();
				sections = await page.locator('[data-testid="chart-section"]').count();
			}
			const keys = Number((await page.locator('h2', { hasText: 'Metrics (' }).innerText()).match(/\((\d+)\)/)[1]);
			// Compare all 50 runs, cold.
			const compare = [];
			const list = [];
			let compared = '';
			for (let i = 0; i < 3; i++) {
				compare.push(await coldTo(page, './compare/?exp=1&tab=charts', firstDrawn));
				compared = await page.locator('h1').first().innerText();
				list.push(await coldList(page));
			}
			return {
				runs: 50,
				keys,
				firstChartMs: median(chart),
				overviewMs: median(overview),
				mounted,
				sections,
				compareFirstChartMs: median(compare),
				compared,
				listMs: median(list)
			};
		});
	if (only !== 'keys')
		out.runs = await withW(async (page) => {
			await page.getByRole('link', { name: 'synthetic' }).first().click();
			await page.waitForFunction(() => document.querySelector('[data-testid="runs"]')?.getAttribute('data-row-count') === '20000', null, {
				timeout: 120_000
			});
			const experimentUrl = page.url();
			const rowsShown = () => (document.querySelector('[data-testid="runs"] tbody tr[data-run-id]') ? performance.now() : 0);
			const allRows = () =>
				document.querySelector('[data-testid="runs"]')?.getAttribute('data-row-count') === '20000' ? performance.now() : 0;
			const open = [];
			const openAll = [];
			const compare = [];
			const list = [];
			let compared = '';
			for (let i = 0; i < 3; i++) {
				open.push(await coldTo(page, experimentUrl, rowsShown));
				await page.waitForFunction(allRows, null, { timeout: 120_000, polling: 'raf' });
				openAll.push(await page.evaluate(allRows));
				compare.push(await coldTo(page, './compare/?exp=1&tab=charts', firstDrawn));
				compared = await page.locator('h1').first().innerText();
				list.push(await coldList(page));
			}
			return {
				runs: 20000,
				openFirstRowsMs: median(open),
				openAllRowsMs: median(openAll),
				compareFirstChartMs: median(compare),
				compared,
				listMs: median(list)
			};
		});
} finally {
	stop();
}
writeFileSync(join(root, 'bench/scale-results.json'), JSON.stringify(out, null, 2) + '\n');

const chromiumVersion = execFileSync(executablePath, ['--version']).toString().trim();
const ms = (n) => `${Math.round(n).toLocaleString('en-US')} ms`;
const x = (a, b) => `${(a / b).toFixed(2)}x`;
const rows = ['| shape | what a user does | time | baseline (same run) | ratio | target |', '|---|---|---|---|---|---|'];
const { keys: k, runs: w } = out;
if (k) {
	rows.push(
		`| ${k.runs} runs x ${k.keys.toLocaleString('en-US')} keys x 30 steps | run page: click in the runs table to the first chart drawn | ${ms(k.firstChartMs)} | ${ms(k.overviewMs)} (same click to the run's overview) | ${x(k.firstChartMs, k.overviewMs)} | < 300 ms |`,
		`| same | charts mounted / sections, after the first draw | ${k.mounted} of ${k.keys.toLocaleString('en-US')} / ${k.sections} | | | only those in view |`,
		`| same | Compare all (${k.compared}), cold load to the first chart | ${ms(k.compareFirstChartMs)} | ${ms(k.listMs)} (cold load of the experiments list) | ${x(k.compareFirstChartMs, k.listMs)} | < 1 s |`
	);
}
if (w) {
	rows.push(
		`| ${w.runs.toLocaleString('en-US')} runs x 5 metrics, 20 params, 10 tags | open the experiment cold: first rows shown | ${ms(w.openFirstRowsMs)} | ${ms(w.listMs)} (cold load of the experiments list) | ${x(w.openFirstRowsMs, w.listMs)} | < 1 s |`,
		`| same | open the experiment cold: all ${w.runs.toLocaleString('en-US')} rows in the table | ${ms(w.openAllRowsMs)} | ${ms(w.listMs)} | ${x(w.openAllRowsMs, w.listMs)} | |`,
		`| same | Compare all (${w.compared}), cold load to the first chart | ${ms(w.compareFirstChartMs)} | ${ms(w.listMs)} | ${x(w.compareFirstChartMs, w.listMs)} | < 2 s |`
	);
}
writeBlock(
	'scale',
	'Scale: many keys, many runs',
	`Measured ${new Date().toISOString().slice(0, 10)} on ${cpus().length} cores (${cpus()[0].model}), ${chromiumVersion}, headless, 1400x900.\n\n${rows.join('\n')}`
);
console.log(rows.join('\n'));
