/**
 * Markdown of notes and descriptions (untrusted: they come from imported data) as sanitized HTML:
 * marked renders, DOMPurify removes scripts, event handlers and javascript: URLs.
 */
import { marked } from 'marked';
import DOMPurify from 'dompurify';

export function markdownToHtml(source: string): string {
	const html = marked.parse(source, { async: false, gfm: true, breaks: false });
	return DOMPurify.sanitize(html, { USE_PROFILES: { html: true } });
}
