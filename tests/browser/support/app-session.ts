import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Browser, BrowserContext, Page } from 'playwright-core';

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface OpenedPage {
  page: Page;
  /** Console errors and uncaught exceptions seen since the page opened. */
  errors: string[];
}

/** A new tab of a signed-in context, collecting console errors. */
export async function openTab(context: BrowserContext): Promise<OpenedPage> {
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`${m.text()} (${m.location().url})`);
  });
  page.on('pageerror', (e) => errors.push(e.message));
  return { page, errors };
}

/**
 * A browser session signed in as a person, the way people sign in: the app sends the browser to
 * the local issuer's login page, the form is filled and sent, the issuer sends it back with a code.
 * The issuer's session cookie then signs the context's further tabs in without the form.
 */
export async function signedInContext(browser: Browser, baseUrl: string, email: string, password: string): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: { width: 1360, height: 900 } });
  const { page } = await openTab(context);
  await page.goto(`${baseUrl}/`);
  await page.locator('input[name=login]').fill(email);
  await page.locator('input[name=password]').fill(password);
  await page.locator('button[type=submit], input[type=submit]').first().click();
  await page.getByRole('navigation', { name: 'Pages' }).waitFor();
  await page.close();
  return context;
}

/** axe-core's serious and critical violations on the page as it is now (WCAG 2.1 A and AA rules). */
export async function axeViolations(page: Page): Promise<{ id: string; impact: string; help: string; targets: string[] }[]> {
  await page.addScriptTag({ content: axeSource });
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (ctx: unknown, opts: unknown) => Promise<{ violations: any[] }> } }).axe;
    const { violations } = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    return violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.slice(0, 5).map((n: { target: string[] }) => n.target.join(' ')) }));
  });
}

/** Clicks the bar Chart.js drew for (dataset, index) in the canvas matching `selector`. */
export async function clickBar(page: Page, selector: string, datasetIndex: number, index: number) {
  const canvas = page.locator(selector);
  const point = await canvas.evaluate(
    (el, [d, i]) => {
      const chart = (el as HTMLCanvasElement & { chart: { getDatasetMeta(d: number): { data: { x: number; y: number; base?: number }[] } } }).chart;
      const bar = chart.getDatasetMeta(d).data[i]!;
      // The middle of the bar, in CSS pixels of the canvas.
      return { x: bar.x, y: bar.base !== undefined ? (bar.y + bar.base) / 2 : bar.y };
    },
    [datasetIndex, index] as const,
  );
  await canvas.click({ position: point });
}
