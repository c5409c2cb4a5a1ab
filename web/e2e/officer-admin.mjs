// What officers and administrators expect (issue 16 §4), in one language at one width:
//   1. the dashboard: each figure defined once on the server ("Cách tính"), parts that add up to
//      the totals, the same on-time rate everywhere, the language's number formats in the cards,
//      the table and the charts' tooltips, one colour per meaning;
//   2. counter intake: find the applicant by CCCD (prefilled from the account), the procedure,
//      the component checklist, the receipt; the queue shows a reception date only once received;
//   3. the procedure editor is a form whose server errors land on their fields;
//   4. the agencies page shows the 2025 reorganisation history, and each agency its own.
// Each page is checked by axe (no serious or critical violation) and by checkPage.
//
//   node e2e/officer-admin.mjs [--lang vi|en] [--width 390|1280] [--backend sqlite|postgres]
import { args, check, checkEq, COSTLY_TIMEOUT, checkNoProblems, checkPage, launchBrowser, log, newContext, parseCount, PASSWORD, run, screenshot, session, startServer, step, tr, checkAxe
} from './harness.mjs';

const opt = args({ lang: 'vi', width: '1280', backend: 'sqlite' });
const lang = opt.lang;
const width = Number(opt.width);
const PROC = '1.003725'; // Đăng ký hoạt động cơ sở in: three required papers, a province procedure
const CITIZEN = '019190000001';

// The formats each language writes (as web/src/lib/format.ts, checked here independently).
const NUM = lang === 'vi' ? /^\d{1,3}(\.\d{3})*(,\d+)?$/ : /^\d{1,3}(,\d{3})*(\.\d+)?$/;
const PCT = lang === 'vi' ? /^\d{1,3}(,\d)?\u00a0%$/ : /^\d{1,3}(\.\d)?%$/;
const pct = (ratio) => {
  const v = Math.round(ratio * 1000) / 10;
  return lang === 'vi' ? `${String(v).replace('.', ',')}\u00a0%` : `${v}%`;
};

const axe = (page, what) => checkAxe(page, what);
const ok = async (page, what) => {
  await page.waitForFunction(() => ![...document.querySelectorAll('.loading')].some((el) => el.getClientRects().length > 0));
  await checkPage(page, { lang, width, what: `${what} (${lang}, ${width}px)` });
  await axe(page, what);
};

