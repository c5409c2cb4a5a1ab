// End-to-end smoke through the UI: a citizen applies online with a file, reception accepts,
// the officer forwards, the leader issues the result, reception returns it, the citizen rates.
// node tools/flow.mjs BASE OUTDIR [lang] [width]   (needs the demo accounts; see README)
import { chromium } from 'playwright-core';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const [base = 'http://127.0.0.1:18080', out = '/tmp/flow', lang = 'vi', width = '1280'] = process.argv.slice(2);
const PROC = process.env.PROC ?? '1.005092';
const OFFICER = process.env.OFFICER ?? 'cv.giaoduc';
const LEADER = process.env.LEADER ?? 'ld.giaoduc';
const PW = 'demo-tinhso-2026';
fs.mkdirSync(out, { recursive: true });
const pdf = path.join(out, 'to-khai.pdf');
fs.writeFileSync(pdf, '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Count 0/Kids[]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'chr-'));
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
let step = 0;
async function session(login, fn) {
  const ctx = await browser.newContext({ viewport: { width: Number(width), height: 900 } });
  await ctx.addInitScript((l) => localStorage.setItem('tinhso.lang', l), lang);
  const page = await ctx.newPage();
  page.on('pageerror', (e) => console.log('PAGE ERROR', String(e)));
  await page.goto(base + '/dang-nhap');
  await page.fill('[data-testid=login-name]', login);
  await page.fill('[data-testid=login-password]', PW);
  await page.click('[data-testid=login-submit]');
  await page.waitForSelector('[data-testid=logout]');
  try {
    return await fn(page);
  } catch (e) {
    await page.screenshot({ path: path.join(out, `fail-${login}.png`), fullPage: true });
    throw e;
  } finally {
    await ctx.close();
  }
}
const shot = (page, name) => page.screenshot({ path: path.join(out, `${String(++step).padStart(2, '0')}-${name}.png`), fullPage: true });

async function act(page, id, action, fill) {
  await page.goto(`${base}/mot-cua/ho-so/${id}`);
  await page.click(`[data-testid=action-${action}]`);
  if (fill) await fill(page);
  await page.click('[data-testid=act-confirm]');
  await page.waitForSelector('[data-testid=notice]');
  await shot(page, action);
}

const id = await session('019190000001', async (page) => {
  await page.goto(base + '/');
  await page.fill('[data-testid=procedure-search]', 'cap ban sao van bang');
  await page.waitForSelector(`[data-testid="procedure-link-${PROC}"]`);
  await shot(page, 'search');
  await page.click(`[data-testid="procedure-link-${PROC}"]`);
  await page.click('[data-testid=submit-online]');
  await page.waitForSelector('[data-testid=to-review]');
  for (const el of await page.$$('[data-testid^="form-"]')) {
    const tag = await el.evaluate((e) => e.tagName.toLowerCase());
    const type = await el.getAttribute('type');
    const name = await el.getAttribute('name');
    if (tag === 'select') {
      const opts = await el.$$eval('option', (o) => o.map((x) => x.value).filter(Boolean));
      await el.selectOption(opts[0]);
    } else if (type === 'date') await el.fill('1990-05-17');
    else if (type === 'number') await el.fill(String(await el.getAttribute('min') === '1950' ? 2008 : 1));
    else if (type === 'tel') await el.fill('0912345678');
    else if (type === 'email') await el.fill('lan@example.vn');
    else if (type === 'checkbox') await el.check();
    else if (/dinh_danh|cccd/.test(name ?? '')) await el.fill('019190000001');
    else await el.fill('Nguyễn Thị Lan');
  }
  await page.setInputFiles('[data-testid=file-input-TP1]', pdf);
  await shot(page, 'form');
  await page.click('[data-testid=to-review]');
  await page.waitForSelector('[data-testid=confirm-submit]');
  await shot(page, 'review');
  await page.check('[data-testid=declaration]');
  await page.click('[data-testid=confirm-submit]');
  await page.waitForSelector('[data-testid=receipt]');
  await shot(page, 'receipt');
  return (await page.textContent('[data-testid=receipt-id]')).trim();
});
console.log('submitted dossier', id);

await session('motcua', async (page) => {
  await page.goto(base + '/mot-cua?hang=receive');
  await page.waitForSelector('[data-testid=dossier-table], [data-testid=empty]');
  await shot(page, 'queue-receive');
  await act(page, id, 'accept');
});
await session(OFFICER, (page) => act(page, id, 'forward'));
await session(LEADER, async (page) => {
  await page.goto(base + '/mot-cua?hang=approve');
  await page.waitForSelector('[data-testid=dossier-table], [data-testid=empty]');
  await shot(page, 'queue-approve');
  await act(page, id, 'issue_result');
});
await session('motcua', (page) => act(page, id, 'return'));
await session('lanhdao.tinh', async (page) => {
  await page.goto(base + '/bang-dieu-khien');
  await page.waitForSelector('[data-testid=kpis]');
  await page.waitForTimeout(800);
  await shot(page, 'dashboard');
});
await session('019190000001', async (page) => {
  await page.goto(`${base}/ho-so-cua-toi/${id}`);
  await page.click('[data-testid=rating-3]');
  await page.click('[data-testid=rate-send]');
  await page.waitForSelector('[data-testid=notice]');
  await shot(page, 'rated');
  const code = (await page.textContent('[data-testid=dossier-code]')).trim();
  console.log('code', code, 'status', (await page.textContent('[data-testid=dossier-status]')).trim());
});
await browser.close();
fs.rmSync(dir, { recursive: true, force: true });
console.log('flow ok');
