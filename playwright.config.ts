import { defineConfig, devices } from '@playwright/test';

// Debian's Chromium (apt-get install chromium); Playwright's own browser download is never used.
const executablePath = process.env.CHROMIUM_PATH ?? '/usr/lib/chromium/chromium';
// The tests run against the test build (npm run build:test): the preview server serves it, and
// specs that publish or serve the built site in-process read it (src/cli/main.ts, persistence.spec).
process.env.TRACKSIDE_TEST = '1';

export default defineConfig({
	testDir: 'tests/e2e',
	timeout: 60_000,
	fullyParallel: false,
	workers: 1,
	retries: process.env.CI ? 1 : 0,
	reporter: [['list']],
	// The test build (npm run build:test: .svelte-kit-test/, build-test/) on its own port, apart from
	// what `npm start` serves on 4173.
	webServer: {
		command: 'npx vite preview --port 4174 --strictPort',
		env: { TRACKSIDE_TEST: '1' },
		port: 4174,
		reuseExistingServer: !process.env.CI
	},
	use: {
		baseURL: 'http://localhost:4174',
		trace: 'off',
		screenshot: 'only-on-failure'
	},
	projects: [
		{
			name: 'chromium',
			use: {
				...devices['Desktop Chrome'],
				viewport: { width: 1400, height: 900 },
				launchOptions: { executablePath, args: ['--disable-background-networking', '--disable-component-update', '--no-first-run'] }
			}
		}
	]
});
