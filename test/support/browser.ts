// A real browser for tests: Debian's Chromium driven by playwright-core (no browser is ever
// downloaded), and what a test wants to know about a page a person opens in it — every request it
// made (to catch anything fetched from outside the gateway), console errors and uncaught
// exceptions, and an accessibility check by axe-core loaded from node_modules.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { chromium, type Browser, type BrowserContextOptions, type Page } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Chromium with nothing of its own on the network: no updates, sync, QUIC or background fetches. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** A phone-sized and a desktop-sized window, for pages that must read on both. */
export const PHONE: BrowserContextOptions = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true };
export const DESKTOP: BrowserContextOptions = { viewport: { width: 1280, height: 900 }, deviceScaleFactor: 1 };

export interface OpenedPage {
  page: Page;
  /** Every URL the page asked for, in order. */
  requests: string[];
  /** Console errors and uncaught exceptions (CSP violations show up here too). */
  errors: string[];
  close(): Promise<void>;
}

/**
 * Opens `url` in a fresh context (no cookies, no cache) and waits until the network is idle, or
 * only until `load` for an application (GraphiQL) whose editor may keep fetching; such a test waits
 * for what it reads instead.
 */
export async function openPage(
  browser: Browser,
  url: string,
  options: BrowserContextOptions & { javaScript?: boolean; waitUntil?: 'networkidle' | 'load' } = {},
): Promise<OpenedPage> {
  const { javaScript = true, waitUntil = 'networkidle', ...contextOptions } = options;
  const context = await browser.newContext({ ...contextOptions, javaScriptEnabled: javaScript });
  const page = await context.newPage();
  const requests: string[] = [];
  const errors: string[] = [];
  page.on('request', (request) => requests.push(request.url()));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(url, { waitUntil });
  return { page, requests, errors, close: () => context.close() };
}

/** The requests that went anywhere but `origin` (data: URLs count as local). */
export const requestsOutside = (opened: OpenedPage, origin: string) =>
  opened.requests.filter((url) => !url.startsWith(`${origin}/`) && !url.startsWith('data:'));

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[]; failureSummary?: string }[];
}

/**
 * Runs axe-core in the page (WCAG 2.1 A and AA rules) and returns its violations. The script
 * goes in through the DevTools protocol, so the page's Content-Security-Policy is not loosened.
 */
export async function accessibilityViolations(page: Page): Promise<AxeViolation[]> {
  await page.evaluate(axeSource);
  return page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run(context: unknown, options: unknown): Promise<{ violations: AxeViolation[] }> } }).axe;
    const result = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] } });
    return result.violations.map(({ id, impact, help, nodes }) => ({
      id,
      impact,
      help,
      nodes: nodes.map(({ target, failureSummary }) => ({ target, failureSummary })),
    }));
  });
}

/** Violations as readable lines, for an assertion message. */
export const describeViolations = (violations: AxeViolation[]) =>
  violations
    .map((violation) => `${violation.id} (${violation.impact}): ${violation.help} — ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`)
    .join('\n');
