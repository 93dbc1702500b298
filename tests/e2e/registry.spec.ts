import { test, expect } from '@playwright/test';
import { SHOTS } from './helpers';

test('model registry: list and search models, stage and alias views, compare versions, a version with its MLmodel, links from the run', async ({ page }) => {
	await page.goto('./');
	await page.getByTestId('open-demo').click();
	await expect(page.getByTestId('experiments')).toContainText('cifar10-resnet');
	await page.getByRole('link', { name: 'Models' }).click();
	const models = page.getByTestId('models');
	await expect(models.locator('tbody tr')).toHaveCount(1);
	const row = models.locator('tr', { hasText: 'cifar10-classifier' });
	await expect(row).toContainText('Version 2'); // latest in Production
	await expect(row).toContainText('@champion → v2');
	await page.screenshot({ path: SHOTS + 'models.png', fullPage: true });

	const search = page.getByTestId('model-search');
	await search.fill("name LIKE 'resnet%'");
	await search.press('Enter');
	await expect(page.getByTestId('no-models')).toBeVisible();
	await search.fill("run_id = 'x'");
	await search.press('Enter');
	await expect(page.getByTestId('model-search-error')).toContainText("Invalid attribute key 'run_id' specified.");
	await search.fill('cifar');
	await search.press('Enter');
	await expect(models.locator('tbody tr')).toHaveCount(1);

	await models.getByRole('link', { name: 'cifar10-classifier' }).click();
	await expect(page.getByTestId('model-name')).toHaveText('cifar10-classifier');
	const versions = page.getByTestId('versions');
	await expect(versions.locator('tbody tr')).toHaveCount(2);
	await expect(versions.locator('tr', { hasText: 'Version 2' })).toContainText('Production');
	await expect(versions.locator('tr', { hasText: 'Version 1' })).toContainText('Archived');
	await page.getByTestId('aliases-view').click();
	await expect(page).toHaveURL(/view=aliases/);
	await expect(versions.locator('tr', { hasText: 'Version 2' })).toContainText('@champion');

	await page.getByLabel('Compare version 1').check();
	await page.getByLabel('Compare version 2').check();
	const diff = page.getByTestId('version-diff');
	await expect(diff.locator('tr.differs', { hasText: 'Stage' })).toContainText('Production');
	// Both versions come from real runs of the sweep, each linked.
	await expect(versions.locator('tbody tr td:last-child a')).toHaveText([/^[0-9a-f]{8}$/, /^[0-9a-f]{8}$/]);
	await page.screenshot({ path: SHOTS + 'model.png', fullPage: true });

	await versions.getByRole('link', { name: 'Version 2' }).click();
	await expect(page.getByTestId('version-title')).toHaveText('cifar10-classifier · Version 2');
	await expect(page.getByTestId('version-overview')).toContainText('@champion');
	await expect(page.getByTestId('mlmodel-preview')).toBeVisible();
	await page.screenshot({ path: SHOTS + 'model-version.png', fullPage: true });

	await page.getByTestId('source-run').click();
	await expect(page.getByTestId('registered-versions')).toContainText('cifar10-classifier v2');
	await page.getByTestId('registered-versions').getByRole('link', { name: 'cifar10-classifier v2' }).click();
	await expect(page.getByTestId('version-title')).toBeVisible();
});
