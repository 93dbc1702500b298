/**
 * Metrics logged once per run are drawn as bars (MLflow's bar chart), in the comparison and on the
 * run page: each bar read back off the canvas is as long as its value, from zero; a value that is
 * not a number draws no bar; a metric with a history stays a line chart.
 */
import { test, expect, type Locator } from '@playwright/test';
import { zipSync } from 'fflate';
import { fileStore } from '../../src/lib/testing/mlflow-stores';
import { SHOTS, dropFile } from './helpers';

const hex = (n: number) => n.toString(16).padStart(32, '0');
/** Edge cases: a large value, a small one, zero, a negative one, NaN. */
const FINAL = [0.91, 0.05, 0, -0.2, NaN];

/** Each bar's drawn extent (px from the chart's zero, signed; 0 when nothing is drawn) on its row. */
async function barLengths(chart: Locator): Promise<{ lengths: number[]; perUnit: number }> {
	return chart.evaluate((el) => {
		const canvas = el.querySelector('canvas') as HTMLCanvasElement;
		const k = canvas.width / canvas.getBoundingClientRect().width;
		const d = el as HTMLElement;
		const zero = Number(d.dataset.zero);
		const top = Number(d.dataset.top);
		const row = Number(d.dataset.row);
		const ctx = canvas.getContext('2d')!;
		const lengths: number[] = [];
		for (let i = 0; i < Number(d.dataset.bars); i++) {
			const y = Math.round((top + i * row + row / 2) * k);
			const line = ctx.getImageData(0, y, canvas.width, 1).data;
			// Bars are saturated colour; text, grid and axes are grey.
			const coloured = (x: number) => {
				const [r, g, b, a] = line.slice(x * 4, x * 4 + 4);
				return a > 200 && Math.max(r, g, b) - Math.min(r, g, b) > 40;
			};
			// The coloured run of the row (the bar), as a signed length from zero.
			let first = -1;
			let last = -1;
			for (let x = 0; x < canvas.width; x++)
				if (coloured(x)) {
					if (first < 0) first = x;
					last = x;
				}
			if (first < 0) lengths.push(0);
			else if (first / k >= zero - 1) lengths.push((last + 1) / k - zero);
			else lengths.push(first / k - zero);
		}
		return { lengths, perUnit: Number(d.dataset.perUnit) };
	});
}

test('metrics logged once per run are bars as long as their values, in the comparison and on the run page', async ({ page }) => {
	const files = fileStore([
		{ id: '0', name: 'Default' },
		{
			id: '1',
			name: 'finals',
			runs: FINAL.map((v, i) => ({
				id: hex(i + 1),
				name: `run-${i}`,
				metrics: { final_acc: [`1700000000000 ${Number.isNaN(v) ? 'nan' : v} 0`], loss: ['1700000000000 1 0', '1700000001000 0.5 1'] }
			}))
		}
	]);
	await page.goto('./');
	await dropFile(page, 'finals.zip', Buffer.from(zipSync(Object.fromEntries(files))));
	await expect(page.getByTestId('import-report').first()).toContainText('5 runs');
	await page.getByRole('link', { name: 'finals' }).click();
	await page.getByRole('link', { name: 'Compare all 5' }).click();
	await page.getByRole('tab', { name: 'Metric charts' }).click();

	const bars = page.getByTestId('bar-chart');
	await expect(bars).toHaveCount(1);
	await expect(bars).toHaveAttribute('data-bars', '5');
	// The history stays a line chart.
	await expect(page.getByTestId('overlay-chart')).toHaveCount(1);
	const names = (await bars.getAttribute('aria-label'))!;
	expect(names).toMatch(/^final_acc: /);
	// Bars are in the legend's order: read which run each row is from the label.
	const order = [...names.matchAll(/run-(\d)/g)].map((m) => Number(m[1]));
	expect(order.sort()).toEqual([0, 1, 2, 3, 4]);
	const { lengths, perUnit } = await barLengths(bars);
	const labelOrder = [...names.matchAll(/run-(\d)/g)].map((m) => Number(m[1]));
	labelOrder.forEach((run, row) => {
		const v = FINAL[run];
		const want = Number.isFinite(v) ? v * perUnit : 0;
		expect(Math.abs(lengths[row] - want), `run-${run} (${v}): drawn ${lengths[row]} px, want ${want}`).toBeLessThanOrEqual(2);
	});
	await page.screenshot({ path: SHOTS + 'compare-bars.png', fullPage: true });

	// The run page: the single value is one bar.
	await page.goto('./experiment/?id=1');
	await page.getByRole('link', { name: 'run-0' }).click();
	const single = page.getByTestId('metric-chart').filter({ has: page.getByTestId('bar-chart') });
	await expect(single).toHaveCount(1);
	const one = await barLengths(single.getByTestId('bar-chart'));
	expect(Math.abs(one.lengths[0] - 0.91 * one.perUnit)).toBeLessThanOrEqual(2);
	await expect(page.getByTestId('metric-chart').filter({ has: page.locator('.uplot') })).toHaveCount(1);
	await page.emulateMedia({ colorScheme: 'dark' });
	await page.screenshot({ path: SHOTS + 'run-bar-dark.png', fullPage: true });
});
