import { expect, type Page } from '@playwright/test';
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
