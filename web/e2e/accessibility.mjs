// axe-core on every main page, in Vietnamese and English, at 1280 and 360 px: fails on any
// serious or critical violation (listed with rule, page and elements). Every page is also
// checked for untranslated keys, raw errors, blank states and (at 360 px) sideways scrolling.
// Saves a screenshot of each main page: <name>.png (vi, 1280) and <name>-en-360.png.
//
//   node e2e/accessibility.mjs [--langs vi,en] [--widths 1280,360]
import fs from 'node:fs';
import { createRequire } from 'node:module';
import {
  apiSession, args, check, checkNoProblems, checkPage, launchBrowser, log, newContext, run, screenshot, signIn,
  startServer, step, TestFailure,
} from './harness.mjs';

const require = createRequire(import.meta.url);
const AXE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const opt = args({ langs: 'vi,en', widths: '1280,360' });
const PROC = '1.003725';

/** Signs in through the API (setup only) and returns a function to POST with the CSRF header. */
async function apiAs(ctx, login) {
  const api = await apiSession(ctx, login);
  return (path, body, headers = {}) => api.post(path, body, { headers });
}

const PDF_B64 = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Count 0/Kids[]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n').toString('base64');
function submission(facility) {
  return {
    procedure_code: PROC,
    channel: 'online',
    applicant: { kind: 1, name: 'Nguyễn Thị Lan', id_number: '019190000001', phone: '0912345678', email: 'lan.nguyen@example.vn', address: '' },
    form: {
      ten_co_so: facility,
      ma_so_thue: '4700123452',
      dia_chi: 'Số 12, phường Đức Xuân',
      nguoi_dung_dau: 'Nguyễn Thị Lan',
      noi_dung_in: 'In',
      so_thiet_bi: 2,
      so_dien_thoai: '0912345678',
    },
    files: ['TP1', 'TP2', 'TP3'].map((c) => ({ component: c, name: `${c.toLowerCase()}.pdf`, content_base64: PDF_B64 })),
  };
}

