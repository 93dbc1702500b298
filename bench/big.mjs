// Big stores (issue 16): imports of 50M and 100M metric points (B50, B100) and of one 20M-point
// history (X), each in a fresh persistent profile of headless Chromium, measuring the import, the
// peak memory of the browser's processes, the saved size, and an edit (a tag added on a run page:
// shown, then saved) against the same edit on the small store S in the same run.
// `node bench/big.mjs [B50,B100,X]`; BENCH_NO_BUILD=1 reuses build/.
import { chromium } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { executablePath, median, prepare, root, writeBlock } from './lib.mjs';

const PORT = 4181;
const which = (process.argv[2] ?? 'B50,B100,X').split(',');
const stop = await prepare(['S', ...which].join(','), PORT);

/** Resident memory of every process started with this profile (the browser, its renderers, GPU). */
function rssOf(profile) {
	let total = 0;
	for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
		try {
			if (!readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(profile)) continue;
			const m = readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmRSS:\s+(\d+) kB/);
			if (m) total += Number(m[1]) * 1024;
		} catch {
			// The process ended between the listing and the read.
		}
	}
	return total;
}

/** Adds a tag on the open run page: ms until it is shown, and until the header says it is saved. */
async function addTag(page, key, value) {
	const tags = page.getByTestId('tags');
	await tags.getByLabel('New tag key').fill(key);
	await tags.getByLabel('New tag value').fill(value);
	return page.evaluate(
		(value) =>
			new Promise((resolve) => {
				const root = document.querySelector('[data-testid="tags"]');
				const button = [...root.querySelectorAll('button')].find((b) => b.textContent.trim() === 'Add');
				const state = () => document.querySelector('[data-testid="save-state"]')?.textContent?.trim();
				let shown = 0;
				let saving = false;
				const t0 = performance.now();
				const check = () => {
					const now = performance.now();
					if (!shown && root.textContent.includes(value)) shown = now;
					if (state() === 'Saving…') saving = true;
					if (shown && saving && state() === 'All changes saved') {
						observer.disconnect();
						resolve({ shownMs: shown - t0, savedMs: now - t0 });
					}
				};
				const observer = new MutationObserver(check);
				observer.observe(document.body, { subtree: true, childList: true, characterData: true });
				button.click();
				check();
			}),
		value
	);
}

async function measure(archive) {
	const profile = mkdtempSync(join(tmpdir(), 'trackside-big-'));
	const context = await chromium.launchPersistentContext(profile, {
		executablePath,
		baseURL: `http://localhost:${PORT}`,
		viewport: { width: 1400, height: 900 }
	});
	let peak = 0;
	const sampler = setInterval(() => (peak = Math.max(peak, rssOf(profile))), 100);
	try {
		const page = await context.newPage();
		page.on('pageerror', (e) => console.error('page error:', e.message));
		await page.goto('./');
		await page.getByTestId('file-input').waitFor({ state: 'attached' });
		await page.waitForTimeout(1000);
		const before = rssOf(profile);
		peak = before;
		const t0 = Date.now();
		await page.getByTestId('file-input').setInputFiles(join(root, 'bench/out', `${archive}.zip`));
		const outcome = await Promise.race([
			page
				.getByTestId('import-report')
				.first()
				.waitFor({ timeout: 1_800_000 })
				.then(() => 'imported'),
			page
				.getByTestId('import-error')
				.first()
				.waitFor({ timeout: 1_800_000 })
				.then(() => 'refused')
		]);
		const importMs = Date.now() - t0;
		await page.waitForTimeout(500);
		const result = {
			archive,
			outcome,
			importMs,
			zipBytes: statSync(join(root, 'bench/out', `${archive}.zip`)).size,
			beforeRss: before,
			peakRss: peak
		};
		result.points = Number(
			(await page.getByTestId('import-report').first().innerText()).match(/([\d,]+) metric points/)?.[1].replace(/,/g, '') ?? 0
		);
		if (outcome === 'refused') {
			result.message = await page.getByTestId('import-error').first().innerText();
			return result;
		}
		result.storedBytes = await page.evaluate(async () => (await navigator.storage.estimate()).usage);
		// A run page, then three tags added, each until shown and until saved.
		await page.goto('./experiment/?id=1');
		await page.locator('[data-testid="runs"] tbody tr[data-run-id] a').first().click();
		await page.getByTestId('tags').waitFor();
		if (archive === 'X') {
			const t = Date.now();
			await page.waitForFunction(
				() => Number(document.querySelector('[data-testid="metric-chart"]')?.getAttribute('data-drawn')) > 0,
				null,
				{
					timeout: 600_000
				}
			);
			result.chartMs = Date.now() - t;
			result.chartPoints = Number(await page.getByTestId('metric-chart').first().getAttribute('data-points'));
		}
		const edits = [];
		for (let i = 0; i < 3; i++) edits.push(await addTag(page, `bench_${i}`, `value_${i}_${archive}`));
		await page.waitForTimeout(1000);
		result.afterRss = rssOf(profile);
		result.shownMs = median(edits.map((e) => e.shownMs));
		result.savedMs = median(edits.map((e) => e.savedMs));
		return result;
	} finally {
		clearInterval(sampler);
		await context.close();
		rmSync(profile, { recursive: true, force: true });
	}
}

const out = {};
try {
	for (const archive of ['S', ...which]) {
		out[archive] = await measure(archive);
		console.log(JSON.stringify(out[archive]));
	}
} finally {
	stop();
}
writeFileSync(join(root, 'bench/big-results.json'), JSON.stringify(out, null, 2) + '\n');

const chromiumVersion = execFileSync(executablePath, ['--version']).toString().trim();
const mb = (n) => `${Math.round(n / 2 ** 20).toLocaleString('en-US')} MB`;
const s = (n) => `${(n / 1000).toFixed(1)} s`;
const ms = (n) => `${Math.round(n)} ms`;
const rows = [
	'| store | metric points | zip | import | peak memory added (all browser processes) | per million points | held after (per million) | saved size | edit shown | edit saved | saved vs S |',
	'|---|---|---|---|---|---|---|---|---|---|---|'
];
const base = out.S;
for (const [name, r] of Object.entries(out)) {
	if (r.outcome === 'refused') {
		rows.push(
			`| ${name} | | ${mb(r.zipBytes)} | refused after ${s(r.importMs)}: "${r.message.replace(/\n/g, ' ')}" | ${mb(r.peakRss - r.beforeRss)} | | | | | | |`
		);
		continue;
	}
	const added = r.peakRss - r.beforeRss;
	rows.push(
		`| ${name} | ${r.points.toLocaleString('en-US')} | ${mb(r.zipBytes)} | ${s(r.importMs)} | ${mb(added)} | ${mb(added / (r.points / 1e6))} | ${mb((r.afterRss - r.beforeRss) / (r.points / 1e6))} | ${mb(r.storedBytes)} | ${ms(r.shownMs)} | ${ms(r.savedMs)} | ${(r.savedMs / base.savedMs).toFixed(2)}x |`
	);
}
if (out.X?.chartMs !== undefined)
	rows.push(
		'',
		`X: the run page drew the 20,000,000-point history (${out.X.chartPoints.toLocaleString('en-US')} points in the chart's data) ${s(out.X.chartMs)} after the click.`
	);
console.log(
	writeBlock(
		'big',
		'Big stores',
		`Measured ${new Date().toISOString().slice(0, 10)} on ${execFileSync('nproc').toString().trim()} cores, ${chromiumVersion}, headless, persistent profile.\n\n${rows.join('\n')}`
	)
);
