/**
 * An automated accessibility audit (axe-core, WCAG 2 A and AA rules) over every page of the app,
 * with the demo's data, in light and dark: no serious or critical violation.
 */
import { test, expect, type Page } from '@playwright/test';
import { AxeBuilder } from '@axe-core/playwright';
import { SHOTS } from './helpers';

/** Pages as a user reaches them; each is audited once it shows its data. */
const PAGES: { name: string; open: (page: Page) => Promise<void> }[] = [
	{ name: 'experiments', open: (p) => p.getByTestId('experiments').waitFor() },
	{
		name: 'experiment table',
		open: async (p) => {
			await p.getByRole('link', { name: 'cifar10-resnet' }).click();
			await p.getByTestId('runs').locator('tbody tr[data-run-id]').first().waitFor();
		}
	},
	{
		name: 'experiment charts',
		open: async (p) => {
			await p.getByTestId('chart-mode').click();
			await p.getByTestId('overlay-chart').first().waitFor();
		}
	},
	{
		name: 'run',
		open: async (p) => {
			await p.getByTestId('table-mode').click();
			await p.locator('[data-testid="runs"] tbody tr[data-run-id] td.name a').first().click();
			await p.getByTestId('overview').waitFor();
		}
	},
	{
		name: 'compare table',
		open: async (p) => {
			await p.goBack();
			await p.getByTestId('compare-all').click();
			await p.getByTestId('tab-table').waitFor();
		}
	},
	{
		name: 'compare charts',
		open: (p) =>
			p
				.getByTestId('tab-charts')
				.click()
				.then(() => p.getByTestId('overlay-chart').first().waitFor())
	},
	{ name: 'compare parallel', open: (p) => p.getByTestId('tab-parallel').click() },
	{ name: 'compare scatter', open: (p) => p.getByTestId('tab-scatter').click() },
	{ name: 'compare box', open: (p) => p.getByTestId('tab-box').click() },
	{ name: 'compare contour', open: (p) => p.getByTestId('tab-contour').click() },
	{
		name: 'compare images',
		open: (p) =>
			p
				.getByTestId('tab-images')
				.click()
				.then(() => p.getByTestId('image-grid').first().locator('img').first().waitFor())
	},
	{
		name: 'models',
		open: async (p) => {
			await p.getByRole('link', { name: 'Models', exact: true }).click();
			await p.getByTestId('models').waitFor();
		}
	},
	{
		name: 'model',
		open: async (p) => {
			await p.getByTestId('models').locator('tbody a').first().click();
			await p.getByTestId('model-name').waitFor();
		}
	},
	{
		name: 'model version',
		open: async (p) => {
			await p.locator('a[href*="model-version/"]').first().click();
			await p.locator('h1').first().waitFor();
		}
	},
	{
		name: 'traces',
		open: async (p) => {
			await p.getByRole('link', { name: 'Experiments', exact: true }).click();
			await p.getByRole('link', { name: 'support-agent' }).click();
			await p.getByTestId('tab-traces').click();
			await p.getByTestId('trace-row').first().waitFor();
		}
	},
	{
		name: 'trace',
		open: async (p) => {
			await p.locator('[data-testid="trace-row"]', { hasText: 'ERROR' }).getByTestId('trace-link').click();
			await p.getByTestId('span-details').waitFor();
		}
	},
	{
		name: 'trace chat span',
		open: async (p) => {
			await p.locator('[data-testid="span-row"]', { hasText: 'ChatOpenAI' }).locator('.name').click();
			await p.getByTestId('chat').waitFor();
		}
	},
	{
		name: 'session',
		open: async (p) => {
			await p.getByTestId('trace-session').click();
			await p.getByTestId('turn').first().waitFor();
		}
	},
	{
		name: 'prompts',
		open: async (p) => {
			await p.getByRole('link', { name: 'Prompts', exact: true }).click();
			await p.getByTestId('prompts').waitFor();
		}
	},
	{
		name: 'prompt diff',
		open: async (p) => {
			await p.getByTestId('prompts').getByRole('link', { name: 'support-answer' }).click();
			await p.getByTestId('prompt-compare').selectOption('2');
			await p.getByTestId('prompt-diff').waitFor();
		}
	}
];

for (const scheme of ['light', 'dark'] as const) {
	test(`every page passes axe (WCAG 2 A and AA) with no serious or critical violation, ${scheme}`, async ({ page }) => {
		test.setTimeout(120_000);
		await page.emulateMedia({ colorScheme: scheme });
		await page.goto('./');
		await page.getByTestId('open-demo').click();
		await expect(page.getByTestId('import-report').first()).toBeVisible();
		const found: string[] = [];
		for (const { name, open } of PAGES) {
			await open(page);
			// Let charts draw and transitions settle.
			await page.waitForTimeout(300);
			await page.screenshot({ path: `${SHOTS}theme-${scheme}-${name.replace(/ /g, '-')}.png` });
			const { violations } = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
			for (const v of violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')) {
				found.push(
					`${name}: ${v.id} (${v.impact}) ${v.help} — ${v.nodes
						.map((n) => n.target.join(' '))
						.slice(0, 3)
						.join(' | ')}`
				);
			}
		}
		expect(found, found.join('\n')).toEqual([]);
	});
}

test('the theme follows the system, and a choice in the header is kept across reloads', async ({ page }) => {
	const background = () => page.evaluate(() => getComputedStyle(document.body.parentElement!).backgroundColor);
	await page.emulateMedia({ colorScheme: 'dark' });
	await page.goto('./');
	expect(await background()).toBe('rgb(15, 20, 27)');
	await page.emulateMedia({ colorScheme: 'light' });
	expect(await background()).toBe('rgb(246, 248, 251)');
	// Pinned dark, by keyboard: the select is reachable and named.
	await page.getByRole('combobox', { name: 'Colour theme' }).selectOption('dark');
	expect(await background()).toBe('rgb(15, 20, 27)');
	await page.reload();
	await expect(page.getByTestId('theme')).toHaveValue('dark');
	expect(await background()).toBe('rgb(15, 20, 27)');
	await page.getByTestId('theme').selectOption('system');
	expect(await background()).toBe('rgb(246, 248, 251)');
});