run(`officer-admin-${lang}-${width}-${opt.backend}`, async () => {
  const server = await startServer({ backend: opt.backend, dossiers: 200 });
  const browser = await launchBrowser();

  // ---- 1. The dashboard ---------------------------------------------------------------------
  {
    const { ctx, page } = await session(browser, server, 'lanhdao.tinh', { lang, width });
    step('dashboard: figures from the server');
    // Once what the sign-in page started is over, the figures the page asks for.
    await page.goto('/bang-dieu-khien');
    await page.getByTestId('dash-table').waitFor();
    const byAgency = page.waitForResponse((r) => r.url().includes('/api/v1/statistics/dossiers') && r.url().includes('group_by=agency'));
    await page.reload();
    const stats = await (await byAgency).json();
    await page.getByTestId('dash-table').waitFor();
    await page.locator('section[aria-labelledby=ch-month] .chart svg').waitFor();
    const T = stats.total;
    check(T.received > 0, 'the demo has dossiers this year');
    checkEq(T.done + T.in_progress + T.closed, T.received, 'finished + in progress + withdrawn = received');
    checkEq(T.undue + T.overdue, T.in_progress, 'not yet due + overdue = in progress');
    checkEq(T.done_early + T.done_on_time + T.done_late, T.done, 'early + on time + late = finished');
    for (const k of ['received', 'in_progress', 'overdue', 'closed', 'done_early', 'done_on_time', 'done_late', 'online']) {
      checkEq(stats.rows.reduce((s, r) => s + r[k], 0), T[k], `the agencies' ${k} add up to the total`);
    }

    step('dashboard: the same figures on the page');
    const text = async (id) => (await page.getByTestId(id).innerText()).trim();
    checkEq(parseCount(await text('kpi-received-value')), T.received, 'received card');
    check(NUM.test(await text('kpi-received-value')), `received written as ${lang} writes numbers: ${await text('kpi-received-value')}`);
    const rate = await text('kpi-rate-value');
    check(PCT.test(rate), `on-time rate written as ${lang} writes percentages: ${JSON.stringify(rate)}`);
    checkEq(rate, pct(T.on_time_ratio), 'the on-time rate card is the server\'s rate');
    const footer = page.getByTestId('dash-total');
    checkEq((await footer.getByTestId('rate').innerText()).trim(), rate, 'the table\'s total rate is the card\'s');
    // Each row's parts add up, as shown.
    const cells = await page.locator('[data-testid=dash-table] tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.innerText.trim())));
    const sum = (i) => cells.reduce((s, row) => s + parseCount(row[i]), 0);
    const foot = await footer.locator('td').evaluateAll((tds) => tds.map((td) => td.innerText.trim()));
    for (let i = 0; i <= 6; i++) checkEq(sum(i), parseCount(foot[i]), `table column ${i + 1}: the rows add up to the total`);
    for (const row of cells) checkEq(parseCount(row[0]), parseCount(row[1]) + parseCount(row[2]) + parseCount(row[3]) + parseCount(row[4]) + parseCount(row[6]), 'a row: received = early + on time + late + in progress + withdrawn');

    step('dashboard: "Cách tính" says how each figure is computed');
    const def = stats.definitions.find((d) => d.key === 'on_time_ratio');
    check(def, 'the server defines the on-time rate');
    await page.getByTestId('definitions').locator('summary').click();
    checkEq((await text('def-on_time_ratio')), lang === 'en' ? def.text_en : def.text, 'the legend shows the server\'s definition');
    checkEq(await page.getByTestId('kpi-rate').getAttribute('title'), lang === 'en' ? def.text_en : def.text, 'the card\'s tooltip too');

    step('dashboard: chart tooltips in the language\'s formats');
    const monthChart = page.locator('section[aria-labelledby=ch-month] .chart');
    await monthChart.scrollIntoViewIfNeeded();
    const box = await monthChart.boundingBox();
    // ECharts' tooltip: the HTML box (no SVG in it) shown in the chart's container; waited for
    // after each move (it follows the pointer), not slept on.
    const handle = await monthChart.elementHandle();
    const tooltipText = (name) => page.waitForFunction(([el, n]) => {
      const shown = (d) => getComputedStyle(d).display !== 'none' && getComputedStyle(d).visibility !== 'hidden' && Number(getComputedStyle(d).opacity) > 0;
      const box = [...el.querySelectorAll('div')].find((d) => !d.querySelector('svg') && d.innerText.includes(n) && shown(d));
      return box ? box.innerText : false;
    }, [handle, name], { timeout: 3000 }).then((h) => h.jsonValue()).catch(() => '');
    let tipText = '';
    // The latest months (the right end) have dossiers: hover there until the tooltip shows.
    for (const fx of [0.9, 0.75, 0.6, 0.45]) {
      await page.mouse.move(box.x + box.width * fx, box.y + box.height * 0.6, { steps: 3 });
      tipText = (await tooltipText(tr(lang, 'dash.on_time_ratio'))).replace(/\s+/g, ' ');
      if (tipText) break;
    }
    check(tipText, 'a tooltip shows the month');
    const m = tipText.match(new RegExp(`${tr(lang, 'dash.on_time_ratio')}: (\\S+\\s?%)`));
    check(m && PCT.test(m[1].replace(' ', '\u00a0').replace(/\s%/, '\u00a0%')) && (lang === 'vi' ? /\s%/.test(m[1]) : /\d%/.test(m[1])), `tooltip rate in ${lang} format: ${tipText}`);
    if (lang === 'vi') check(!/\d\.\d\s?%/.test(tipText), `no English decimal point in a Vietnamese tooltip: ${tipText}`);

    step('dashboard: one colour per meaning');
    const colours = await page.locator('[data-testid=kpis] .kpi').evaluateAll((ks) => ks.map((k) => getComputedStyle(k).borderLeftColor));
    checkEq(new Set(colours).size, colours.length, 'each card its own colour');
    const late = await page.getByTestId('kpi-late').evaluate((k) => getComputedStyle(k).borderLeftColor);
    const ontime = await page.getByTestId('kpi-ontime').evaluate((k) => getComputedStyle(k).borderLeftColor);
    checkEq(late, 'rgb(185, 28, 28)', 'late is red');
    checkEq(ontime, 'rgb(21, 128, 61)', 'on time is green');
    const barFills = await page.locator('section[aria-labelledby=ch-agency] svg path').evaluateAll((ps) => [...new Set(ps.map((p) => (p.getAttribute('fill') || '').toLowerCase()))]);
    check(barFills.includes('#b91c1c') || barFills.includes('rgb(185,28,28)'), `the chart's late bars are the same red: ${barFills.join(' ')}`);
    await page.mouse.move(0, 0);
    await ok(page, 'dashboard');
    await screenshot(page, `officer-dashboard-${lang}-${width}`);
    await checkNoProblems(ctx);
    await ctx.close();
  }

  // ---- 2. Counter intake ---------------------------------------------------------------------
  let code;
  {
    step('setup: an online dossier waiting for reception at the counter');
    const api = await newContext(browser, server);
    const login = await api.request.post('/api/v1/auth/login', { data: { login: CITIZEN, password: PASSWORD, mode: 'cookie' }, timeout: COSTLY_TIMEOUT });
    check(login.ok(), `API sign-in: ${login.status()}`);
    const csrf = (await api.cookies()).find((c) => c.name === 'tinhso_csrf')?.value ?? '';
    const blankPdf = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Count 0/Kids[]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n').toString('base64');
    const online = await api.request.post('/api/v1/dossiers', {
      headers: { 'X-CSRF-Token': csrf, 'Idempotency-Key': 'e2e-officer-admin-1' },
      data: {
        procedure_code: PROC,
        channel: 'online',
        applicant: { kind: 1, name: 'Nguyễn Thị Lan', id_number: CITIZEN, phone: '0912345678' },
        form: { ten_co_so: 'Cơ sở in Ban Mai', ma_so_thue: '4700123452', dia_chi: 'Số 3, phường Đức Xuân', nguoi_dung_dau: 'Nguyễn Thị Lan', noi_dung_in: 'In', so_thiet_bi: 1, so_dien_thoai: '0912345678' },
        files: ['TP1', 'TP2', 'TP3'].map((c) => ({ component: c, name: `${c.toLowerCase()}.pdf`, content_base64: blankPdf })),
      },
    });
    check(online.ok(), `online submission: ${online.status()} ${await online.text()}`);
    await api.close();

    const { ctx, page } = await session(browser, server, 'motcua', { lang, width });
    step('queue: no reception date before reception');
    await page.goto('/mot-cua?hang=receive');
    await page.getByTestId('dossier-table').waitFor();
    const waiting = await page.getByTestId('received-cell').allInnerTexts();
    check(waiting.length > 0, 'dossiers wait for reception');
    for (const c of waiting) check(c.startsWith(tr(lang, 'ws.not_received')), `a dossier waiting for reception shows no reception date: ${c}`);

    step('counter: find the applicant by CCCD');
    await page.getByTestId('counter-intake-link').click();
    await page.getByRole('heading', { level: 1, name: tr(lang, 'counter.title') }).waitFor();
    await page.getByTestId('counter-id').fill(CITIZEN);
    await page.getByTestId('counter-find').click();
    await page.getByTestId('counter-found').waitFor();
    check((await page.getByTestId('counter-found').innerText()).startsWith(tr(lang, 'counter.found_account')), 'the account is found');
    const name = await page.getByTestId('ap-name').inputValue();
    check(name.length > 3, `the applicant's name is prefilled: ${name}`);

    step('counter: procedure, form and checklist');
    await page.getByTestId('counter-procedure').selectOption(PROC);
    await page.getByTestId('counter-checklist').waitFor();
    checkEq(await page.getByTestId('checklist-row').count(), 3, 'one row per component');
    const fill = { ten_co_so: 'Cơ sở in Hoa Mai', ma_so_thue: '4700123452', dia_chi: 'Số 12, phường Đức Xuân', nguoi_dung_dau: name, so_thiet_bi: '2', so_dien_thoai: '0912345678' };
    for (const [k, v] of Object.entries(fill)) await page.getByTestId(`form-${k}`).fill(v);
    await page.getByTestId('form-noi_dung_in').selectOption({ index: 1 });
    await page.getByTestId('tick-TP1').check();
    await page.getByTestId('form-of-TP2').selectOption('certified');
    await page.getByTestId('counter-accept').click();
    const errors = page.getByTestId('counter-errors');
    await errors.waitFor();
    check((await errors.innerText()).includes(tr(lang, 'counter.component_missing', { name: '' }).trim()), 'a missing required paper is named');
    await ok(page, 'counter intake with errors');
    await page.getByTestId('tick-TP2').check();
    await page.getByTestId('tick-TP3').check();
    const created = page.waitForResponse((r) => r.url().endsWith('/api/v1/dossiers') && r.request().method() === 'POST');
    await page.getByTestId('counter-accept').click();
    const res = await created;
    checkEq(res.status(), 201, 'the dossier is accepted');
    const sent = JSON.parse(res.request().postData());
    checkEq(sent.received_components.map((x) => x.component).sort().join(','), 'TP1,TP2,TP3', 'the checklist is sent');
    check(sent.received_components.find((x) => x.component === 'TP2').form === 'certified', 'TP2 as a certified copy');
    check(sent.channel === 'counter' && !('files' in sent), 'a counter dossier, not the online form');
    await page.getByTestId('counter-accepted').waitFor();
    code = (await page.getByTestId('counter-code').innerText()).trim();
    check(/^[\w.]+-\d{6}-\d{4}$/.test(code), `a dossier code: ${code}`);
    const receipt = await page.getByTestId('counter-receipt').getAttribute('href');
    const pdf = await ctx.request.get(receipt);
    checkEq(pdf.status(), 200, 'the receipt prints');
    checkEq(pdf.headers()['content-type'], 'application/pdf', 'the receipt is a PDF');
    await ok(page, 'counter intake accepted');
    await screenshot(page, `officer-counter-${lang}-${width}`);

    step('queue: the reception date once received');
    const timeline = await (await ctx.request.get(`/api/v1/dossiers/${(await res.json()).id}/events`)).json();
    const accept = (timeline.items ?? timeline).find((e) => e.action === 'accept');
    check(accept && JSON.stringify(accept).includes('TP2'), `the acceptance lists the papers received: ${JSON.stringify(accept).slice(0, 300)}`);
    await page.goto(`/mot-cua?status=2&q=${encodeURIComponent(code)}`);
    await page.getByTestId('dossier-table').waitFor();
    const received = await page.getByTestId('received-cell').allInnerTexts();
    check(received.length >= 1 && received.every((c) => /^\d{2}\/\d{2}\/\d{4}$/.test(c.trim())), `received dossiers show their reception date: ${received.join(' | ')}`);
    await checkNoProblems(ctx);
    await ctx.close();
  }

  // ---- 3. The procedure editor, 4. the reorganisation history --------------------------------
  {
    const { ctx, page } = await session(browser, server, 'quantri', { lang, width });
    step('catalog: the editor is a form');
    await page.goto('/quan-tri/thu-tuc');
    await page.getByRole('button', { name: tr(lang, 'admin.cat.edit_named', { code: PROC }) }).click();
    const editor = page.getByTestId('procedure-editor');
    await editor.waitFor();
    check((await page.locator('textarea.code').count()) === 0, 'no raw JSON to edit');
    checkEq(await page.locator('#p-name').inputValue(), 'Đăng ký hoạt động cơ sở in', 'the name in its box');
    checkEq(await page.locator('#p-processing_time-value').inputValue(), '5', 'the time limit in working days');
    checkEq(await page.getByTestId('component-row').count(), 3, 'the components');
    check(await page.locator('#p-components-0-required').isChecked(), 'a required component is ticked');

    step('catalog: the server\'s errors land on their fields');
    await editor.getByRole('button', { name: tr(lang, 'admin.proc.add_fee') }).click();
    await page.locator('#p-fees-0-name').fill('Lệ phí thẩm định');
    await page.locator('#p-fees-0-amount').fill('-1');
    await page.locator('#p-processing_time-value').fill('bảy');
    await page.getByTestId('procedure-save').click();
    await page.getByTestId('error-summary').waitFor();
    for (const id of ['p-fees-0-amount', 'p-processing_time-value']) {
      checkEq(await page.locator(`#${id}`).getAttribute('aria-invalid'), 'true', `${id} is marked invalid`);
      const msg = (await page.locator(`#${id}-error`).innerText()).trim();
      check(msg.length > 3, `${id} has its message beside it: ${msg}`);
      check((await page.getByTestId('error-summary').locator(`a[href="#${id}"]`).count()) === 1, `the summary links to ${id}`);
    }
    await ok(page, 'procedure editor with errors');
    await screenshot(page, `admin-procedure-editor-${lang}-${width}`);

    step('catalog: a valid change is saved');
    await page.locator('#p-fees-0-amount').fill('50000');
    await page.locator('#p-processing_time-value').fill('7');
    await page.locator('#p-components-2-required').uncheck();
    const imported = page.waitForResponse((r) => r.url().endsWith('/api/v1/procedures/import'));
    await page.getByTestId('procedure-save').click();
    const answer = await imported;
    check(answer.ok(), `the corrected procedure is saved: ${answer.status()} ${await answer.text()}`);
    await editor.waitFor({ state: 'detached' });
    const saved = await (await ctx.request.get(`/api/v1/procedures/${PROC}`)).json();
    checkEq(saved.processing_time?.value ?? saved.processing_time, 7, 'the new time limit');
    checkEq(saved.fees?.[0]?.amount, 50000, 'the new fee');
    checkEq(saved.components?.[2]?.required, false, 'the third component is now optional');

    step('agencies: the 2025 reorganisation history');
    const all = await (await ctx.request.get('/api/v1/agencies/reorganisations?limit=500')).json();
    check(all.total >= 60, `the demo's 2025 reorganisations are recorded: ${all.total}`);
    await page.goto('/quan-tri/co-quan');
    const history = page.getByTestId('reorg-history');
    await history.waitFor();
    checkEq(await history.getByTestId('history-item').count(), all.total, 'every reorganisation in the history');
    // A merge into an agency that exists today (the tree shows only those).
    let merge;
    let targetView;
    for (const r of all.items.filter((x) => x.kind === 'merge')) {
      const t = r.agencies.find((a) => a.role === 'target' || a.role === 'created');
      const view = t && (await (await ctx.request.get(`/api/v1/agencies/${t.agency_id}`)).json());
      if (view?.current && view.level > 1) {
        merge = r;
        targetView = view;
        break;
      }
    }
    check(merge, 'a merge into a current agency');
    const target = merge.agencies.find((a) => a.agency_id === targetView.id);
    const sources = merge.agencies.filter((a) => a.role === 'source');
    const line = history.getByTestId('history-item').filter({ hasText: target.name }).filter({ hasText: sources[0].name }).first();
    const lineText = (await line.innerText()).replace(/\s+/g, ' ');
    check(lineText.includes(lang === 'vi' ? 'sáp nhập vào' : 'merged into'), `a merge reads as a sentence: ${lineText}`);
    const [y, mo, d] = merge.effective_date.split('-');
    check(lineText.includes(`${d}/${mo}/${y}`), `with its date: ${lineText}`);

    step('agencies: an agency\'s own history');
    await page.locator('#ag-filter').fill(target.code);
    const shownName = lang === 'en' && targetView.name_en ? targetView.name_en : targetView.name;
    await page.locator('.tree button').filter({ hasText: new RegExp(`^${shownName.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) }).first().click();
    const own = page.getByTestId('agency-history');
    await own.waitFor();
    const mine = await (await ctx.request.get(`/api/v1/agencies/reorganisations?agency_id=${target.agency_id}`)).json();
    check(mine.total >= 1 && mine.total < all.total, `the agency's own reorganisations: ${mine.total}`);
    checkEq(await own.getByTestId('history-item').count(), mine.total, 'the agency shows only its own');
    check((await own.innerText()).includes(sources[0].name), 'the units merged into it');
    await ok(page, 'agencies');
    await screenshot(page, `admin-agencies-history-${lang}-${width}`);
    await checkNoProblems(ctx);
    await ctx.close();
  }
  log(`done: dossier ${code}`);
}, { deadlineMs: Number(process.env.E2E_DEADLINE_MS || 540_000) });