run('accessibility', async () => {
  const server = await startServer({ dossiers: 200 });
  const browser = await launchBrowser();

  // Data for the pages: a dossier that reception accepted (it has a code and a lookup
  // secret) and one waiting for reception (so the officer page offers actions).
  step('setup: dossiers');
  const citizenApi = await newContext(browser, server);
  const asCitizen = await apiAs(citizenApi, '019190000001');
  const accepted = await asCitizen('/api/v1/dossiers', submission('Cơ sở in A'), { 'Idempotency-Key': 'e2e-a11y-1' });
  const waiting = await asCitizen('/api/v1/dossiers', submission('Cơ sở in B'), { 'Idempotency-Key': 'e2e-a11y-2' });
  const receptionApi = await newContext(browser, server);
  const asReception = await apiAs(receptionApi, 'motcua');
  await asReception(`/api/v1/dossiers/${accepted.id}/accept`, { version: accepted.version });
  const acc = await (await citizenApi.request.get(`/api/v1/dossiers/${accepted.id}`)).json();
  check(acc.code && acc.lookup_secret, `accepted dossier has a code and secret: ${JSON.stringify(acc).slice(0, 300)}`);
  await citizenApi.close();
  await receptionApi.close();
  log(`dossiers ${accepted.id} (${acc.code}) and ${waiting.id}`);

  const ready = (sel) => async (page) => page.locator(sel).first().waitFor();
  // name → who, where, what shows that the page is ready (and optional extra state to show)
  const PAGES = [
    { name: 'portal-home', login: null, path: '/', ready: ready('[data-testid=procedure-result]') },
    { name: 'portal-search', login: null, path: '/?q=co+so+in', ready: ready(`[data-testid="procedure-link-${PROC}"]`) },
    { name: 'procedure', login: null, path: `/thu-tuc?ma=${PROC}`, ready: ready('[data-testid=submit-online]') },
    { name: 'lookup-empty', login: null, path: '/tra-cuu', ready: ready('[data-testid=lookup-form]') },
    { name: 'lookup', login: null, path: `/tra-cuu?ma=${encodeURIComponent(acc.code)}&k=${encodeURIComponent(acc.lookup_secret)}`, ready: ready('[data-testid=lookup-result]') },
    { name: 'verify-signature', login: null, path: '/kiem-tra-chu-ky', ready: ready('[data-testid=verify-form]') },
    { name: 'sign-in', login: null, path: '/dang-nhap', ready: ready('[data-testid=login-form]') },
    { name: 'not-found', login: null, path: '/khong-co-trang-nay', ready: ready('[data-testid=empty]') },
    { name: 'submission-form', login: '019190000001', path: `/thu-tuc/nop?ma=${PROC}`, ready: ready('[data-testid=to-review]') },
    {
      name: 'submission-form-errors',
      login: '019190000001',
      path: `/thu-tuc/nop?ma=${PROC}`,
      ready: async (page) => {
        await page.getByTestId('to-review').click();
        await page.getByTestId('error-summary').waitFor();
      },
    },
    { name: 'my-dossiers', login: '019190000001', path: '/ho-so-cua-toi', ready: ready('[data-testid=my-dossiers]') },
    { name: 'my-dossier', login: '019190000001', path: `/ho-so-cua-toi/${accepted.id}`, ready: ready('[data-testid=file-table]') },
    { name: 'officer-workspace', login: 'motcua', path: '/mot-cua?hang=receive', ready: ready('[data-testid=dossier-table]') },
    {
      name: 'officer-dossier',
      login: 'motcua',
      path: `/mot-cua/ho-so/${waiting.id}`,
      ready: async (page) => {
        await page.getByTestId('action-reject').click();
        await page.getByTestId('action-panel').waitFor();
      },
    },
    { name: 'officer-dossier-accepted', login: 'motcua', path: `/mot-cua/ho-so/${accepted.id}`, ready: ready('[data-testid=form-receipt]') },
    { name: 'dashboard', login: 'lanhdao.tinh', path: '/bang-dieu-khien', ready: ready('[data-testid=dash-table]') },
    { name: 'admin-agencies', login: 'quantri', path: '/quan-tri/co-quan', ready: ready('#ag-tree') },
    { name: 'admin-users', login: 'quantri', path: '/quan-tri/tai-khoan', ready: ready('[data-testid=users-table]') },
    { name: 'admin-catalog', login: 'quantri', path: '/quan-tri/thu-tuc', ready: ready('#cat-list ~ * table, #cat-list + table, main table') },
    { name: 'admin-calendar', login: 'quantri', path: '/quan-tri/lich', ready: ready('[data-testid=calendar-table]') },
  ];

  const violations = [];
  const pageProblems = [];
  const seen = new Map(); // rule → pages, for the summary
  for (const width of opt.widths.split(',').map(Number)) {
    for (const lang of opt.langs.split(',')) {
      for (const login of [...new Set(PAGES.map((p) => p.login))]) {
        const ctx = await newContext(browser, server, { lang, width });
        const page = await ctx.newPage();
        if (login) {
          step(`${lang} ${width}: sign in ${login}`);
          await signIn(page, login);
        }
        for (const p of PAGES.filter((x) => x.login === login)) {
          step(`${lang} ${width}: ${p.name}`);
          await page.goto(p.path);
          await p.ready(page);
          // Nothing still loading (queue counts, charts' data, lazy chunks).
          await page.waitForFunction(() => ![...document.querySelectorAll('.loading')].some((el) => el.getClientRects().length > 0));
          try {
            await checkPage(page, { lang, width, what: `${p.name} (${lang}, ${width}px)` });
          } catch (e) {
            if (!(e instanceof TestFailure)) throw e;
            pageProblems.push(e.message);
          }
          if (lang === 'vi' && width === 1280) await screenshot(page, p.name);
          if (lang === 'en' && width === 360) await screenshot(page, `${p.name}-en-360`);
          // No hover state may hide a problem (a touch screen or a keyboard has none).
          await page.mouse.move(0, 0);
          if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE);
          const res = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
          for (const v of res.violations.filter((x) => x.impact === 'serious' || x.impact === 'critical')) {
            const nodes = v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ');
            const why = (v.nodes[0]?.failureSummary ?? '').replace(/\s+/g, ' ').slice(0, 200);
            violations.push(`${p.name} (${lang}, ${width}px): ${v.id} [${v.impact}] ×${v.nodes.length}: ${v.help} — ${nodes} — ${why}`);
            seen.set(v.id, [...(seen.get(v.id) ?? []), `${p.name}/${lang}/${width}`]);
          }
          log(`${p.name} ${lang} ${width}: ${res.violations.map((v) => `${v.id}:${v.impact}`).join(', ') || 'no violation'}`);
        }
        await checkNoProblems(ctx);
        await ctx.close();
      }
    }
  }
  // The pages the server draws (src/portal), as a browser without JavaScript gets them: the
  // app's scripts are refused, so what is on screen is the server's HTML; axe still runs (it
  // is evaluated by the test, not loaded by the page). Search, a procedure and the lookup work
  // through plain links and forms, in Vietnamese (390 px) and in English (1280 px, chosen by
  // the cookie the web UI sets).
  for (const [lang, width] of [['vi', 390], ['en', 1280]]) {
    const ctx = await browser.newContext({ viewport: { width, height: 844 }, baseURL: server.base, isMobile: width < 600 });
    if (lang === 'en') await ctx.addCookies([{ name: 'tinhso_lang', value: 'en', url: server.base }]);
    await ctx.route('**/assets/*.js', (route) => route.abort());
    const page = await ctx.newPage();
    const axeHere = async (name) => {
      await page.evaluate(AXE);
      const res = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
      for (const v of res.violations.filter((x) => x.impact === 'serious' || x.impact === 'critical')) {
        violations.push(`${name} without script (${lang}, ${width}px): ${v.id} [${v.impact}]: ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
      }
      if (lang === 'vi') await screenshot(page, `${name}-no-script-vi-${width}`);
    };
    const en = lang === 'en';
    step(`${lang} ${width} without script: home`);
    await page.goto('/');
    check((await page.getAttribute('html', 'lang')) === lang, `<html lang="${lang}">`);
    check((await page.locator('h3.sector-title').count()) > 1, 'the catalog grouped by competent agency');
    check(await page.locator('#main-nav a[href^="/tra-cuu"]').isVisible(), 'the navigation shows without the script (no menu button to open it)');
    check((await page.locator('#hero-title').innerText()).trim() === (en ? 'Public services portal' : 'Cổng dịch vụ công'), 'the home in the reader’s language');
    await axeHere('portal-home');
    step(`${lang} ${width} without script: search`);
    await page.fill('#proc-search', 'co so in');
    await Promise.all([page.waitForURL(/\?q=co\+so\+in/), page.press('#proc-search', 'Enter')]);
    const link = page.locator(`a[href^="/thu-tuc?ma=${PROC}"]`).first();
    await link.waitFor();
    await axeHere('portal-search');
    step(`${lang} ${width} without script: procedure`);
    await Promise.all([page.waitForURL(/\/thu-tuc\?ma=/), link.click()]);
    check((await page.locator('.proc-actions a').innerText()).trim() === (en ? 'Apply online' : 'Nộp hồ sơ trực tuyến'), 'the procedure page offers to apply');
    await axeHere('procedure');
    step(`${lang} ${width} without script: lookup`);
    await page.goto('/tra-cuu');
    await page.fill('#lookup-code', acc.code);
    await page.fill('#lookup-secret', acc.lookup_secret);
    await Promise.all([page.waitForURL(/\/tra-cuu\?ma=/), page.press('#lookup-secret', 'Enter')]);
    const result = await page.locator('#lk-result').innerText();
    check(result.includes(acc.code), `the lookup shows the dossier: ${result}`);
    const body = await page.locator('main').innerText();
    check(body.includes(en ? 'Received' : 'Được tiếp nhận') || body.includes(en ? 'In progress' : 'Đang xử lý'), `the lookup shows the status: ${body.slice(0, 400)}`);
    await axeHere('lookup');
    step(`${lang} ${width} without script: a wrong lookup code`);
    await page.goto(`/tra-cuu?ma=${encodeURIComponent(acc.code)}&k=SAI00000`);
    check((await page.locator('main [role=alert]').count()) === 1, 'a wrong lookup code is said, not shown as a dossier');
    check((await page.locator('#lk-result').count()) === 0, 'no dossier for a wrong lookup code');
    await ctx.close();
  }

  step('summary');
  for (const [id, pages] of seen) log(`rule ${id}: ${pages.length} page(s): ${pages.join(', ')}`);
  const all = [...pageProblems.map((m) => `page check: ${m}`), ...violations.map((m) => `axe: ${m}`)];
  check(all.length === 0, `${all.length} problem(s):\n    ${all.join('\n    ')}`);
}, { deadlineMs: Number(process.env.E2E_DEADLINE_MS || 540_000) });
