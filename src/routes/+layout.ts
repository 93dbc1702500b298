// A static shell: every page renders in the browser, state comes from the query string.
export const prerender = true;
export const ssr = false;
export const trailingSlash = 'always';
