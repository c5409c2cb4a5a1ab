// Screenshots for a quick visual check: node tools/shot.mjs BASE OUTDIR [login password] -- path...
// Launches Debian's /usr/bin/chromium through playwright-core (never downloads a browser).
import { chromium } from 'playwright-core';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const [base, out, ...rest] = process.argv.slice(2);
const sep = rest.indexOf('--');
const creds = sep >= 0 ? rest.slice(0, sep) : [];
const pages = sep >= 0 ? rest.slice(sep + 1) : rest;
const widths = (process.env.WIDTHS ?? '1280,360').split(',').map(Number);
const langs = (process.env.LANGS ?? 'vi').split(',');
fs.mkdirSync(out, { recursive: true });
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'chr-'));
const ctx = await chromium.launchPersistentContext(dir, {
  executablePath: '/usr/bin/chromium',
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const page = ctx.pages()[0] ?? (await ctx.newPage());
const errors = [];
page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
page.on('pageerror', (e) => errors.push(String(e)));
if (creds.length === 2) {
  await page.goto(base + '/dang-nhap');
  await page.fill('#login-name', creds[0]);
  await page.fill('#login-password', creds[1]);
  await page.click('[data-testid=login-submit]');
  await page.waitForTimeout(800);
}
for (const lang of langs) {
  await page.goto(base + '/');
  await page.evaluate((l) => localStorage.setItem('tinhso.lang', l), lang);
  for (const w of widths) {
    await page.setViewportSize({ width: w, height: 900 });
    for (const p of pages) {
      const t0 = Date.now();
      await page.goto(base + p, { waitUntil: 'networkidle' });
      await page.waitForTimeout(400);
      const name = `${p.replace(/[^a-z0-9]+/gi, '_') || 'home'}_${lang}_${w}.png`;
      await page.screenshot({ path: path.join(out, name), fullPage: process.env.FULL === '1' });
      console.log(name, Date.now() - t0, 'ms');
    }
  }
}
if (errors.length) console.log('console errors:', errors.slice(0, 10));
await ctx.close();
fs.rmSync(dir, { recursive: true, force: true });
