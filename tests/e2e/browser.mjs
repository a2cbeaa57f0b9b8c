// browser.mjs - what the browser tests share: Debian's chromium driven by playwright-core on a 360 px phone,
// axe-core's WCAG 2 A/AA rules on the page as it is, the check that nothing is wider than the phone, and
// the CSP refusals and script errors a page met (problems).  Used by wo_config.test.mjs, status.test.mjs and calendar.test.mjs.
import assert from 'node:assert/strict';
import { readFileSync, existsSync, mkdirSync } from 'node:fs';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const ART = join(ROOT, 'build/e2e-artifacts');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const AXE = join(ROOT, 'node_modules/axe-core/axe.min.js');
export const PHONE = { width: 360, height: 740 };

let chromium = null;
try {
  ({ chromium } = await import('playwright-core'));
} catch { /* reported by phone() */ }

/**
 * A phone's browser: { browser, page, problems, assertAccessible(where), assertFits() }.  bypassCSP lets axe-core
 * be injected as an inline script (workflow.test.mjs checks the CSP itself).
 */
export async function phone() {
  const missing = !chromium ? 'playwright-core is not installed (make deps)'
    : !existsSync(CHROMIUM) ? `no browser at ${CHROMIUM} (apt-get install chromium)`
      : !existsSync(AXE) ? 'axe-core is not installed (make deps)' : null;
  if (missing) throw new Error(`the browser tests cannot run: ${missing}`);
  mkdirSync(ART, { recursive: true });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
  const ctx = await browser.newContext({ viewport: PHONE, locale: 'zh-CN', deviceScaleFactor: 1, hasTouch: true, bypassCSP: true });
  const page = await ctx.newPage();
  const problems = [];
  page.setDefaultTimeout(10000);
  page.on('console', (m) => { if (/Content Security Policy|Refused to/i.test(m.text())) problems.push(m.text()); });
  page.on('pageerror', (e) => problems.push(e.message));
  return {
    browser, page, problems,
    async assertAccessible(where) {
      if (!(await page.evaluate(() => typeof window.axe !== 'undefined'))) await page.addScriptTag({ content: readFileSync(AXE, 'utf8') });
      const res = await page.evaluate(() => window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa'] } }));
      const found = res.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
      assert.deepEqual(found, [], `${where}: ${found.join('; ')}`);
    },
    async assertFits() {
      const { sw, w } = await page.evaluate(() => ({ sw: document.documentElement.scrollWidth, w: window.innerWidth }));
      assert.ok(sw <= w, `page is ${sw} px wide on a ${w} px screen`);
    },
  };
}

/** Logs page in at base as login with password, through the login page, and waits for the menu. */
export async function logIn(page, base, login, password) {
  await page.goto(`${base}/#/login`);
  await page.locator('input[name=login]').fill(login);
  await page.locator('input[name=password]').fill(password);
  await page.getByRole('button', { name: '登录', exact: true }).click();
  await page.locator('#site-nav').waitFor({ state: 'visible' });
}
