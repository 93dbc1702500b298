/**
 * Small versions of the scale shapes (bench/scale.mjs has the full ones): a run with 2,000 metric
 * keys in five sections, its comparison, and an experiment of 3,000 runs compared whole. No page
 * may throw (a spread of a large array into a call overflows the stack: "Maximum call stack size
 * exceeded").
 */
import { test, expect, type Page } from '@playwright/test';
import { zipSync } from 'fflate';
import { syntheticFileStore } from '../../src/lib/demo/generate';
import { SHOTS, dropFile } from './helpers';

function archive(size: Parameters<typeof syntheticFileStore>[0]): Buffer {
	return Buffer.from(zipSync(Object.fromEntries(syntheticFileStore(size)), { level: 1 }));
}

/** Collects page errors and console errors, to assert none happened. */
function errorsOf(page: Page): string[] {
	const errors: string[] = [];
	page.on('pageerror', (e) => errors.push(e.message));
	page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
	return errors;
}

test('a run with 2,000 metric keys: sections by prefix, first chart drawn, only charts near the view mounted; its comparison lists every run', async ({
	page
}) => {
	test.setTimeout(120_000);
	const errors = errorsOf(page);
	await page.goto('./');
	await dropFile(
		page,
		'keys.zip',
		archive({ runs: 4, metrics: 2000, steps: 5, params: 3, prefixes: ['train', 'eval', 'env', 'policy', 'system'] })
	);
	await expect(page.getByTestId('import-report').first()).toContainText('40,000 metric points', { timeout: 60_000 });
	await page.getByRole('link', { name: 'synthetic' }).first().click();
	await page.locator('[data-testid="runs"] tbody tr[data-run-id] td.name a').first().click();
	await expect(page.locator('h2', { hasText: 'Metrics (2000)' })).toBeVisible();
	// Sections by key prefix, system metrics last and named as MLflow names them.
	const sections = page.getByTestId('chart-section');
	await expect(sections).toHaveCount(5);
	await expect(sections.locator('summary')).toHaveText(['env (400)', 'eval (400)', 'policy (400)', 'train (400)', 'System metrics (400)']);
	// The first chart draws; far fewer than 2,000 are mounted.
	const first = page.getByTestId('metric-chart').first();
	await expect(first).not.toHaveAttribute('data-drawn', '0');
	expect(Number(await first.getAttribute('data-points'))).toBe(5);
	const mounted = await page.getByTestId('metric-chart').count();
	expect(mounted).toBeGreaterThan(0);
	expect(mounted).toBeLessThan(200);
	// A section collapses, and its charts go with it.
	await sections.first().locator('summary').click();
	await expect(sections.first()).not.toHaveAttribute('open');
	// The filter narrows to matching keys, by text or by a /regex/.
	await page.getByTestId('metric-filter').fill('/^system\\/metric_(4|9)$/');
	await expect(page.getByTestId('metric-chart')).toHaveCount(2);
	await page.getByTestId('metric-filter').fill('policy/metric_13');
	await expect(page.getByTestId('metric-chart').first()).toHaveAttribute('data-drawn', /[1-9]/);
	await page.screenshot({ path: SHOTS + 'run-2000-keys.png' });

	// Compare all: every run listed, every section reachable.
	await page.goto('./experiment/?id=1');
	// The column chooser lists 200 keys a group and finds any other by text or /regex/.
	const chooser = page.getByTestId('column-chooser');
	await chooser.locator('summary').click();
	await expect(chooser.getByTestId('chooser-more').first()).toHaveText('1800 more: type to narrow (text, or a /regex/).');
	await chooser.getByLabel('Filter column keys').fill('/^system\\/metric_1[0-9]$/');
	await expect(chooser.locator('label')).toHaveText(['system/metric_14', 'system/metric_19']);
	await chooser.getByLabel('system/metric_19').check();
	await expect(page.getByTestId('runs').locator('thead th', { hasText: 'system/metric_19' })).toHaveCount(1);
	await chooser.locator('summary').click();
	await page.getByTestId('compare-all').click();
	await expect(page.locator('h1')).toHaveText('Comparing 4 runs');
	await page.getByTestId('tab-charts').click();
	await expect(page.getByTestId('overlay-chart').first()).toHaveAttribute('data-drawn', /[1-9]/);
	await expect(page.getByTestId('chart-section')).toHaveCount(5);
	expect(errors).toEqual([]);
});

test('an experiment of 3,000 runs opens, searches, and Compare all compares all 3,000', async ({ page }) => {
	test.setTimeout(120_000);
	const errors = errorsOf(page);
	await page.goto('./');
	await dropFile(page, 'runs.zip', archive({ runs: 3000, metrics: 3, steps: 3, params: 5, tags: 3 }));
	await expect(page.getByTestId('import-report').first()).toContainText('3,000 runs', { timeout: 60_000 });
	await page.getByRole('link', { name: 'synthetic' }).first().click();
	await expect(page.getByTestId('runs')).toHaveAttribute('data-row-count', '3000');
	await page.getByTestId('compare-all').click();
	await expect(page.locator('h1')).toHaveText('Comparing 3000 runs', { timeout: 30_000 });
	// The legend starts closed for this many, and lists the first 500 when opened.
	const legend = page.getByTestId('compare-legend');
	await expect(legend).not.toHaveAttribute('open');
	await legend.locator('summary').click();
	await expect(legend.locator('li')).toHaveCount(500);
	await expect(legend).toContainText('… and 2,500 more');
	await page.getByTestId('tab-charts').click();
	const chart = page.getByTestId('overlay-chart').first();
	await expect(chart).toHaveAttribute('data-drawn', /[1-9]/, { timeout: 30_000 });
	await expect(chart).toHaveAttribute('data-runs', '3000');
	expect(errors).toEqual([]);
});
