import { test, expect, type Page } from '@playwright/test';
import { strToU8, zipSync } from 'fflate';
import { SHOTS, colouredPixels, dragZoom, dropFile, lineAtEdges } from './helpers';

async function openDemoExperiment(page: Page) {
	await page.goto('./');
	await page.getByTestId('open-demo').click();
	await expect(page.getByTestId('import-report').first()).toBeVisible();
	await page.getByRole('link', { name: 'cifar10-resnet' }).click();
	await expect(page.getByTestId('runs').locator('tbody tr[data-run-id]')).toHaveCount(7);
}

test('select runs, compare them: diff table, overlaid charts, parallel coordinates brushing, plots; state in the URL', async ({ page }) => {
	await openDemoExperiment(page);
	// Select every sweep child run from the table.
	await page.getByTestId('run-search').fill("params.optimizer = 'sgd'");
	await page.getByTestId('run-search').press('Enter');
	const rows = page.getByTestId('runs').locator('tbody tr[data-run-id]');
	await expect(rows).toHaveCount(6);
	for (let i = 0; i < 6; i++)
		await rows
			.nth(i)
			.getByRole('checkbox', { name: /^Select/ })
			.check();
	await expect(page.getByTestId('selected-count')).toHaveText('6 selected');
	const tableSwatches = await rows.locator('.swatch').evaluateAll((els) => els.map((e) => getComputedStyle(e).backgroundColor));
	await page.getByTestId('compare-selected').click();

	await expect(page.getByRole('heading', { name: 'Comparing 6 runs' })).toBeVisible();
	// Six runs, six colours told apart, the same in the legend as in the runs table's swatches.
	const swatches = await page
		.getByTestId('compare-legend')
		.locator('li .swatch')
		.evaluateAll((els) => els.map((e) => getComputedStyle(e).backgroundColor));
	expect(swatches).toHaveLength(6);
	expect(new Set(swatches).size).toBe(6);
	expect([...swatches].sort()).toEqual([...tableSwatches].sort());
	// Runs are placed by their experiment's name, its id on hover.
	await expect(page.getByTestId('compare-legend').locator('li').first()).toContainText('cifar10-resnet');
	const table = page.getByTestId('compare-table');
	await expect(table).toContainText('learning_rate');
	await expect(table).toContainText('val/accuracy');
	// The params every run shares drop out with "differences only".
	await expect(table).toContainText('momentum');
	await page.getByTestId('only-diff').check();
	await expect(table).not.toContainText('momentum');
	expect(page.url()).toContain('diff=1');
	// The best accuracy is marked.
	await expect(table.locator('td.best')).not.toHaveCount(0);
	await page.screenshot({ path: SHOTS + 'compare-table.png', fullPage: true });

	await page.getByTestId('tab-charts').click();
	await expect(page.locator('[data-testid="overlay-chart"][data-title="train/loss"]')).toHaveAttribute('data-runs', '6');
	await expect(page.locator('details.section summary').first()).toContainText('Model metrics');
	await expect(page.locator('details.section summary').filter({ hasText: 'train' })).toBeVisible();
	// Hover lists the runs' values.
	const lossChart0 = () => page.locator('[data-testid="overlay-chart"][data-title="train/loss"]');
	const canvas = page.locator('[data-testid="overlay-chart"][data-title="train/loss"] canvas').first();
	const box = (await canvas.boundingBox())!;
	await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.4);
	await expect(page.getByTestId('chart-tooltip')).toBeVisible();
	// The hover box covers less than half of the chart, and not the point the cursor reads.
	const tip = (await page.getByTestId('chart-tooltip').boundingBox())!;
	const chartBox = (await lossChart0().boundingBox())!;
	expect(tip.width * tip.height).toBeLessThan(0.5 * chartBox.width * chartBox.height);
	const cursor = { x: box.x + box.width * 0.5, y: box.y + box.height * 0.4 };
	expect(cursor.x >= tip.x && cursor.x <= tip.x + tip.width && cursor.y >= tip.y && cursor.y <= tip.y + tip.height).toBe(false);
	await page.screenshot({ path: SHOTS + 'compare-charts.png', fullPage: true });
	// Zoom: drag across the middle of the chart; the x range narrows, double-click restores it.
	const lossChart = page.locator('[data-testid="overlay-chart"][data-title="train/loss"]');
	const full = await lossChart.getAttribute('data-x-range');
	await page.mouse.move(box.x + box.width * 0.3, box.y + box.height * 0.5);
	await page.mouse.down();
	await page.mouse.move(box.x + box.width * 0.6, box.y + box.height * 0.5, { steps: 4 });
	await page.mouse.up();
	await expect(lossChart).not.toHaveAttribute('data-x-range', full ?? '');
	const [lo, hi] = (await lossChart.getAttribute('data-x-range'))!.split(':').map(Number);
	expect(hi - lo).toBeLessThan(40);
	// By keyboard: 0 resets, + halves the window about its middle, arrows pan a quarter, never past
	// the data; the lines reach both edges of every window.
	const range = async () => (await lossChart.getAttribute('data-x-range'))!.split(':').map(Number);
	const keys = lossChart.getByTestId('chart-keys');
	await keys.focus();
	await keys.press('0');
	await expect(lossChart).toHaveAttribute('data-x-range', full!);
	const [f0, f1] = full!.split(':').map(Number);
	await keys.press('+');
	await expect.poll(range).toEqual([f0 + (f1 - f0) / 4, f1 - (f1 - f0) / 4]);
	await expect.poll(() => lineAtEdges(lossChart)).toMatchObject({ left: true, right: true });
	const w = f1 - f0;
	await keys.press('ArrowRight');
	await expect.poll(range).toEqual([f0 + (3 * w) / 8, f1 - w / 8]);
	await keys.press('ArrowRight');
	await expect.poll(range).toEqual([f0 + w / 2, f1]);
	await keys.press('ArrowRight');
	await expect.poll(range).toEqual([f0 + w / 2, f1]);
	await expect.poll(() => lineAtEdges(lossChart)).toMatchObject({ left: true, right: true });
	// Out: twice the window, held to the data.
	await keys.press('-');
	await expect.poll(range).toEqual([f0 + w / 4, f1]);
	// Another x axis: time since each run's start, then another metric (lr) as x.
	await page.getByTestId('x-axis').selectOption('relative');
	expect(page.url()).toContain('x=relative');
	await expect(lossChart).toHaveAttribute('data-x-range', /^0:\d{3,}/);
	await page.getByTestId('x-log').check();
	await expect(lossChart).toHaveAttribute('data-x-range', /^[1-9]/);
	await page.getByTestId('x-log').uncheck();
	await page.getByTestId('x-axis').selectOption('metric:lr');
	await expect(lossChart).toHaveAttribute('data-x-range', /^0(\.\d+)?(e-\d+)?:0\.\d+$/);

	await page.getByTestId('tab-parallel').click();
	const pc = page.getByTestId('parallel-coordinates');
	await expect(pc).toHaveAttribute('data-active', '6');
	// The axes come with the whole runs, which load after the heads that count the active runs.
	await expect.poll(async () => Number(await pc.getAttribute('data-axes'))).toBeGreaterThanOrEqual(2);
	// It starts on the params that vary and, on the right, the sweep's main metric.
	await expect(pc).toHaveAttribute('data-axis-ids', 'params.batch_size,params.learning_rate,metrics.val/accuracy');
	// Colour by a value: a legend says which, from its lowest to its highest.
	await page.getByTestId('color-by').selectOption('metrics.val/accuracy');
	await expect(page.getByTestId('color-legend')).toContainText('Colour: val/accuracy');
	await page.getByTestId('color-by').selectOption('');
	await expect(page.getByTestId('color-legend')).toHaveCount(0);
	// Brush the upper half of the first axis (learning rate or batch size): fewer runs stay.
	const pcBox = (await pc.getByLabel(/Parallel coordinates/).boundingBox())!;
	await page.mouse.move(pcBox.x + 60, pcBox.y + 30);
	await page.mouse.down();
	await page.mouse.move(pcBox.x + 60, pcBox.y + 150, { steps: 5 });
	await page.mouse.up();
	await expect(pc).not.toHaveAttribute('data-active', '6');
	const kept = Number(await pc.getAttribute('data-active'));
	expect(kept).toBeGreaterThan(0);
	expect(page.url()).toContain('brush=');
	await page.screenshot({ path: SHOTS + 'compare-parallel.png', fullPage: true });
	// The brush filters the whole view: the table shows only the kept runs.
	await page.getByTestId('tab-table').click();
	await page.getByTestId('transpose').check();
	await expect(page.getByTestId('compare-table').locator('tbody tr')).toHaveCount(kept);

	// A link reproduces the view (tab, brush, options).
	const link = page.url();
	await page.goto(link);
	await expect(page.getByTestId('compare-table').locator('tbody tr')).toHaveCount(kept);
	await page.getByTestId('clear-brushes').click();
	await expect(page.getByTestId('compare-table').locator('tbody tr')).toHaveCount(6);

	await page.getByTestId('tab-scatter').click();
	await expect(page.getByTestId('scatter-plot')).toHaveAttribute('data-points', '6');
	await page.getByTestId('tab-box').click();
	await page.getByTestId('box-group').selectOption('params.batch_size');
	await expect(page.getByTestId('box-plot')).toHaveAttribute('data-groups', '2');
	await page.screenshot({ path: SHOTS + 'compare-box.png', fullPage: true });
	await page.getByTestId('tab-contour').click();
	// It starts on params the runs differ on (epochs and momentum are the same in every run).
	await expect(page.getByTestId('contour-cx')).toHaveValue('params.batch_size');
	await expect(page.getByTestId('contour-cy')).toHaveValue('params.learning_rate');
	await page.getByTestId('contour-cx').selectOption('params.learning_rate');
	await page.getByTestId('contour-cy').selectOption('params.batch_size');
	await expect(page.getByTestId('contour-plot')).toHaveAttribute('data-points', '6');
	await page.screenshot({ path: SHOTS + 'compare-contour.png', fullPage: true });
});

