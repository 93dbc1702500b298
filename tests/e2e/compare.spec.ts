import { test, expect, type Page } from '@playwright/test';
import { SHOTS } from './helpers';

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
	for (let i = 0; i < 6; i++) await rows.nth(i).getByRole('checkbox', { name: /^Select/ }).check();
	await expect(page.getByTestId('selected-count')).toHaveText('6 selected');
	await page.getByTestId('compare-selected').click();

	await expect(page.getByRole('heading', { name: 'Comparing 6 runs' })).toBeVisible();
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
	const canvas = page.locator('[data-testid="overlay-chart"][data-title="train/loss"] canvas').first();
	const box = (await canvas.boundingBox())!;
	await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.4);
	await expect(page.getByTestId('chart-tooltip')).toBeVisible();
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
	expect(Number(await pc.getAttribute('data-axes'))).toBeGreaterThanOrEqual(2);
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
	await page.getByTestId('run-search').fill("params.learning_rate = '0.1'");
	await page.getByTestId('run-search').press('Enter');
	await expect(chart).toHaveAttribute('data-runs', '2');
	// The chart view is configurable: which metrics, as MLflow's chart view.
	await page.getByTestId('chart-metric-filter').fill('val/');
	await expect(page.locator('[data-testid="overlay-chart"]')).toHaveCount(2);
	expect(page.url()).toContain('mfilter=val');
	await page.screenshot({ path: SHOTS + 'experiment-charts.png', fullPage: true });
});
