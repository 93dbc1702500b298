// Trace benchmarks (issue 17) on the built site in headless Chromium, written to BENCHMARKS.md:
// - T: one trace of 30,001 spans (FileStore, spans in traces.json). Its trace view opened cold
//   until the first level of the span tree shows and the root's details are decoded, against the
//   cold load of the experiments list; then the span tree scrolled end to end, one step a frame.
// - H: 100,000 traces in an mlflow.db. The Traces tab opened cold until its first rows show; a
//   filter typed and applied until the list answers; the list scrolled one step a frame.
// Frame rates are requestAnimationFrame callbacks per second while scrolling; every time is
// read in the page (performance.now()).
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { coldList, coldTo, executablePath, median, prepare, root, withImported, writeBlock } from './lib.mjs';

const PORT = 4198;
const only = process.argv[2];
execFileSync('npx', ['tsx', 'bench/make-trace-archives.ts'], { cwd: root, stdio: 'inherit' });
const stop = await prepare('S', PORT);

/** Scrolls `selector` from top to bottom in `frames` equal steps, one per frame; returns frames per second and the longest frame. */
const scrollFps = (page, selector, frames = 240) =>
	page.evaluate(
		({ selector, frames }) =>
			new Promise((resolve) => {
				const el = document.querySelector(selector);
				const step = (el.scrollHeight - el.clientHeight) / frames;
				const times = [];
				let i = 0;
				const tick = (t) => {
					times.push(t);
					if (i++ >= frames) {
						const gaps = times.slice(1).map((x, k) => x - times[k]);
						resolve({
							fps: (1000 * gaps.length) / (times[times.length - 1] - times[0]),
							longestFrameMs: Math.max(...gaps),
							rows: el.scrollHeight
						});
						return;
					}
					el.scrollTop = i * step;
					requestAnimationFrame(tick);
				};
				requestAnimationFrame(tick);
			}),
		{ selector, frames }
	);

const previous = existsSync(join(root, 'bench/traces-results.json'))
	? JSON.parse(readFileSync(join(root, 'bench/traces-results.json'), 'utf8'))
	: {};
const out = { big: previous.big, many: previous.many };
try {
	if (only !== 'many')
		out.big = await withImported(PORT, 'T.zip', async (page) => {
			await page.goto('./traces/?exp=1');
			await page.getByTestId('trace-link').first().waitFor();
			const url = `./trace/?id=${await page.getByTestId('trace-row').first().getAttribute('data-trace-id')}`;
			const firstLevel = () =>
				document.querySelector('[data-testid="span-row"]') &&
				document.querySelector('[data-testid="span-details"] h2') &&
				!document.querySelector('[data-testid="span-details"]').textContent.includes('Reading the span')
					? performance.now()
					: 0;
			const open = [];
			const list = [];
			let shownRows = 0;
			let spans = 0;
			for (let i = 0; i < 3; i++) {
				open.push(await coldTo(page, url, firstLevel));
				shownRows = await page.getByTestId('span-row').count();
				spans = Number((await page.locator('p.muted', { hasText: ' spans' }).first().innerText()).replace(/\D/g, ''));
				list.push(await coldList(page));
			}
			await coldTo(page, url, firstLevel);
			// Open every step (200 of them): the tree then lists all 30,001 spans.
			await page.evaluate(() => {
				for (const b of document.querySelectorAll('[data-testid="span-toggle"][aria-expanded="false"]')) b.click();
			});
			await page.waitForTimeout(500);
			const scroll = await scrollFps(page, '[data-testid="span-tree"]');
			return { spans, openMs: median(open), listMs: median(list), firstLevelRows: shownRows, scroll };
		});
	if (only !== 'big')
		out.many = await withImported(PORT, 'H.db', async (page) => {
			const url = './traces/?exp=1';
			const rowsShown = () => (document.querySelector('[data-testid="trace-row"] td.preview') ? performance.now() : 0);
			const open = [];
			const list = [];
			for (let i = 0; i < 3; i++) {
				open.push(await coldTo(page, url, rowsShown));
				list.push(await coldList(page));
			}
			await coldTo(page, url, rowsShown);
			const total = await page.getByTestId('trace-count').innerText();
			const filters = ["tags.topic = 'billing'", "feedback.correctness = 'no'", "trace.status = 'ERROR' AND execution_time_ms > 3000"];
			const filter = [];
			const counts = {};
			for (const f of filters) {
				await page.getByTestId('trace-filter').fill(f);
				const ms = await page.evaluate(
					() =>
						new Promise((resolve) => {
							const count = document.querySelector('[data-testid="trace-count"]');
							const before = count.textContent;
							const t0 = performance.now();
							const check = () => {
								const row = document.querySelector('[data-testid="trace-row"] td.preview');
								if (count.textContent !== before && row) resolve(performance.now() - t0);
								else requestAnimationFrame(check);
							};
							document
								.querySelector('[data-testid="trace-filter"]')
								.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
							requestAnimationFrame(check);
						})
				);
				filter.push(ms);
				counts[f] = await page.getByTestId('trace-count').innerText();
				await page.getByTestId('trace-filter').fill('');
				await page.getByTestId('trace-filter').press('Enter');
				await page.waitForFunction((t) => document.querySelector('[data-testid="trace-count"]').textContent === t, total);
			}
			const scroll = await scrollFps(page, '[data-testid="trace-list"]');
			return { traces: total, openMs: median(open), listMs: median(list), filterMs: filter, filterCounts: counts, scroll };
		});
} finally {
	stop();
}
writeFileSync(join(root, 'bench/traces-results.json'), JSON.stringify(out, null, 2) + '\n');

const chromiumVersion = execFileSync(executablePath, ['--version']).toString().trim();
const ms = (n) => `${Math.round(n).toLocaleString('en-US')} ms`;
const x = (a, b) => `${(a / b).toFixed(2)}x`;
const rows = ['| shape | what a user does | time | baseline (same run) | ratio | target |', '|---|---|---|---|---|---|'];
const { big: b, many: m } = out;
if (b)
	rows.push(
		`| one trace of ${b.spans.toLocaleString('en-US')} spans | open the trace cold: first level of the tree and the root's details | ${ms(b.openMs)} | ${ms(b.listMs)} (cold load of the experiments list) | ${x(b.openMs, b.listMs)} | < 500 ms |`,
		`| same | rows in the document on opening / scroll all 30,001 spans, a step a frame | ${b.firstLevelRows} / ${Math.round(b.scroll.fps)} fps, longest frame ${ms(b.scroll.longestFrameMs)} | | | 60 fps |`
	);
if (m)
	rows.push(
		`| ${m.traces} in an mlflow.db | open the Traces tab cold, to its first rows | ${ms(m.openMs)} | ${ms(m.listMs)} (cold load of the experiments list) | ${x(m.openMs, m.listMs)} | |`,
		...Object.entries(m.filterCounts).map(
			([f, count], i) => `| same | filter \`${f}\` (${count}), Enter to the list answering | ${ms(m.filterMs[i])} | | | < 100 ms |`
		),
		`| same | scroll the list top to bottom, a step a frame | ${Math.round(m.scroll.fps)} fps, longest frame ${ms(m.scroll.longestFrameMs)} | | | 60 fps |`
	);
const block = writeBlock(
	'traces',
	'Traces',
	[
		`Measured ${new Date().toISOString().slice(0, 10)} on this machine (${cpus().length} cores, ${chromiumVersion}, headless), \`node bench/traces.mjs\`; medians of 3 cold loads.`,
		'',
		...rows
	].join('\n')
);
console.log(block);
