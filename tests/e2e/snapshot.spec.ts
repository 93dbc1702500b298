import { test, expect, chromium } from '@playwright/test';
import { mkdtempSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { strToU8, unzipSync, zipSync } from 'fflate';
import { main } from '../../src/cli/main';
import { FIXTURES, SHOTS, importFiles } from './helpers';
import { serveStatic, type StaticServer } from './static-server';

const FIXTURE = 'Dan-Irl__mlflow-testing.zip';
let site: string;
let server: StaticServer;

test.beforeAll(async () => {
	site = mkdtempSync(join(tmpdir(), 'trackside-site-'));
	const quiet = () => {};
	expect(await main(['publish', FIXTURES + FIXTURE, '--out', site], quiet, quiet)).toBe(0);
	// A tampered copy: one byte of the store image changed, the zip otherwise valid.
	const entries = unzipSync(readFileSync(join(site, 'snapshot.trackside')));
	const meta = entries['meta.sqlite'].slice();
	meta[200] ^= 0xff;
	writeFileSync(join(site, 'tampered.trackside'), zipSync({ ...entries, 'meta.sqlite': meta }));
	writeFileSync(
		join(site, 'newer.trackside'),
		zipSync({
			...entries,
			'manifest.json': strToU8(
				JSON.stringify({ ...JSON.parse(new TextDecoder().decode(entries['manifest.json'])), formatVersion: 2, trackside: '2.0.0' })
			)
		})
	);
	// With the headers publish writes (_headers): the app and its workers run under them.
	server = await serveStatic(site, '/team/results/', { ranges: true, headersFile: true });
});
test.afterAll(() => server.close());

test('a published site opens straight into its snapshot from a sub-path, read-only, fetching only what pages need', async ({ page }) => {
	const errors: string[] = [];
	page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
	const first = await page.goto(server.url);
	expect(first!.headers()['content-security-policy']).toContain("frame-ancestors 'none'");
	await expect(page.getByTestId('read-only-banner')).toContainText('Read-only snapshot');
	await expect(page.getByTestId('experiments')).toContainText('/Shared/YOLOv8');
	// No write control anywhere on the pages visited.
	const writeControls =
		'[data-testid="new-experiment"], [data-testid="drop-zone"], [data-testid="clear-all"], [data-testid="rename-experiment"], [data-testid="new-run"], [data-testid="delete-experiment"], [data-testid="rename-run"], [data-testid="delete-run"], [data-testid="run-status"], [data-testid="log-metric"], [data-testid="edit-note"], [data-testid="export-menu"], [data-testid="save-state"]';
	await expect(page.locator(writeControls)).toHaveCount(0);
	await page.screenshot({ path: SHOTS + 'snapshot-home.png', fullPage: true });

	await page.getByRole('link', { name: '/Shared/YOLOv8' }).click();
	await expect(page.getByTestId('runs').locator('tbody tr[data-run-id]')).toHaveCount(4);
	await expect(page.locator(writeControls)).toHaveCount(0);
	await page.getByTestId('runs').getByRole('link', { name: 'sgdtest3' }).click();
	await expect(page.getByTestId('metric-chart').filter({ hasText: 'train/box_loss' })).toHaveAttribute('data-points', '5');
	await expect(page.locator(writeControls)).toHaveCount(0);
	await expect(page.getByTestId('params').locator('button')).toHaveCount(0);
	const size = statSync(join(site, 'snapshot.trackside')).size;
	expect(server.sent('snapshot.trackside')).toBeLessThan(size * 0.2);
	await page.screenshot({ path: SHOTS + 'snapshot-run.png', fullPage: true });

	// Deep links work for whoever receives them: a run with its artifact, a comparison.
	await page.goto(`${server.url}run/?id=890944ee972d4dcb8524043a02d86eff&artifact=results.csv`);
	await expect(page.getByTestId('artifact-preview')).toContainText('train/box_loss');
	await page.goto(
		`${server.url}compare/?run=2131d384168c44b4ad18ca0899fcd51d&run=890944ee972d4dcb8524043a02d86eff&tab=charts&mfilter=box_loss`
	);
	await expect(page.locator('[data-testid="overlay-chart"][data-title="train/box_loss"]')).toHaveAttribute('data-runs', '2');
	await expect(page.getByTestId('read-only-banner')).toBeVisible();
	expect(errors.filter((e) => /Content Security Policy/.test(e))).toEqual([]);
});

test('?snapshot= opens a snapshot over the local workspace without touching it; closing brings it back', async ({ page }) => {
	await page.goto('./');
	await importFiles(page, [FIXTURES + 'gabrielneil__mlflow-project.zip']);
	await page.goto(`./?snapshot=${encodeURIComponent(server.url + 'snapshot.trackside')}`);
	await expect(page.getByTestId('read-only-banner')).toBeVisible();
	await expect(page.getByTestId('experiments')).toContainText('/Shared/YOLOv8');
	await expect(page.getByTestId('experiments')).not.toContainText('Gabriel_Neil_Project');
	// Navigation keeps the snapshot in the URL, so any link shared from here opens it.
	await page.getByRole('link', { name: '/Shared/YOLOv8' }).click();
	await expect(page).toHaveURL(/snapshot=/);
	await page.getByTestId('close-snapshot').click();
	await expect(page.getByTestId('read-only-banner')).toHaveCount(0);
	await page.goto('./');
	await expect(page.getByTestId('experiments')).toContainText('Gabriel_Neil_Project');
});

test('an altered snapshot, or one from a newer Trackside, is refused with a clear message', async ({ page }) => {
	await page.goto(`./?snapshot=${encodeURIComponent(server.url + 'tampered.trackside')}`);
	await expect(page.getByTestId('snapshot-error')).toContainText('corrupt or was altered');
	await page.goto(`./?snapshot=${encodeURIComponent(server.url + 'newer.trackside')}`);
	await expect(page.getByTestId('snapshot-error')).toContainText('made by a newer Trackside (2.0.0');
	await page.screenshot({ path: SHOTS + 'snapshot-error.png' });
});

test('make a snapshot in the app; a fresh profile opens the file read-only and copies it into its workspace', async ({ page, browser }) => {
	await page.goto('./');
	await page.getByTestId('open-demo').click();
	await expect(page.getByTestId('import-report').first()).toBeVisible();
	await page.getByRole('link', { name: 'cifar10-resnet' }).click();
	await page.getByTestId('export-menu').locator('summary').click();
	await page.getByTestId('snapshot-artifacts').selectOption('all');
	const download = page.waitForEvent('download');
	await page.getByTestId('export-snapshot').click();
	const file = await download;
	expect(file.suggestedFilename()).toBe('cifar10-resnet.trackside');
	const bytes = readFileSync((await file.path())!);

	const context = await browser.newContext();
	const other = await context.newPage();
	await other.goto('./');
	await other
		.getByTestId('file-input')
		.setInputFiles({ name: 'cifar10-resnet.trackside', mimeType: 'application/octet-stream', buffer: bytes });
	await expect(other.getByTestId('read-only-banner')).toContainText('1 experiment, 7 runs');
	await other.getByRole('link', { name: 'cifar10-resnet' }).click();
	await other.getByTestId('runs').getByRole('link', { name: 'resnet18-lr0.1-bs64' }).click();
	await expect(other.getByTestId('metric-chart').filter({ hasText: 'val/accuracy' })).toHaveAttribute('data-points', '60');
	await other.getByTestId('copy-snapshot').click();
	await expect(other.getByTestId('copied-note')).toContainText('1 experiments, 7 runs');
	await expect(other.getByTestId('read-only-banner')).toHaveCount(0);
	await other.goto('./');
	await expect(other.getByTestId('experiments')).toContainText('cifar10-resnet');
	await expect(other.getByTestId('new-experiment')).toBeVisible();
	await context.close();
});

test('after a first visit the app works offline, and a snapshot kept offline opens with no network', async ({ browser }) => {
	const context = await browser.newContext();
	const page = await context.newPage();
	await page.goto(server.url);
	await expect(page.getByTestId('read-only-banner')).toBeVisible();
	// The service worker registers 10 s after a first visit and has cached the app once it controls the page.
	await page.evaluate(async () => {
		await navigator.serviceWorker.ready;
		if (!navigator.serviceWorker.controller)
			await new Promise((r) => navigator.serviceWorker.addEventListener('controllerchange', r, { once: true }));
	});
	await page.getByTestId('keep-offline').click();
	await expect(page.getByTestId('kept-offline')).toBeVisible();
	await context.setOffline(true);
	await page.goto(`${server.url}run/?id=2131d384168c44b4ad18ca0899fcd51d`);
	await expect(page.getByTestId('read-only-banner')).toBeVisible();
	await expect(page.getByTestId('metric-chart').filter({ hasText: 'train/box_loss' })).toHaveAttribute('data-points', '5');
	await page.screenshot({ path: SHOTS + 'snapshot-offline.png' });
	await context.close();
});

test('a host without byte ranges (python -m http.server) still works: the snapshot is downloaded whole', async ({ page }) => {
	const plain = await serveStatic(site, '/plain/', { ranges: false });
	try {
		await page.goto(plain.url);
		await expect(page.getByTestId('read-only-banner')).toBeVisible();
		await expect(page.getByTestId('experiments')).toContainText('/Shared/YOLOv8');
		expect(plain.sent('snapshot.trackside')).toBe(statSync(join(site, 'snapshot.trackside')).size);
	} finally {
		await plain.close();
	}
});

test('a site published to python3 -m http.server: every comparison chart loads, after reloads, a second visit and a relaunch', async () => {
	test.setTimeout(180_000);
	const dir = mkdtempSync(join(tmpdir(), 'trackside-plain-'));
	const profile = mkdtempSync(join(tmpdir(), 'trackside-profile-'));
	const quiet = () => {};
	expect(await main(['publish', FIXTURES + 'silver6wings__MLFlowSample.zip', '--out', dir], quiet, quiet)).toBe(0);
	// Published a week ago: python's Last-Modified makes the browser keep the file fresh for hours
	// (heuristic freshness), so its cache answers reads the host would answer whole.
	const weekAgo = new Date(Date.now() - 7 * 86_400_000);
	utimesSync(join(dir, 'snapshot.trackside'), weekAgo, weekAgo);
	const { spawn } = await import('node:child_process');
	const { createServer } = await import('node:net');
	const port = await new Promise<number>((resolve) => {
		const probe = createServer().listen(0, '127.0.0.1', () => {
			const p = (probe.address() as { port: number }).port;
			probe.close(() => resolve(p));
		});
	});
	const python = spawn('python3', ['-m', 'http.server', String(port), '--bind', '127.0.0.1'], { cwd: dir, stdio: 'ignore' });
	// A real profile: its disk cache answers some range requests (206) while others reach the host (200).
	const launch = () =>
		chromium.launchPersistentContext(profile, {
			executablePath: process.env.CHROMIUM_PATH ?? '/usr/lib/chromium/chromium',
			viewport: { width: 1400, height: 900 }
		});
	let context = await launch();
	try {
		const url = `http://127.0.0.1:${port}/`;
		await expect
			.poll(
				() =>
					fetch(url).then(
						(r) => r.status,
						() => 0
					),
				{ timeout: 15_000 }
			)
			.toBe(200);
		let page = await context.newPage();
		const everyChartLoaded = async () => {
			await expect(page.getByRole('heading', { name: 'Comparing 38 runs' })).toBeVisible({ timeout: 30_000 });
			const slots = page.getByTestId('chart-slot');
			await expect.poll(() => slots.count()).toBeGreaterThan(3);
			const n = await slots.count();
			for (let i = 0; i < n; i++) {
				await slots.nth(i).scrollIntoViewIfNeeded();
				// A line chart, or bars for a metric each run logged once.
				await expect(slots.nth(i).locator('[data-testid="overlay-chart"], [data-testid="bar-chart"]')).toBeVisible({ timeout: 15_000 });
			}
			await expect(page.getByTestId('chart-error')).toHaveCount(0);
			await expect(page.getByText(': loading…')).toHaveCount(0);
		};
		await page.goto(url);
		await expect(page.getByTestId('read-only-banner')).toBeVisible();
		// The fixture holds two stores (mlruns/ and src/mlruns/), each with its own Default: 38 runs and 3.
		await page
			.getByTestId('experiments')
			.getByRole('row')
			.filter({ has: page.locator('td.num', { hasText: /^38$/ }) })
			.getByRole('link')
			.click();
		await page.getByTestId('compare-all').click();
		await page.getByTestId('tab-charts').click();
		await everyChartLoaded();
		const compareUrl = page.url();
		for (let i = 0; i < 3; i++) {
			await page.reload();
			await everyChartLoaded();
		}
		await page.goto(url);
		await expect(page.getByTestId('read-only-banner')).toBeVisible();
		await page.goto(compareUrl);
		await everyChartLoaded();
		await context.close();
		context = await launch();
		page = await context.newPage();
		await page.goto(compareUrl);
		await everyChartLoaded();
		await page.getByTestId('tab-table').click();
		await page.getByTestId('tab-charts').click();
		await everyChartLoaded();
	} finally {
		await context.close();
		python.kill();
	}
});
