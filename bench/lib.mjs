// What the UI benchmarks share: the archives and build they need, a preview server of the built
// site, and a fresh persistent profile (IndexedDB on disk, as for a user) with an archive imported.
import { chromium } from '@playwright/test';
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('..', import.meta.url));
export const executablePath = process.env.CHROMIUM_PATH ?? '/usr/lib/chromium/chromium';
export const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Makes the archives (`L,R`), builds unless BENCH_NO_BUILD, and serves the site on `port`; returns a stop function. */
export async function prepare(archives, port) {
	execFileSync('npx', ['tsx', 'bench/make-archives.ts', archives], { cwd: root, stdio: 'inherit' });
	if (!process.env.BENCH_NO_BUILD) execFileSync('npx', ['vite', 'build'], { cwd: root, stdio: 'ignore' });
	const server = spawn('npx', ['vite', 'preview', '--port', String(port), '--strictPort'], { cwd: root, stdio: 'ignore', detached: true });
	await new Promise((r) => setTimeout(r, 2500));
	return () => process.kill(-server.pid);
}

/** Runs `f` on a page of a fresh profile in which `archive` (from bench/out) was imported. */
export async function withImported(port, archive, f) {
	const profile = mkdtempSync(join(tmpdir(), 'trackside-bench-'));
	const context = await chromium.launchPersistentContext(profile, {
		executablePath,
		baseURL: `http://localhost:${port}`,
		viewport: { width: 1400, height: 900 }
	});
	try {
		const page = await context.newPage();
		page.on('pageerror', (e) => console.error('page error:', e.message));
		page.on('console', (m) => m.type() === 'error' && console.error('console:', m.text()));
		await page.goto('./');
		await page.getByTestId('file-input').setInputFiles(join(root, 'bench/out', archive));
		await page.getByTestId('import-report').first().waitFor({ timeout: 900_000 });
		return await f(page);
	} finally {
		await context.close();
		rmSync(profile, { recursive: true, force: true });
	}
}

/** A cold page load of `url` until `ready` (which returns performance.now() once it is), polled each frame. */
export async function coldTo(page, url, ready) {
	await page.goto(url);
	await page.waitForFunction(ready, null, { timeout: 120_000, polling: 'raf' });
	return page.evaluate(ready);
}

/** A cold page load of the experiments list, to its first row: the baseline of cold loads. */
export const coldList = (page) =>
	coldTo(page, './', () => (document.querySelector('[data-testid="experiments"] tbody tr') ? performance.now() : 0));

/** Replaces BENCHMARKS.md's `<!-- name:start -->…<!-- name:end -->` block, or adds it under `heading`. */
export function writeBlock(name, heading, body) {
	const file = join(root, 'BENCHMARKS.md');
	const block = `<!-- ${name}:start -->\n${body}\n<!-- ${name}:end -->`;
	const md = readFileSync(file, 'utf8');
	const re = new RegExp(`<!-- ${name}:start -->[\\s\\S]*<!-- ${name}:end -->`);
	writeFileSync(file, re.test(md) ? md.replace(re, () => block) : `${md.trimEnd()}\n\n## ${heading}\n\n${block}\n`);
	return block;
}
