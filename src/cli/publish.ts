/**
 * `trackside publish`: the built app plus one snapshot, as a folder any static host serves (a
 * sub-path works: the app uses relative URLs). Every page of the app gets a
 * `<meta name="trackside-snapshot">` naming the snapshot beside it, so the site opens straight
 * into it, read-only; no script is added (the site's CSP allows only its own).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

export const SNAPSHOT_FILE = 'snapshot.trackside';

function walk(dir: string, out: string[] = []): string[] {
	for (const name of readdirSync(dir)) {
		const p = join(dir, name);
		if (statSync(p).isDirectory()) walk(p, out);
		else out.push(p);
	}
	return out;
}

/** The app's files, each page naming the snapshot (written beside them by the caller). */
export function publishSite(site: string): Map<string, Uint8Array> {
	if (!existsSync(join(site, 'index.html'))) throw new Error(`the app is not built (${site} has no index.html): run npm run build first`);
	const files = new Map<string, Uint8Array>();
	for (const file of walk(site)) {
		const path = relative(site, file).split(sep).join('/');
		let bytes: Uint8Array = readFileSync(file);
		if (path.endsWith('.html')) {
			// Relative to each page: `run/index.html` finds `../snapshot.trackside`.
			const up = '../'.repeat(path.split('/').length - 1);
			const html = new TextDecoder()
				.decode(bytes)
				.replace('<head>', `<head>\n\t\t<meta name="trackside-snapshot" content="${up}${SNAPSHOT_FILE}" />`);
			bytes = new TextEncoder().encode(html);
		}
		files.set(path, bytes);
	}
	return files;
}

/**
 * Response headers for hosts that read a `_headers` file (Netlify, Cloudflare Pages). A page's
 * meta CSP cannot forbid framing or cover workers, so these add what only headers can: no framing
 * by other sites (clickjacking), no form posts, and for the worker scripts a CSP of their own that
 * lets them fetch only this site and http(s) servers (never data: or blob: URLs). They carry no
 * script-src for pages: the meta CSP's hashes stay in force (two CSPs both apply). README lists
 * the nginx and S3 equivalents.
 */
export const HEADERS_FILE = `/*
  Content-Security-Policy: frame-ancestors 'none'; form-action 'none'; object-src 'none'; base-uri 'self'
  X-Frame-Options: DENY
  X-Content-Type-Options: nosniff
  Referrer-Policy: no-referrer
/_app/immutable/workers/*
  Content-Security-Policy: default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; connect-src 'self' http: https:; frame-ancestors 'none'
/${SNAPSHOT_FILE}
  Cache-Control: public, max-age=300, must-revalidate
  Access-Control-Allow-Origin: *
  Access-Control-Expose-Headers: Content-Range, Content-Length
`;
