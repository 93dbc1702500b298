import { test, expect, chromium } from '@playwright/test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SHOTS } from './helpers';

const executablePath = process.env.CHROMIUM_PATH ?? '/usr/lib/chromium/chromium';
const launch = (profile: string) => chromium.launchPersistentContext(profile, { executablePath, baseURL: 'http://localhost:4174' });

test('record locally: create an experiment and a run, edit it, and find every change after a relaunch', async () => {
	const profile = mkdtempSync(join(tmpdir(), 'trackside-profile-'));
	try {
		let context = await launch(profile);
		let page = await context.newPage();
		await page.goto('./');
		const form = page.getByTestId('new-experiment');
		await form.getByLabel('New experiment name').fill('hand-logged');
		await form.getByRole('button', { name: 'Create experiment' }).click();
		await expect(page.getByTestId('experiment-name')).toHaveText('hand-logged');

		// A duplicate name is refused with MLflow's reason.
		await page.goto('./');
		await form.getByLabel('New experiment name').fill('hand-logged');
		await form.getByRole('button', { name: 'Create experiment' }).click();
		await expect(form).toContainText('An experiment named "hand-logged" already exists');
		await page.getByRole('link', { name: 'hand-logged' }).click();

		// Description in markdown: rendered, and script-free.
		await page.getByTestId('edit-note').click();
		await page.getByTestId('note-input').fill('# Plan\nTry **lower** lr.<img src=x onerror="window.__pwned=1">');
		await page.getByTestId('save-note').click();
		await expect(page.getByTestId('note-html').locator('strong')).toHaveText('lower');
		expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
		expect(await page.getByTestId('note-html').innerHTML()).not.toContain('onerror');

		await page.getByTestId('new-run').click();
		await expect(page.getByTestId('run-name')).toHaveText(/^run-\d+/);
		const runUrl = page.url();
		await page.getByTestId('rename-run').click();
		await page.getByTestId('run-name-input').fill('manual-1');
		await page.getByTestId('run-name-input').press('Enter');
		await expect(page.getByTestId('run-name')).toHaveText('manual-1');

		const params = page.getByTestId('params');
		await params.getByLabel('New param key').fill('lr');
		await params.getByLabel('New param value').fill('0.01');
		await params.getByRole('button', { name: 'Add' }).click();
		await expect(params).toContainText('0.01');
		const tags = page.getByTestId('tags');
		await tags.getByLabel('New tag key').fill('team');
		await tags.getByLabel('New tag value').fill('vision');
		await tags.getByRole('button', { name: 'Add' }).click();
		await expect(tags).toContainText('vision');

		const log = page.getByTestId('log-metric');
		for (const v of ['0.9', '0.5', '0.3']) {
			await log.getByLabel('Metric key').fill('loss');
			await log.getByLabel('Metric value').fill(v);
			await log.getByRole('button', { name: 'Log' }).click();
			await expect(page.getByTestId('metrics')).toContainText(v);
		}
		await expect(page.getByTestId('metric-chart')).toHaveAttribute('data-points', '3');
		await page.getByTestId('run-status').selectOption('FINISHED');
		await expect(page.locator('.page-head .badge').first()).toHaveText('FINISHED');
		await expect(page.getByTestId('save-state')).toHaveText('All changes saved');
		await page.screenshot({ path: SHOTS + 'run-recorded.png', fullPage: true });
		await context.close();

		context = await launch(profile);
		page = await context.newPage();
		await page.goto(runUrl);
		await expect(page.getByTestId('run-name')).toHaveText('manual-1');
		await expect(page.getByTestId('params')).toContainText('0.01');
		await expect(page.getByTestId('tags')).toContainText('vision');
		await expect(page.getByTestId('metric-chart')).toHaveAttribute('data-points', '3');
		await expect(page.locator('.page-head .badge').first()).toHaveText('FINISHED');

		// Delete and restore the run; the experiment's table follows.
		await page.getByTestId('delete-run').click();
		await expect(page.getByTestId('restore-run')).toBeVisible();
		await page.getByRole('link', { name: 'hand-logged' }).click();
		await expect(page.getByTestId('no-runs')).toBeVisible();
		await page.getByTestId('lifecycle').selectOption('deleted');
		await expect(page.getByTestId('runs')).toContainText('manual-1');
		await expect(page.getByTestId('note-html')).toContainText('Plan');
		await context.close();
	} finally {
		rmSync(profile, { recursive: true, force: true });
	}
});
