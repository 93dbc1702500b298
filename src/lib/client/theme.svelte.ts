/**
 * Light or dark. By default the system's choice (prefers-color-scheme, in CSS); the header's toggle
 * can pin one, kept in this browser. Canvas charts read their colours from the CSS variables
 * (`cssColor`) when they draw, and read `theme.dark` so that they draw again when it changes.
 */
export type ThemeChoice = 'system' | 'light' | 'dark';

const KEY = 'trackside:theme';
const media = () => (typeof matchMedia === 'undefined' ? undefined : matchMedia('(prefers-color-scheme: dark)'));

export const theme = $state({ choice: 'system' as ThemeChoice, dark: false });

function apply(): void {
	const root = document.documentElement;
	if (theme.choice === 'system') delete root.dataset.theme;
	else root.dataset.theme = theme.choice;
	theme.dark = theme.choice === 'dark' || (theme.choice === 'system' && !!media()?.matches);
}

/** Reads the kept choice and follows the system's; called once by the layout. */
export function initTheme(): void {
	const kept = localStorage.getItem(KEY);
	theme.choice = kept === 'light' || kept === 'dark' ? kept : 'system';
	apply();
	media()?.addEventListener('change', apply);
}

export function setTheme(choice: ThemeChoice): void {
	theme.choice = choice;
	if (choice === 'system') localStorage.removeItem(KEY);
	else localStorage.setItem(KEY, choice);
	apply();
}

let probe: HTMLElement | undefined;

/**
 * A CSS colour variable's current value as a colour a canvas takes, e.g. `cssColor('--chart-text')`.
 * The variables hold `light-dark(…, …)`, which only an element's computed colour resolves.
 */
export function cssColor(name: string): string {
	if (!probe) {
		probe = document.createElement('span');
		probe.hidden = true;
		document.body.append(probe);
	}
	probe.style.color = `var(${name})`;
	return getComputedStyle(probe).color;
}
