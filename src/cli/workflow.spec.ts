/**
 * The GitHub Pages workflow, checked as GitHub reads it (actionlint is not installed here): its
 * triggers, the permissions deploy-pages needs, each action at a major version, and a build that
 * is this repository's own: `npm run build` exists and writes the folder the workflow uploads.
 * CI runs that same build (npm pack's prepack, scripts/check-package.sh).
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

const root = new URL('../../', import.meta.url);
const workflow = parse(readFileSync(new URL('.github/workflows/pages.yml', root), 'utf8'));
const pkg = JSON.parse(readFileSync(new URL('package.json', root), 'utf8'));
const svelteConfig = readFileSync(new URL('svelte.config.js', root), 'utf8');

interface Step {
	uses?: string;
	run?: string;
	with?: Record<string, unknown>;
	id?: string;
}

describe('the Pages workflow', () => {
	it('runs on pushes to main and by hand, with the permissions Pages deployment needs', () => {
		expect(workflow.on.push.branches).toEqual(['main']);
		expect(workflow.on).toHaveProperty('workflow_dispatch');
		expect(workflow.permissions).toEqual({ contents: 'read', pages: 'write', 'id-token': 'write' });
	});

	it('builds with this repository’s build and uploads what it writes', () => {
		const steps: Step[] = workflow.jobs.build.steps;
		for (const s of steps) expect(s.uses ?? s.run, JSON.stringify(s)).toBeTruthy();
		for (const s of steps.filter((s) => s.uses)) expect(s.uses).toMatch(/^actions\/[\w-]+@v\d+$/);
		expect(steps.find((s) => s.uses?.startsWith('actions/setup-node'))?.with?.['node-version']).toBe(
			Number(pkg.engines.node.match(/\d+/)[0])
		);
		const runs = steps.filter((s) => s.run).map((s) => s.run!.split(' ').slice(0, 3).join(' '));
		expect(runs).toEqual(['npm ci --no-audit', 'npm run build']);
		expect(pkg.scripts.build).toBe('vite build');
		const upload = steps.find((s) => s.uses?.startsWith('actions/upload-pages-artifact'));
		// The adapter's output folder (outside the test build) is what is uploaded.
		expect(svelteConfig).toMatch(new RegExp(`pages: testBuild \\? 'build-test' : '${upload?.with?.path}'`));
	});

	it('deploys after the build, to the github-pages environment', () => {
		const deploy = workflow.jobs.deploy;
		expect(deploy.needs).toBe('build');
		expect(deploy.environment.name).toBe('github-pages');
		const step: Step = deploy.steps[0];
		expect(step.uses).toMatch(/^actions\/deploy-pages@v\d+$/);
		expect(deploy.environment.url).toBe(`\${{ steps.${step.id}.outputs.page_url }}`);
	});
});