test('the experiment page has a chart view of the runs the table shows', async ({ page }) => {
	await openDemoExperiment(page);
	await page.getByTestId('chart-mode').click();
	expect(page.url()).toContain('mode=charts');
	const chart = page.locator('[data-testid="overlay-chart"][data-title="val/loss"]');
	await expect(chart).toBeVisible();
	const all = Number(await chart.getAttribute('data-runs'));
	expect(all).toBe(6); // the sweep's parent logged no val/loss
	// A legend names every run shown, each in its own colour, the one of its swatch in the table.
	const legend = page.getByTestId('chart-legend').locator('li');
	await expect(legend).toHaveCount(7);
	const legendColours = await legend.locator('.swatch').evaluateAll((els) => els.map((e) => getComputedStyle(e).backgroundColor));
	expect(new Set(legendColours).size).toBe(7);
	await page.getByTestId('run-search').fill("params.learning_rate = '0.1'");
	await page.getByTestId('run-search').press('Enter');
	await expect(chart).toHaveAttribute('data-runs', '2');
	// The chart view is configurable: which metrics, as MLflow's chart view.
	await page.getByTestId('chart-metric-filter').fill('val/');
	await expect(page.locator('[data-testid="overlay-chart"]')).toHaveCount(2);
	expect(page.url()).toContain('mfilter=val');
	await page.screenshot({ path: SHOTS + 'experiment-charts.png', fullPage: true });
});

