/**
 * Markdown of notes and descriptions (untrusted: they come from imported data and shared
 * snapshots) as sanitized HTML. marked renders; DOMPurify keeps an allow-list: text structure,
 * links and images, tables. Nothing that can position, cover, style or submit (no `style`,
 * `class` or `id`, no forms or inputs, no iframes), so a note cannot lay a fake dialog over the
 * app or post what a user types anywhere.
 */
import { marked } from 'marked';
import DOMPurify from 'dompurify';

const ALLOWED_TAGS = [
	'p',
	'br',
	'hr',
	'h1',
	'h2',
	'h3',
	'h4',
	'h5',
	'h6',
	'em',
	'strong',
	'del',
	's',
	'code',
	'pre',
	'blockquote',
	'ul',
	'ol',
	'li',
	'a',
	'img',
	'table',
	'thead',
	'tbody',
	'tr',
	'th',
	'td',
	'sup',
	'sub',
	'kbd'
];
const ALLOWED_ATTR = ['href', 'title', 'src', 'alt', 'align', 'start'];

let hooked = false;

export function markdownToHtml(source: string): string {
	if (!hooked) {
		// Links open elsewhere, without the app as their opener.
		DOMPurify.addHook('afterSanitizeAttributes', (node) => {
			if (node.tagName === 'A' && node.hasAttribute('href')) {
				node.setAttribute('target', '_blank');
				node.setAttribute('rel', 'noopener noreferrer nofollow');
			}
		});
		hooked = true;
	}
	const html = marked.parse(source, { async: false, gfm: true, breaks: false });
	return DOMPurify.sanitize(html, {
		ALLOWED_TAGS,
		ALLOWED_ATTR: [...ALLOWED_ATTR, 'target', 'rel'],
		ALLOW_DATA_ATTR: false,
		ALLOW_ARIA_ATTR: false,
		// http(s), mailto and in-page/relative links only.
		ALLOWED_URI_REGEXP: /^(?:https?:|mailto:|#|\/|\.{0,2}\/|[^:]*$)/i
	});
}
