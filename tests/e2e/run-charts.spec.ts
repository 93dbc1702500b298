import { test, expect } from '@playwright/test';
import { strToU8, zipSync } from 'fflate';
import { FIXTURES, SHOTS, dragZoom, dropFile, importFiles, lineAtEdges } from './helpers';

const RUN = 'abcdef0123456789abcdef0123456789';

/** An mlruns zip with one run whose loss has 200,000 points and a single spike. */
function bigRun(): Buffer {
	const lines: string[] = [];
	for (let i = 0; i < 200_000; i++) {
		const v = i === 123_457 ? 99 : 1 + Math.sin(i / 5000) * 0.1;
		lines.push(`${1_700_000_000_000 + i * 100} ${v} ${i}`);
	}
	return Buffer.from(
		zipSync({
			'mlruns/1/meta.yaml': strToU8('artifact_location: x\nexperiment_id: "1"\nlifecycle_stage: active\nname: long\n'),
			[`mlruns/1/${RUN}/meta.yaml`]: strToU8(
				`run_id: ${RUN}\nrun_uuid: ${RUN}\nrun_name: long-run\nexperiment_id: "1"\nstatus: 3\nstart_time: 1700000000000\nend_time: 1700020000000\nlifecycle_stage: active\nuser_id: me\n`
			),
			[`mlruns/1/${RUN}/metrics/loss`]: strToU8(lines.join('\n') + '\n')
		})
	);
}

test('a 200,000-point metric is drawn whole: the spike shows, zoom re-decimates, axes and smoothing switch', async ({ page }) => {
	await page.goto('./');
	await dropFile(page, 'long.zip', bigRun());
	await expect(page.getByTestId('import-report').first()).toContainText('200,000 metric points');
	await page.goto(`./run/?id=${RUN}`);
	const chart = page.getByTestId('metric-chart');
	await expect(chart).toHaveAttribute('data-points', '200000');
	await expect(chart).toHaveAttribute('data-drawn', /[1-9]/);
	const drawn = Number(await chart.getAttribute('data-drawn'));
	expect(drawn).toBeGreaterThan(100);
	expect(drawn).toBeLessThan(4 * 1400 + 2);
	await expect(chart).toHaveAttribute('data-drawn-max', '99');
	await page.screenshot({ path: SHOTS + 'run-chart-200k.png', fullPage: true });

	// Zoom on a stretch without the spike: redrawn from the full data at the new range.
	const box = (await chart.locator('.u-over').boundingBox())!;
	await page.mouse.move(box.x + box.width * 0.05, box.y + box.height / 2);
	await page.mouse.down();
	await page.mouse.move(box.x + box.width * 0.3, box.y + box.height / 2, { steps: 5 });
	await page.mouse.up();
	await expect(chart).not.toHaveAttribute('data-drawn-max', '99');
	await chart.locator('.u-over').dblclick();
	await expect(chart).toHaveAttribute('data-drawn-max', '99');

	await page.getByTestId('x-axis').selectOption('relative');
	await expect(page).toHaveURL(/x=relative/);
	await expect(chart.locator('.u-legend')).toContainText('relative time (s)');
	await page.getByTestId('smoothing').fill('0.9');
	await page.getByTestId('smoothing').dispatchEvent('change');
	await expect(page).toHaveURL(/smooth=0.9/);
	await expect(chart.locator('.u-legend')).toContainText('loss (raw)');
	await page.getByTestId('log-scale').check();
	await expect(page).toHaveURL(/log=1/);
	await page.screenshot({ path: SHOTS + 'run-chart-smoothed.png', fullPage: true });
});

test('the run overview lists logged models; the metric filter narrows charts and the table', async ({ page }) => {
	await page.goto('./');
	await importFiles(page, [FIXTURES + 'AbhaySingh71__Advance-MLflow.zip']);
	await page.goto('./run/?id=548f11038477446eba9ec1cbe8164897');
	await expect(page.getByTestId('logged-models')).toContainText('m-8295c1ec84394a5cb43029483caa8a4e');

	await page.goto('./');
	await page.getByTestId('open-demo').click();
	await expect(page.getByTestId('import-report').first()).toBeVisible();
	await page.getByRole('link', { name: 'cifar10-resnet' }).click();
	await page.getByRole('link', { name: 'resnet18-lr0.1-bs64' }).click();
	await expect(page.getByTestId('metric-chart')).toHaveCount(4);
	await page.getByTestId('metric-filter').fill('val/');
	await expect(page.getByTestId('metric-chart')).toHaveCount(2);
	await expect(page.getByTestId('metrics').locator('tbody tr')).toHaveCount(2);
});