/** 60 runs: `f1` logged once each, `loss` over 40 steps; the first run logged step 0 twice. */
function sixtyRuns(): Buffer {
	const files: Record<string, Uint8Array> = {
		'mlruns/7/meta.yaml': strToU8('artifact_location: x\nexperiment_id: "7"\nlifecycle_stage: active\nname: sixty\n')
	};
	for (let r = 0; r < 60; r++) {
		const id = r.toString(16).padStart(32, 'a');
		const dir = `mlruns/7/${id}/`;
		files[dir + 'meta.yaml'] = strToU8(
			`run_id: ${id}\nrun_uuid: ${id}\nrun_name: run-${r}\nexperiment_id: "7"\nstatus: 3\nstart_time: ${1_700_000_000_000 + r}\nlifecycle_stage: active\n`
		);
		files[dir + 'metrics/f1'] = strToU8(`${1_700_000_100_000 + r} ${0.5 + r / 200} 0\n`);
		const loss = r === 0 ? ['1700000000001 0.77 0', '1700000000002 0.86 0', '1700000000003 0.99 1'] : [];
		for (let step = r === 0 ? 2 : 0; step < 40; step++)
			loss.push(`${1_700_000_000_000 + step * 1000 + r} ${0.95 + ((step * 7 + r) % 10) / 200} ${step}`);
		files[dir + 'metrics/loss'] = strToU8(loss.join('\n') + '\n');
	}
	return Buffer.from(zipSync(files));
}

