import { test, expect } from '@playwright/test';
import { strToU8, zipSync } from 'fflate';
import { FIXTURES, SHOTS, dropFile, importFiles } from './helpers';

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
			[`mlruns/1/${RUN}/meta.yaml`]: strToU8(`run_id: ${RUN}\nrun_uuid: ${RUN}\nrun_name: long-run\nexperiment_id: "1"\nstatus: 3\nstart_time: 1700000000000\nend_time: 1700020000000\nlifecycle_stage: active\nuser_id: me\n`),
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
	await page.getByRole('link', { name: 'cifar10-resnet' }).click();
	await page.getByRole('link', { name: 'resnet18-lr0.1-bs64' }).click();
	await expect(page.getByTestId('metric-chart')).toHaveCount(4);
	await page.getByTestId('metric-filter').fill('val/');
	await expect(page.getByTestId('metric-chart')).toHaveCount(2);
	await expect(page.getByTestId('metrics').locator('tbody tr')).toHaveCount(2);
});
