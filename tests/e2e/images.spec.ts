/**
 * Images logged with steps (mlflow.log_image(key=, step=)): an image chart per key on the run page
 * and across compared runs, with a step slider. Every image shown is read back off the page (its
 * pixels) and must be the one logged at that step: each step's image is its own colour.
 */
import { test, expect, type Locator } from '@playwright/test';
import { zipSync } from 'fflate';
import { fileStore } from '../../src/lib/testing/mlflow-stores';
import { solidPng } from '../../src/lib/demo/png';
import { SHOTS, dropFile } from './helpers';

const hex = (n: number) => n.toString(16).padStart(32, '0');
/** A colour per (run, step): the image says where it came from. */
const colour = (run: number, step: number): [number, number, number] => [40 + run * 100, 20 + step * 20, 200 - step * 15];
/** Run 0 logged steps 0..4; run 1 only steps 0, 2 and 6 (it shows its last image before a step it skipped). */
const STEPS = [
	[0, 1, 2, 3, 4],
	[0, 2, 6]
];

/** The colour of each image shown in the grid, by run id (null: no image). */
async function shownColours(grid: Locator): Promise<Record<string, number[] | null>> {
	return grid.evaluate(async (el) => {
		const out: Record<string, number[] | null> = {};
		for (const fig of el.querySelectorAll('figure')) {
			const img = fig.querySelector('img');
			if (!img) {
				out[fig.getAttribute('data-run-id')!] = null;
				continue;
			}
			await img.decode();
			const c = document.createElement('canvas');
			c.width = c.height = 1;
			const ctx = c.getContext('2d')!;
			ctx.drawImage(img, 4, 4, 1, 1, 0, 0, 1, 1);
			out[fig.getAttribute('data-run-id')!] = [...ctx.getImageData(0, 0, 1, 1).data.slice(0, 3)];
		}
		return out;
	});
}

test('logged images: a step slider per key on the run page and across compared runs, each image the one of its step', async ({ page }) => {
	const files = fileStore([
		{ id: '0', name: 'Default' },
		{
			id: '1',
			name: 'vision',
			runs: STEPS.map((_, r) => ({ id: hex(r + 1), name: `gan-${r}`, tags: { 'mlflow.loggedImages': 'True' } }))
		}
	]);
	STEPS.forEach((steps, r) => {
		for (const step of steps) {
			const name = `samples#fake%step%${step}%timestamp%${1_700_000_000_000 + step}%uuid${r}${step}.png`;
			files.set(`mlruns/1/${hex(r + 1)}/artifacts/images/${name}`, solidPng(colour(r, step)));
		}
	});
	// A plain image artifact both runs have: compared side by side too.
	STEPS.forEach((_, r) => files.set(`mlruns/1/${hex(r + 1)}/artifacts/confusion.png`, solidPng(colour(r, 9))));
	await page.goto('./');
	await dropFile(page, 'vision.zip', Buffer.from(zipSync(Object.fromEntries(files))));
	await expect(page.getByTestId('import-report').first()).toContainText('2 runs');

	// Run page: one image chart for the key (its `#` read as `/`), opened on the last step.
	await page.goto(`./run/?id=${hex(1)}`);
	const grid = page.getByTestId('image-grid');
	await expect(grid).toHaveCount(1);
	await expect(grid.locator('h3')).toHaveText('samples/fake');
	await expect(page.getByTestId('image-step')).toHaveText('step 4');
	expect(await shownColours(grid)).toEqual({ [hex(1)]: colour(0, 4) });
	// The slider by keyboard: Home, then one step at a time.
	const slider = page.getByRole('slider', { name: 'Step of samples/fake' });
	await slider.focus();
	await slider.press('Home');
	for (const step of STEPS[0]) {
		await expect(page.getByTestId('image-step')).toHaveText(`step ${step}`);
		await expect.poll(() => shownColours(grid)).toEqual({ [hex(1)]: colour(0, step) });
		await slider.press('ArrowRight');
	}
	await page.screenshot({ path: SHOTS + 'run-images.png', fullPage: true });

	// Compared: both runs at every step either logged; run 1 shows its last image at or before the step.
	await page.goto(`./compare/?run=${hex(1)}&run=${hex(2)}&tab=images`);
	const grids = page.getByTestId('compare-images').getByTestId('image-grid');
	await expect(grids).toHaveCount(2);
	const logged = grids.filter({ has: page.locator('h3', { hasText: 'samples/fake' }) });
	const all = [0, 1, 2, 3, 4, 6];
	const compared = page.getByRole('slider', { name: 'Step of samples/fake' });
	await compared.focus();
	await compared.press('Home');
	for (const step of all) {
		const want = (r: number) => {
			const at = STEPS[r].filter((s) => s <= step).pop();
			return at === undefined ? null : colour(r, at);
		};
		await expect(logged).toHaveAttribute('data-step', String(step));
		await expect.poll(() => shownColours(logged)).toEqual({ [hex(1)]: want(0), [hex(2)]: want(1) });
		await compared.press('ArrowRight');
	}
	const plain = grids.filter({ has: page.locator('h3', { hasText: 'confusion.png' }) });
	expect(await shownColours(plain)).toEqual({ [hex(1)]: colour(0, 9), [hex(2)]: colour(1, 9) });
	await page.screenshot({ path: SHOTS + 'compare-images.png', fullPage: true });
});
