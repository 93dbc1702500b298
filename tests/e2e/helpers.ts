import { expect, type Locator, type Page } from '@playwright/test';
import { fileURLToPath } from 'node:url';

export const FIXTURES = fileURLToPath(new URL('../../../shared/fixtures/real/', import.meta.url));
export const SHOTS = fileURLToPath(new URL('../../test-results/screenshots/', import.meta.url));

/** Imports files through the file picker and waits for the import report. */
export async function importFiles(page: Page, paths: string[]): Promise<void> {
	await page.getByTestId('file-input').setInputFiles(paths);
	await expect(page.getByTestId('import-report').first()).toBeVisible({ timeout: 30_000 });
}

/** Drops a file on the drop zone the way a browser does (a DataTransfer with a File in it). */
export async function dropFile(page: Page, name: string, bytes: Buffer): Promise<void> {
	// Base64 crosses the protocol far faster than an array of numbers.
	const dt = await page.evaluateHandle(
		({ name, b64 }) => {
			const d = new DataTransfer();
			d.items.add(new File([Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))], name));
			return d;
		},
		{ name, b64: bytes.toString('base64') }
	);
	await page.dispatchEvent('[data-testid="drop-zone"]', 'dragenter', { dataTransfer: dt });
	await page.dispatchEvent('[data-testid="drop-zone"]', 'drop', { dataTransfer: dt });
}

/**
 * Reads a uPlot chart's canvas: for strips `px` pixels wide just inside the left and right edges of
 * the plot area, whether a coloured (line) pixel is drawn there. Grid lines and axes are grey, so
 * colour (saturation) tells the data apart.
 */
export async function lineAtEdges(chart: Locator, px = 6): Promise<{ left: boolean; right: boolean; columns: number }> {
	return chart.evaluate((el, px) => {
		const canvas = el.querySelector('canvas') as HTMLCanvasElement;
		const over = el.querySelector('.u-over') as HTMLElement;
		const c = canvas.getBoundingClientRect();
		const o = over.getBoundingClientRect();
		const k = canvas.width / c.width;
		const ctx = canvas.getContext('2d')!;
		const top = Math.round((o.top - c.top) * k);
		const height = Math.round(o.height * k);
		const coloured = (x0: number) => {
			const d = ctx.getImageData(Math.round(x0), top, Math.round(px * k), height).data;
			for (let i = 0; i < d.length; i += 4)
				if (d[i + 3] > 100 && Math.max(d[i], d[i + 1], d[i + 2]) - Math.min(d[i], d[i + 1], d[i + 2]) > 50) return true;
			return false;
		};
		const left = (o.left - c.left) * k;
		const right = (o.right - c.left) * k;
		return { left: coloured(left + 1 * k), right: coloured(right - (px + 1) * k), columns: Math.round(o.width) };
	}, px);
}

/** Drags across a chart's plot area from fraction `from` to `to` of its width (a zoom). */
export async function dragZoom(page: Page, chart: Locator, from: number, to: number): Promise<void> {
	await chart.scrollIntoViewIfNeeded();
	const box = (await chart.locator('.u-over').boundingBox())!;
	await page.mouse.move(box.x + box.width * from, box.y + box.height / 2);
	await page.mouse.down();
	await page.mouse.move(box.x + box.width * to, box.y + box.height / 2, { steps: 5 });
	await page.mouse.up();
}

/** Coloured (data) pixels in a uPlot chart's plot area: lines and dots, not grid or axes. */
export async function colouredPixels(chart: Locator): Promise<number> {
	return chart.evaluate((el) => {
		const canvas = el.querySelector('canvas') as HTMLCanvasElement;
		const d = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
		let n = 0;
		for (let i = 0; i < d.length; i += 4)
			if (d[i + 3] > 100 && Math.max(d[i], d[i + 1], d[i + 2]) - Math.min(d[i], d[i + 1], d[i + 2]) > 50) n++;
		return n;
	});
}