test('a zoomed chart draws its line across the whole window, on every x axis, after reset and reload', async ({ page }) => {
	await page.goto('./');
	await page.getByTestId('open-demo').click();
	await expect(page.getByTestId('import-report').first()).toBeVisible();
	await page.getByRole('link', { name: 'cifar10-resnet' }).click();
	await page.getByRole('link', { name: 'resnet18-lr0.1-bs64' }).click();
	const chart = page.getByTestId('metric-chart').filter({ hasText: 'train/loss' });
	await expect(chart).toHaveAttribute('data-drawn', /[1-9]/);
	const edges = async () => expect.poll(() => lineAtEdges(chart)).toMatchObject({ left: true, right: true });
	await edges();
	for (const x of ['step', 'wall', 'relative'] as const) {
		await page.getByTestId('x-axis').selectOption(x);
		await expect(chart.locator('.u-legend')).toContainText(x === 'step' ? 'step' : x === 'wall' ? 'time' : 'relative time');
		const range = await chart.locator('[data-testid="overlay-chart"]').getAttribute('data-x-range');
		// The drag: from about a quarter to about two thirds of the x range.
		await dragZoom(page, chart, 0.25, 0.65);
		await expect(chart.locator('[data-testid="overlay-chart"]')).not.toHaveAttribute('data-x-range', range!);
		await edges();
		// Hover in the zoomed chart: the legend reads a logged x and value, never NaN.
		const box = (await chart.locator('.u-over').boundingBox())!;
		await page.mouse.move(box.x + box.width * 0.05, box.y + box.height / 2);
		await expect(chart.locator('.u-legend')).not.toContainText('NaN');
		await expect(chart.locator('.u-legend')).toContainText(/\d/);
		// Zoom again inside the zoom, then double-click back to the whole range.
		await dragZoom(page, chart, 0.3, 0.5);
		await edges();
		await chart.locator('.u-over').dblclick();
		await expect(chart.locator('[data-testid="overlay-chart"]')).toHaveAttribute('data-x-range', range!);
		await edges();
	}
	await page.getByTestId('log-scale').check();
	await dragZoom(page, chart, 0.2, 0.6);
	await edges();
	await page.screenshot({ path: SHOTS + 'run-chart-zoomed.png', fullPage: true });
	await page.reload();
	await expect(chart).toHaveAttribute('data-drawn', /[1-9]/);
	await dragZoom(page, chart, 0.1, 0.4);
	await edges();
});

test('a real run with 1,110 points per metric zoomed on wall time keeps its line and a readable legend', async ({ page }) => {
	const lines: string[] = [];
	for (let i = 0; i < 1110; i++) lines.push(`${1_700_000_000_000 + i * 61_000} ${Math.exp(-i / 300) + (i % 7) / 100} ${i}`);
	const zip = Buffer.from(
		zipSync({
			'mlruns/1/meta.yaml': strToU8('artifact_location: x\nexperiment_id: "1"\nlifecycle_stage: active\nname: e\n'),
			[`mlruns/1/${RUN}/meta.yaml`]: strToU8(
				`run_id: ${RUN}\nrun_uuid: ${RUN}\nrun_name: r\nexperiment_id: "1"\nstatus: 3\nstart_time: 1700000000000\nlifecycle_stage: active\n`
			),
			[`mlruns/1/${RUN}/metrics/loss`]: strToU8(lines.join('\n') + '\n')
		})
	);
	await page.goto('./');
	await dropFile(page, 'r.zip', zip);
	await expect(page.getByTestId('import-report').first()).toContainText('1,110 metric points');
	await page.goto(`./run/?id=${RUN}&x=wall`);
	const chart = page.getByTestId('metric-chart');
	await expect(chart).toHaveAttribute('data-points', '1110');
	await dragZoom(page, chart, 0.3, 0.4);
	await expect.poll(() => lineAtEdges(chart)).toMatchObject({ left: true, right: true });
	const box = (await chart.locator('.u-over').boundingBox())!;
	await page.mouse.move(box.x + box.width * 0.5, box.y + box.height / 2);
	await expect(chart.locator('.u-legend')).not.toContainText('NaN');
	await expect(chart.locator('.u-legend')).toContainText('2023');
	const drawn = Number(await chart.getAttribute('data-drawn'));
	expect(drawn).toBeGreaterThan(50);
});