test('comparison of 60 runs: single points drawn as dots, a duplicate step kept, zoom draws to both edges', async ({ page }) => {
	await page.goto('./');
	await dropFile(page, 'sixty.zip', sixtyRuns());
	await expect(page.getByTestId('import-report').first()).toContainText('60 runs');
	await page.goto('./compare/?exp=7&tab=charts');
	await expect(page.getByRole('heading', { name: 'Comparing 60 runs' })).toBeVisible();
	const f1 = page.locator('[data-testid="overlay-chart"][data-title="f1"]');
	await expect(f1).toHaveAttribute('data-drawn', '60');
	expect(await colouredPixels(f1)).toBeGreaterThan(60 * 4);
	const loss = page.locator('[data-testid="overlay-chart"][data-title="loss"]');
	// 59 runs x 40 points, and the first run's 41 (step 0 twice).
	await expect(loss).toHaveAttribute('data-drawn', String(59 * 40 + 41));
	// The y axis reaches down to 0.77, the first of the two values at step 0.
	const labels = await loss.locator('.u-axis').nth(1).innerText();
	expect(
		Math.min(
			...labels
				.split(/\s+/)
				.map(Number)
				.filter((v) => !Number.isNaN(v))
		)
	).toBeLessThanOrEqual(0.8);
	await page.screenshot({ path: SHOTS + 'compare-60-runs.png', fullPage: true });
	const range = await loss.getAttribute('data-x-range');
	await dragZoom(page, loss, 0.2, 0.9);
	await expect(loss).not.toHaveAttribute('data-x-range', range!);
	const [lo, hi] = (await loss.getAttribute('data-x-range'))!.split(':').map(Number);
	expect(lo).toBeGreaterThan(5);
	expect(hi).toBeLessThan(36);
	await expect.poll(() => lineAtEdges(loss)).toMatchObject({ left: true, right: true });
	await dragZoom(page, loss, 0.4, 0.6);
	await expect.poll(() => lineAtEdges(loss)).toMatchObject({ left: true, right: true });
	await loss.locator('.u-over').dblclick();
	await expect(loss).toHaveAttribute('data-x-range', range!);
	// The same on relative time, and after a reload.
	await page.getByTestId('x-axis').selectOption('relative');
	await dragZoom(page, loss, 0.3, 0.7);
	await expect.poll(() => lineAtEdges(loss)).toMatchObject({ left: true, right: true });
	await page.reload();
	await expect(loss).toHaveAttribute('data-drawn', /[1-9]/);
	await dragZoom(page, loss, 0.1, 0.5);
	await expect.poll(() => lineAtEdges(loss)).toMatchObject({ left: true, right: true });
});
