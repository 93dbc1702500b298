import adapter from '@sveltejs/adapter-static';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

const testBuild = process.env.TRACKSIDE_TEST === '1';

/** @type {import('@sveltejs/kit').Config} */
export default {
	preprocess: vitePreprocess(),
	kit: {
		// Every route is prerendered as a shell; pages read their state from the query string, so the
		// output works from any static host and any sub-path without a server-side fallback.
		// `npm test` builds into its own folders (TRACKSIDE_TEST=1), so that it never rewrites the
		// build a running `npm start` is serving.
		adapter: adapter({ pages: testBuild ? 'build-test' : 'build', assets: testBuild ? 'build-test' : 'build', strict: true }),
		outDir: testBuild ? '.svelte-kit-test' : '.svelte-kit',
		paths: { base: process.env.BASE_PATH ?? '', relative: true },
		// Registered by the layout once the page has settled (see +layout.svelte), not at load.
		serviceWorker: { register: false },
		// Artifacts, notes and tags are untrusted: no script but the app's own (hashed), no plugins,
		// previews only from blob: URLs in sandboxed frames.
		csp: {
			mode: 'hash',
			directives: {
				'default-src': ['self'],
				'script-src': ['self', 'wasm-unsafe-eval'],
				'style-src': ['self', 'unsafe-inline'],
				'img-src': ['self', 'blob:', 'data:'],
				'media-src': ['self', 'blob:'],
				'frame-src': ['blob:'],
				'worker-src': ['self'],
				// http: and https: so a pull can reach the user's tracking server; no script can be injected to misuse it.
				'connect-src': ['self', 'blob:', 'http:', 'https:'],
				'object-src': ['none'],
				'base-uri': ['self'],
				// No form in the page may submit anywhere (notes cannot hold forms; this is the backstop).
				'form-action': ['none']
			}
		}
	}
};