test("a real fixture's 300-point history zoomed on each x axis draws to both edges, the legend never NaN", async ({ page }) => {
	await page.goto('./');
	await importFiles(page, [FIXTURES + '1234525344__stock-quant.zip']);
	await page.goto('./run/?id=d3003d7e5a73449ca34d1ba7139c2160');
	const chart = page.getByTestId('metric-chart').filter({ hasText: 'l2.train' });
	await expect(chart).toHaveAttribute('data-points', '300');
	for (const x of ['step', 'wall', 'relative'] as const) {
		await page.getByTestId('x-axis').selectOption(x);
		const overlay = chart.locator('[data-testid="overlay-chart"]');
		await expect(chart.locator('.u-legend')).toContainText(x === 'step' ? 'step' : x === 'wall' ? 'time' : 'relative time');
		const range = await overlay.getAttribute('data-x-range');
		await dragZoom(page, chart, 0.35, 0.55);
		await expect(overlay).not.toHaveAttribute('data-x-range', range!);
		await expect.poll(() => lineAtEdges(chart)).toMatchObject({ left: true, right: true });
		const box = (await chart.locator('.u-over').boundingBox())!;
		await page.mouse.move(box.x + box.width * 0.02, box.y + box.height / 2);
		await expect(chart.locator('.u-legend')).not.toContainText('NaN');
		await chart.locator('.u-over').dblclick();
		await expect(overlay).toHaveAttribute('data-x-range', range!);
	}
	// Smoothing on, then a zoom: both lines reach the edges.
	await page.getByTestId('smoothing').fill('0.8');
	await page.getByTestId('smoothing').dispatchEvent('change');
	await dragZoom(page, chart, 0.4, 0.6);
	await expect.poll(() => lineAtEdges(chart)).toMatchObject({ left: true, right: true });
	await page.screenshot({ path: SHOTS + 'run-chart-real-zoomed.png', fullPage: true });
});

test('a run with 2,000 metric keys: sections by prefix, the first chart drawn, only the charts in view mounted', async ({ page }) => {
	const prefixes = ['train', 'eval', 'env', 'policy', 'system'];
	const files: Record<string, Uint8Array> = {
		'mlruns/1/meta.yaml': strToU8('artifact_location: x\nexperiment_id: "1"\nlifecycle_stage: active\nname: rl\n'),
		[`mlruns/1/${RUN}/meta.yaml`]: strToU8(
			`run_id: ${RUN}\nrun_uuid: ${RUN}\nrun_name: agent\nexperiment_id: "1"\nstatus: 3\nstart_time: 1700000000000\nlifecycle_stage: active\n`
		)
	};
	for (let k = 0; k < 2000; k++) {
		const lines = Array.from({ length: 30 }, (_, s) => `${1_700_000_000_000 + s * 1000} ${Math.sin(k + s / 5)} ${s}`);
		files[`mlruns/1/${RUN}/metrics/${prefixes[k % 5]}/m${k}`] = strToU8(lines.join('\n') + '\n');
	}
	await page.goto('./');
	await dropFile(page, 'rl.zip', Buffer.from(zipSync(files)));
	await expect(page.getByTestId('import-report').first()).toContainText('60,000 metric points', { timeout: 60_000 });
	const t0 = Date.now();
	await page.goto(`./run/?id=${RUN}`);
	await expect(page.getByTestId('metric-chart').first()).toHaveAttribute('data-drawn', /[1-9]/);
	const firstChartMs = Date.now() - t0;
	const sectionsShown = page.getByTestId('chart-section').locator('summary');
	await expect(sectionsShown).toHaveText(['env (400)', 'eval (400)', 'policy (400)', 'train (400)', 'System metrics (400)']);
	// Each section lays out its first 24 slots, and mounts only the charts near the view.
	await expect(page.getByTestId('chart-slot')).toHaveCount(5 * 24);
	expect(await page.getByTestId('metric-chart').count()).toBeLessThan(60);
	// Scrolling to the end of a section lays out more, until every chart of it is reachable; the
	// last one mounts and draws when it comes into view.
	const last = page.getByTestId('chart-section').last();
	await expect(async () => {
		if ((await last.getByTestId('chart-slot').count()) < 400) await last.getByTestId('more-slots').scrollIntoViewIfNeeded({ timeout: 500 });
		expect(await last.getByTestId('chart-slot').count()).toBe(400);
	}).toPass({ timeout: 30_000 });
	await expect(last.getByTestId('more-slots')).toHaveCount(0);
	await last.getByTestId('chart-slot').last().scrollIntoViewIfNeeded();
	await expect(last.getByTestId('chart-slot').last().getByTestId('overlay-chart')).toHaveAttribute('data-title', 'system/m999');
	await expect(last.getByTestId('chart-slot').last().getByTestId('metric-chart')).toHaveAttribute('data-drawn', /[1-9]/);
	expect(firstChartMs).toBeLessThan(10_000);
});
