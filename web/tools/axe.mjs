// Runs axe-core on pages and prints serious/critical violations.
// node tools/axe.mjs BASE [login password] -- path...
import { chromium } from 'playwright-core';
import fs from 'node:fs';
import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
const axeSource = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const [base, ...rest] = process.argv.slice(2);
const sep = rest.indexOf('--');
const creds = sep >= 0 ? rest.slice(0, sep) : [];
const pages = sep >= 0 ? rest.slice(sep + 1) : rest;
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
let bad = 0;
for (const lang of (process.env.LANGS ?? 'vi,en').split(',')) for (const width of [1280, 360]) {
  const ctx = await browser.newContext({ viewport: { width, height: 900 } });
  await ctx.addInitScript((l) => localStorage.setItem('tinhso.lang', l), lang);
  const page = await ctx.newPage();
  if (creds.length === 2) {
    await page.goto(base + '/dang-nhap');
    await page.fill('#login-name', creds[0]);
    await page.fill('#login-password', creds[1]);
    await page.click('[data-testid=login-submit]');
    await page.waitForSelector('[data-testid=logout]');
  }
  for (const p of pages) {
    await page.goto(base + p, { waitUntil: 'networkidle' });
    await page.waitForTimeout(300);
    // CSP forbids inline scripts in the page, so inject axe through the automation channel.
    await page.evaluate(axeSource);
    const res = await page.evaluate(async () => await window.axe.run(document, { resultTypes: ['violations'] }));
    const v = res.violations.filter((x) => x.impact === 'serious' || x.impact === 'critical');
    bad += v.length;
    console.log(`${lang} ${width} ${p}: ${v.length ? v.map((x) => `${x.id}(${x.nodes.length}): ${x.nodes.slice(0, 2).map((n) => n.target.join(' ')).join(' | ')}`).join('; ') : 'ok'}`);
  }
  await ctx.close();
}
await browser.close();
process.exit(bad ? 1 : 0);
