import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';

export default defineConfig({
	plugins: [sveltekit()],
	worker: { format: 'es' },
	optimizeDeps: { exclude: ['sql.js'] },
	test: {
		include: ['src/**/*.spec.ts'],
		testTimeout: 60_000
	}
});
