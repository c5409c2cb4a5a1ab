// The main story through the UI, checked at every step:
// a citizen finds "Đăng ký hoạt động cơ sở in" (1.003725) by typing without diacritics, signs in
// when asked, submits online with three files of real size (a 4-page scanned form of ~5 MB, a
// ~3 MB phone photo, a small list), which go up as multipart/form-data with the draft's last
// save and join the dossier from it, after the error summary, the UI's warning about a 10.1 MB
// file and the server's refusal of a PNG named .pdf (no "send again" offered); reception (motcua, H55.19) accepts it and the
// dossier gets its code <agency>-<YYMMDD>-<NNNN>; the officer (chuyenvien.vanhoa, H55.13)
// forwards it; the leader (lanhdao.vanhoa) issues the result (a ~3 MB scanned PDF, after the
// server refused a 10.1 MB one naming it); reception returns it; the
// province leader's dashboard counts one more dossier; the citizen sees the result (in "my
// dossiers", the receipt PDF, the public lookup page) and rates it.
//
//   node e2e/citizen-flow.mjs --lang vi|en --width 1280|360 [--backend sqlite|postgres]
import fs from 'node:fs';
import path from 'node:path';
import {
  args, check, checkEq, checkNoProblems, checkPage, FILES_CACHE, launchBrowser, log, newContext, parseCount, run,
  sampleFiles, screenshot, session, signIn, startServer, step, tempDir, todayYYMMDD, tr,
} from './harness.mjs';
import { MB, realFiles, sizeOf } from './real-files.mjs';

const opt = args({ lang: 'vi', width: '1280', backend: 'sqlite' });
const lang = opt.lang;
const width = Number(opt.width);
if (!['vi', 'en'].includes(lang) || ![1280, 360].includes(width) || !['sqlite', 'postgres'].includes(opt.backend)) {
  console.error('usage: citizen-flow.mjs --lang vi|en --width 1280|360 [--backend sqlite|postgres]');
  process.exit(2);
}
const name = `citizen-flow-${lang}-${width}-${opt.backend}`;
const PROC = '1.003725';
const PROC_NAME = { vi: 'Đăng ký hoạt động cơ sở in', en: 'Registration of a printing facility' };
const CITIZEN = '019190000001';
const CITIZEN_NAME = 'Nguyễn Thị Lan';
const FACILITY = `Cơ sở in Hoàng Gia ${lang.toUpperCase()}-${width}`;
const status = (n) => tr(lang, `status.${n}`);

let shotNo = 0;
const shot = (page, what) => screenshot(page, `flow-${lang}-${width}-${opt.backend}-${String(++shotNo).padStart(2, '0')}-${what}`);
const pageCheck = (page, what) => checkPage(page, { lang, width, what });

run(name, async () => {
  const server = await startServer({ backend: opt.backend, dossiers: 200 });
  const browser = await launchBrowser();
  const tmp = tempDir();
  const files = sampleFiles(tmp);
  step('real-size files');
  const real = await realFiles(browser, FILES_CACHE);
  const size = (f) => fs.statSync(f).size;
  check(size(real.scan) > 4 * MB && size(real.scan) < 6.5 * MB, `the scanned form is ~5 MB: ${sizeOf(real.scan)}`);
  check(size(real.photo) > 2.5 * MB && size(real.photo) < 4 * MB, `the photo is ~3 MB: ${sizeOf(real.photo)}`);
  check(size(real.result) > 2 * MB && size(real.result) < 4 * MB, `the result is a few MB: ${sizeOf(real.result)}`);
  check(size(real.tooBig) > 10 * MB, `the big file is over 10 MB: ${sizeOf(real.tooBig)}`);
  log(`files: scan ${sizeOf(real.scan)}, photo ${sizeOf(real.photo)}, result ${sizeOf(real.result)}, too big ${sizeOf(real.tooBig)}`);
  // A PNG named .pdf: the server compares a file's name with its content.
  const misnamed = path.join(tmp, 'giay-chung-nhan-mat-bang.pdf');
  fs.copyFileSync(files.png, misnamed);
  const photoName = path.basename(real.photo);
  const scanName = path.basename(real.scan);
  const resultName = path.basename(real.result);
  const bigName = path.basename(real.tooBig);
  /** Downloads a file of the dossier through its link in the file table. */
  async function download(ctx, page, fileName) {
    const link = page.getByTestId('file-table').getByRole('link', { name: tr(lang, 'files.download_named', { name: fileName }), exact: true });
    const href = await link.getAttribute('href');
    check(href, `a download link for ${fileName}`);
    const r = await ctx.request.get(href);
    checkEq(r.status(), 200, `download of ${fileName}`);
    return r.body();
  }
  const sess = (login) => session(browser, server, login, { lang, width });

  /** The province leader's dashboard: the "dossiers received" KPI of this year. */
  async function receivedOnDashboard(label) {
    step(`dashboard (${label})`);
    const { ctx, page } = await sess('lanhdao.tinh');
    // The leader lands on the dashboard after signing in.
    await page.waitForURL('**/bang-dieu-khien');
    const kpi = page.getByTestId('kpi-received');
    await kpi.waitFor();
    checkEq((await kpi.locator('.kpi-label').innerText()).trim(), tr(lang, 'dash.received'), 'KPI label');
    await page.getByTestId('dash-table').waitFor();
    // The charts come after the figures and the table (ECharts is a chunk of its own): the page
    // is complete, with no loading indicator left, once they are drawn.
    await page.waitForFunction(() => document.querySelectorAll('.loading').length === 0, null, { timeout: 60_000 });
    const n = parseCount(await kpi.locator('.kpi-value').innerText());
    const footer = parseCount(await page.getByTestId('dash-table').locator('tfoot td').first().innerText());
    checkEq(footer, n, 'the table total and the KPI');
    await pageCheck(page, `dashboard (${label})`);
    if (label === 'after') await shot(page, 'dashboard');
    await checkNoProblems(ctx);
    await ctx.close();
    log(`dashboard ${label}: ${n} received`);
    return n;
  }

  const before = await receivedOnDashboard('before');

  // ---- The citizen finds the procedure without typing diacritics and submits it online.
  step('citizen: search');
  const citizen = await newContext(browser, server, { lang, width, presetLanguage: false });
  let page = await citizen.newPage();
  await page.goto('/');
  await page.getByTestId('procedure-search').waitFor();
  checkEq(await page.evaluate(() => document.documentElement.lang), 'vi', 'the default language');
  if (lang === 'en') {
    await page.getByTestId('lang-switch').click();
    await page.waitForFunction(() => document.documentElement.lang === 'en');
  }
  checkEq((await page.locator('h1').first().innerText()).trim(), tr(lang, 'portal.title'), 'portal heading');
  checkEq((await page.getByTestId('login-link').innerText()).trim(), tr(lang, 'nav.login'), 'sign-in link');
  await page.getByTestId('procedure-result').first().waitFor();
  const allCount = await page.getByTestId('procedure-result').count();
  checkEq((await page.getByTestId('result-count').innerText()).trim(), tr(lang, 'portal.count', { n: allCount }), 'count of all procedures');
  const QUERY = 'dang ky hoat dong co so in';
  const searched = page.waitForResponse((r) => r.url().includes('/api/v1/procedures?') && new URL(r.url()).searchParams.get('q') === QUERY);
  await page.getByTestId('procedure-search').pressSequentially(QUERY);
  check((await searched).ok(), 'the search request failed');
  await page.waitForURL(/[?&]q=dang\+ky\+hoat\+dong\+co\+so\+in/);
  await page.locator('#results-title').filter({ hasText: tr(lang, 'portal.results') }).waitFor();
  await page.getByTestId('result-count').filter({ hasNotText: tr(lang, 'common.loading') }).waitFor();
  const link = page.getByTestId(`procedure-link-${PROC}`);
  await link.waitFor();
  const cards = await page.getByTestId('procedure-result').count();
  check(cards >= 1 && cards < allCount, `the search narrows the list: ${cards} of ${allCount}`);
  checkEq((await page.getByTestId('result-count').innerText()).trim(), tr(lang, 'portal.count', { n: cards }), 'result count');
  checkEq((await link.innerText()).trim(), PROC_NAME[lang], 'the found procedure');
  if (lang === 'vi') {
    // The match is highlighted although the query has no diacritics.
    const marks = (await link.locator('mark').allInnerTexts()).join(' ');
    check(/Đăng ký/.test(marks) && /cơ sở/i.test(marks), `highlight of the match: ${JSON.stringify(marks)}`);
  }
  await pageCheck(page, 'search results');
  await shot(page, 'search');

  step('citizen: procedure page');
  await link.click();
  await page.waitForURL(`**/thu-tuc?ma=${PROC}`);
  await page.getByTestId('submit-online').waitFor();
  checkEq((await page.locator('h1').innerText()).trim(), PROC_NAME[lang], 'procedure heading');
  const detail = await page.locator('.proc-detail').innerText();
  check(detail.includes(PROC), 'the procedure code is shown');
  check(detail.includes('Tờ khai đăng ký hoạt động cơ sở in theo mẫu'), 'the components are listed');
  await pageCheck(page, 'procedure page');
  await shot(page, 'procedure');

  step('citizen: sign in when asked');
  await page.getByTestId('submit-online').click();
  await page.waitForURL((u) => u.pathname === '/dang-nhap' && u.searchParams.get('next') === `/thu-tuc/nop?ma=${PROC}`);
  await signIn(page, CITIZEN);
  await page.waitForURL(`**/thu-tuc/nop?ma=${PROC}`);
  checkEq((await page.getByTestId('account-name').innerText()).trim(), CITIZEN_NAME, 'signed-in name');

  step('citizen: form checks');
  await page.getByTestId('to-review').waitFor();
  checkEq(await page.getByTestId('applicant-name').inputValue(), CITIZEN_NAME, 'applicant name filled from the account');
  checkEq(await page.getByTestId('applicant-id').inputValue(), CITIZEN, 'applicant CCCD filled from the account');
  await pageCheck(page, 'submission form');
  await shot(page, 'form-empty');
  // Sending an empty form lists what is missing, in the chosen language (GOV.UK's summary).
  await page.getByTestId('to-review').click();
  const summary = page.getByTestId('error-summary');
  await summary.waitFor();
  checkEq((await summary.locator('h2').innerText()).trim(), tr(lang, 'submit.summary_title', { n: 10 }), 'error summary (7 fields, 3 files)');
  checkEq((await page.locator('#f-ten_co_so-error').innerText()).trim(), lang === 'vi' ? 'Nhập tên cơ sở in' : 'Enter name of the printing facility', 'required field message');
  checkEq((await page.locator('#file-TP1-error').innerText()).trim(), tr(lang, 'upload.required_named', { name: 'Tờ khai đăng ký hoạt động cơ sở in theo mẫu' }), 'required file message');
  await page.waitForFunction(() => document.activeElement?.getAttribute('data-testid') === 'error-summary');
  // A wrong tax code is refused, in the server's words (one statement of the format).
  await page.getByTestId('form-ma_so_thue').fill('12345');
  await page.getByTestId('to-review').click();
  await page.locator('#f-ma_so_thue-error').filter({ hasText: lang === 'vi' ? 'mã số thuế hợp lệ' : 'valid tax code' }).waitFor();
  await pageCheck(page, 'submission form with errors');

  step('citizen: fill the form');
  await page.getByTestId('form-ten_co_so').fill(FACILITY);
  await page.getByTestId('form-ma_so_thue').fill('4700123452');
  await page.getByTestId('form-dia_chi').fill('Số 12, phường Đức Xuân, tỉnh Thái Nguyên');
  await page.getByTestId('form-nguoi_dung_dau').fill(CITIZEN_NAME);
  await page.getByTestId('form-noi_dung_in').selectOption('In');
  await page.getByTestId('form-so_thiet_bi').fill('3');
  await page.getByTestId('form-so_dien_thoai').fill('0912345678');
  await page.getByTestId('form-thu_dien_tu').fill('lan.nguyen@example.vn');

  step('citizen: a file over 10 MB is stopped before sending');
  const isSubmit = (r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/api/v1/dossiers';
  let posts = 0;
  const countPosts = (req) => {
    if (req.method() === 'POST' && new URL(req.url()).pathname === '/api/v1/dossiers') posts++;
  };
  page.on('request', countPosts);
  await page.getByTestId('file-input-TP1').setInputFiles(real.tooBig);
  const bigItem = page.getByTestId('upload-TP1').locator('li').filter({ hasText: bigName });
  await bigItem.waitFor();
  checkEq((await bigItem.locator('.warn').innerText()).trim(), tr(lang, 'upload.too_big'), 'the picker warns about the 10.1 MB file at once');
  await page.getByTestId('file-input-TP2').setInputFiles(misnamed);
  await page.getByTestId('file-input-TP3').setInputFiles(files.list);
  await page.getByTestId('upload-TP3').getByText('danh-muc-thiet-bi.pdf').waitFor();
  await page.getByTestId('to-review').click();
  await page.locator('#file-TP1-error').filter({ hasText: tr(lang, 'upload.too_big') }).waitFor();
  checkEq((await summary.locator('h2').innerText()).trim(), tr(lang, 'submit.summary_title_one'), 'one error: the file over 10 MB');
  await pageCheck(page, 'form with a file over 10 MB');
  await shot(page, 'form-file-too-big');
  checkEq(posts, 0, 'nothing was sent with a file over 10 MB');
  await bigItem.getByRole('button', { name: tr(lang, 'upload.remove_named', { name: bigName }) }).click();
  await page.getByTestId('file-input-TP1').setInputFiles(real.scan);
  await page.getByTestId('upload-TP1').getByText(scanName).waitFor();

  step('citizen: the server refuses a PNG named .pdf; no "send again"');
  await page.getByTestId('to-review').click();
  await page.getByTestId('confirm-submit').waitFor();
  await page.getByTestId('declaration').check();
  const refused = page.waitForResponse(isSubmit);
  await page.getByTestId('confirm-submit').click();
  checkEq((await refused).status(), 400, 'status of the submission with a misnamed file');
  const refusal = page.getByTestId('error');
  await refusal.waitFor();
  checkEq((await refusal.locator('.alert-title').innerText()).trim(), tr(lang, 'submit.failed'), 'title of the refusal');
  const why = (await refusal.locator('p').nth(1).innerText()).trim();
  check(why.includes(path.basename(misnamed)) && why.startsWith(lang === 'en' ? 'File ' : 'Tệp '), `the refusal names the file, in ${lang}: ${JSON.stringify(why)}`);
  checkEq((await refusal.locator('.alert-hint').innerText()).trim(), tr(lang, 'error.hint.input'), 'hint of the refusal');
  checkEq(await page.getByTestId('confirm-submit').count(), 0, 'no "send again" for a refusal that sending again cannot fix');
  checkEq(await refusal.getByRole('button').count(), 0, 'no "try again" in the error');
  checkEq((await page.getByTestId('send-advice').innerText()).trim(), tr(lang, 'submit.fix_first'), 'the advice says to edit');
  checkEq(await page.locator('#sec-review').locator('..').locator('progress').count(), 0, 'no progress bar left at 100 % after a refusal');
  await pageCheck(page, 'refused submission');
  await shot(page, 'refused-misnamed');
  await page.getByTestId('back-edit').click();
  await page.getByTestId('upload-TP2').getByRole('button', { name: tr(lang, 'upload.remove_named', { name: path.basename(misnamed) }) }).click();
  await page.getByTestId('file-input-TP2').setInputFiles(real.photo);
  await page.getByTestId('upload-TP2').getByText(photoName).waitFor();

  step('citizen: review and send');
  // At once, before the draft saves itself: the files then go up with the draft's last save,
  // when sending, and their bars are seen below.
  await page.getByTestId('to-review').click();
  await page.getByTestId('confirm-submit').waitFor();
  await page.getByTestId('declaration').check();
  const review = await page.locator('#sec-review').locator('..').innerText();
  for (const s of [PROC_NAME[lang], FACILITY, '4700123452', scanName, photoName, 'danh-muc-thiet-bi.pdf', CITIZEN]) {
    check(review.includes(s), `the review shows ${JSON.stringify(s)}`);
  }
  await pageCheck(page, 'review');
  await shot(page, 'review');
  // The per-file bars in every state the page shows while the files go up (each change of the
  // page is seen, painted or not). The upload is slowed to 4 MB/s (Chromium's own throttling),
  // so that the ~8 MB take about two seconds and the bars have states between 0 and 100 %.
  await page.evaluate(() => {
    window.__bars = [];
    const snap = () => {
      const now = [...document.querySelectorAll('#sec-review ~ .file-list progress')].map((p) => [p.getAttribute('aria-label'), Number(p.value)]);
      if (now.length && JSON.stringify(now) !== JSON.stringify(window.__bars.at(-1))) window.__bars.push(now);
    };
    window.__barsObserver = new MutationObserver(snap);
    window.__barsObserver.observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
  });
  const cdp = await citizen.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: 4 * MB });
  // The files go up with the draft's last save, as multipart/form-data; the submission then
  // names the draft and carries no file.
  const sent = page.waitForRequest((r) => r.method() === 'POST' && /^\/api\/v1\/drafts(\/\d+)?$/.test(new URL(r.url()).pathname));
  const submitted = page.waitForRequest((r) => r.method() === 'POST' && new URL(r.url()).pathname === '/api/v1/dossiers');
  const accepted = page.waitForResponse(isSubmit);
  await page.getByTestId('confirm-submit').click();
  const contentType = (await (await sent).allHeaders())['content-type'] ?? '';
  check(/^multipart\/form-data; *boundary=/.test(contentType), `the files go up as multipart/form-data: ${contentType}`);
  const submission = (await submitted).postData() ?? '';
  check(/"draft":\{"id":\d+,"version":\d+\}/.test(submission) && submission.length < 64 * 1024, `the submission names the draft, without files: ${submission.length} bytes`);
  checkEq((await accepted).status(), 201, 'status of the submission');
  await page.getByTestId('receipt').waitFor();
  checkEq(posts, 2, 'requests sent: the refused one and this one');
  page.off('request', countPosts);
  await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
  await cdp.detach();
  const frames = await page.evaluate(() => {
    window.__barsObserver.disconnect();
    return window.__bars;
  });
  log(`progress bars (list/scan/photo, %): ${frames.map((f) => f.map(([, v]) => v).join('/')).join(' ')}`);
  check(frames.length >= 1, 'the progress bars were shown while sending');
  checkEq(JSON.stringify(frames[0].map(([l]) => l)), JSON.stringify(['danh-muc-thiet-bi.pdf', scanName, photoName].map((n) => tr(lang, 'upload.progress', { name: n }))), 'one bar per file');
  for (let i = 0; i < frames.length; i++) {
    const v = frames[i].map(([, x]) => x);
    // The files go up one after the other, in order: a bar moves only once the one before is full.
    for (let k = 1; k < v.length; k++) check(v[k] === 0 || v[k - 1] === 100, `bars in order: ${v.join('/')}`);
    if (i > 0) frames[i - 1].forEach(([, x], k) => check(v[k] >= x, `a bar went back: ${frames[i - 1].map(([, y]) => y).join('/')} → ${v.join('/')}`));
  }
  // Each real-size file was seen part-way: its bar follows its own bytes, not the request's.
  for (const k of [1, 2]) {
    check(frames.some((f) => f[k][1] > 0 && f[k][1] < 100), `the bar of ${frames[0][k][0]} showed progress between 0 and 100 %`);
  }
  const id = (await page.getByTestId('receipt-id').innerText()).trim();
  check(/^\d+$/.test(id), `receipt number ${JSON.stringify(id)}`);
  // An online dossier waits for reception: no code yet.
  checkEq((await page.getByTestId('receipt-code').innerText()).trim(), tr(lang, 'receipt.code_pending'), 'code before reception');
  checkEq((await page.locator('[data-testid=receipt] h1').innerText()).trim(), tr(lang, 'receipt.title'), 'receipt heading');
  await pageCheck(page, 'receipt');
  await shot(page, 'receipt');
  log('submitted dossier', id);

  step('citizen: the new dossier');
  await page.getByTestId('receipt-open').click();
  await page.waitForURL(`**/ho-so-cua-toi/${id}`);
  await page.getByTestId('dossier-status').waitFor();
  checkEq((await page.getByTestId('dossier-status').innerText()).trim(), status(1), 'status after sending');
  await pageCheck(page, 'my dossier (new)');
  await checkNoProblems(citizen);
  await citizen.close();

  // ---- Officers.
  /** Opens the dossier from a queue and takes an action; returns the page. */
  async function act(login, queue, action, { expectBefore, expectAfter, fill, shotName }) {
    step(`${login}: ${action}`);
    const { ctx, page } = await sess(login);
    await page.goto(`/mot-cua?hang=${queue}`);
    const row = page.getByTestId('dossier-row').filter({ has: page.locator(`a[href="/mot-cua/ho-so/${id}"]`) });
    await row.waitFor();
    const rowText = await row.innerText();
    check(rowText.includes(CITIZEN_NAME) && rowText.includes(status(expectBefore)), `the queue row shows the applicant and status "${status(expectBefore)}": ${rowText}`);
    // The counts load on their own, after the rows may already show ("…" until then).
    const count = page.getByTestId(`queue-count-${queue}`).filter({ hasText: /\d/ });
    await count.waitFor();
    check(parseCount(await count.innerText()) >= 1, `the ${queue} queue count`);
    await pageCheck(page, `${queue} queue`);
    if (shotName) await shot(page, `queue-${queue}`);
    await row.getByTestId('dossier-link').click();
    await page.waitForURL(`**/mot-cua/ho-so/${id}`);
    await page.getByTestId(`action-${action}`).waitFor();
    checkEq((await page.getByTestId('dossier-status').innerText()).trim(), status(expectBefore), 'status before the action');
    await page.getByTestId(`action-${action}`).click();
    await page.getByTestId('action-panel').waitFor();
    if (fill) await fill(page);
    await page.getByTestId('act-confirm').click();
    const notice = page.getByTestId('notice');
    await notice.waitFor();
    checkEq(
      (await notice.innerText()).trim(),
      tr(lang, 'od.done', { action: tr(lang, `action.${action}`), status: status(expectAfter) }),
      'the confirmation',
    );
    await page.getByTestId('dossier-status').filter({ hasText: status(expectAfter) }).waitFor();
    check(!(await page.getByTestId(`action-${action}`).isVisible()), `"${action}" is still offered after it was done`);
    await pageCheck(page, `dossier after ${action}`);
    if (shotName) await shot(page, shotName);
    return { ctx, page };
  }

  // Reception accepts: the dossier gets its code.
  let { ctx, page: op } = await act('motcua', 'receive', 'accept', { expectBefore: 1, expectAfter: 2, shotName: 'accepted' });
  const code = (await op.getByTestId('dossier-code').innerText()).trim();
  const m = /^([0-9A-Z.]+)-(\d{6})-(\d{4})$/.exec(code);
  check(m, `dossier code ${JSON.stringify(code)} is not <agency>-<YYMMDD>-<NNNN>`);
  check(/H55/.test(m[1]), `the agency part of ${code} is a code of the province (H55)`);
  checkEq(m[2], todayYYMMDD(), `the date in ${code}`);
  check(Number(m[3]) >= 1, `the number in ${code}`);
  checkEq((await op.locator('h1').innerText()).trim(), tr(lang, 'od.title_code', { code }), 'officer page heading');
  const fileTable = await op.getByTestId('file-table').innerText();
  for (const f of [scanName, photoName, 'danh-muc-thiet-bi.pdf']) check(fileTable.includes(f), `reception sees the file ${f}`);
  // The real-size files come back byte for byte.
  for (const f of [real.scan, real.photo]) {
    check((await download(ctx, op, path.basename(f))).equals(fs.readFileSync(f)), `${path.basename(f)} (${sizeOf(f)}) downloads as it was sent`);
  }
  check((await op.locator('#sec-form').locator('..').innerText()).includes(FACILITY), 'reception sees the e-form answers');
  const receiptHref = await op.getByTestId('form-receipt').getAttribute('href');
  const pdf = await ctx.request.get(receiptHref);
  checkEq(pdf.status(), 200, 'receipt PDF status');
  check(/^application\/pdf/.test(pdf.headers()['content-type'] ?? ''), `receipt PDF content type: ${pdf.headers()['content-type']}`);
  check((await pdf.body()).subarray(0, 5).toString() === '%PDF-', 'the receipt is a PDF');
  await checkNoProblems(ctx);
  await ctx.close();
  log('dossier code', code);

  ({ ctx } = await act('chuyenvien.vanhoa', 'processing', 'forward', { expectBefore: 2, expectAfter: 4, shotName: 'forwarded' }));
  await checkNoProblems(ctx);
  await ctx.close();

  ({ ctx, page: op } = await act('lanhdao.vanhoa', 'approve', 'issue_result', {
    expectBefore: 4,
    expectAfter: 9,
    shotName: 'result-issued',
    fill: async (p) => {
      // First a result over 10 MB: the picker warns, and the server's refusal names the file.
      const panel = p.getByTestId('action-panel');
      const input = panel.locator('input[type=file]');
      await input.setInputFiles(real.tooBig);
      const item = panel.locator('li').filter({ hasText: bigName });
      await item.waitFor();
      checkEq((await item.locator('.warn').innerText()).trim(), tr(lang, 'upload.too_big'), 'the picker warns about the 10.1 MB result');
      await p.getByTestId('act-note').fill('Đủ điều kiện hoạt động.');
      const answer = p.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith(`/api/v1/dossiers/${id}/issue_result`));
      await p.getByTestId('act-confirm').click();
      checkEq((await answer).status(), 413, 'status of a result over 10 MB');
      const err = panel.getByTestId('error');
      await err.waitFor();
      checkEq(
        (await err.locator('p').nth(1).innerText()).trim(),
        lang === 'en' ? `File '${bigName}' is over the size limit (10 MB).` : `Tệp '${bigName}' vượt quá dung lượng cho phép (10 MB).`,
        'the refusal names the file, in the chosen language',
      );
      checkEq((await err.locator('.alert-hint').innerText()).trim(), tr(lang, 'error.hint.toolarge'), 'hint for a file too large');
      checkEq(await err.getByRole('button').count(), 0, 'no "try again" for a file too large');
      await pageCheck(p, 'result over 10 MB refused');
      await shot(p, 'result-too-big');
      await item.getByRole('button', { name: tr(lang, 'upload.remove_named', { name: bigName }) }).click();
      await input.setInputFiles(real.result);
      await panel.getByText(resultName).waitFor();
    },
  }));
  await checkNoProblems(ctx);
  await ctx.close();

  ({ ctx, page: op } = await act('motcua', 'return', 'return', {
    expectBefore: 9,
    expectAfter: 10,
    fill: async (p) => checkEq(await p.getByTestId('act-method').inputValue(), 'online', 'return method of an online dossier'),
  }));
  await checkNoProblems(ctx);
  await ctx.close();

  // ---- The dashboard counts it.
  const after = await receivedOnDashboard('after');
  checkEq(after, before + 1, 'dossiers received on the dashboard after the flow');

  // ---- The citizen sees the result and rates it.
  step('citizen: my dossiers');
  ({ ctx, page } = await sess(CITIZEN));
  await page.waitForURL('**/ho-so-cua-toi');
  if (width < 600) {
    // On a phone the navigation is behind the menu button.
    const nav = page.getByTestId('nav-my');
    check(!(await nav.isVisible()), 'the navigation is folded on a phone');
    await page.locator('button[aria-controls=main-nav]').click();
    await nav.waitFor();
  }
  await page.getByTestId('nav-portal').click();
  await page.waitForURL((u) => u.pathname === '/');
  if (width < 600) await page.locator('button[aria-controls=main-nav]').click();
  await page.getByTestId('nav-my').click();
  await page.waitForURL('**/ho-so-cua-toi');
  const card = page.locator('.dossier-card').filter({ has: page.locator(`a[href="/ho-so-cua-toi/${id}"]`) });
  await card.waitFor();
  const cardText = await card.innerText();
  check(cardText.includes(code), `the card shows the code ${code}`);
  check(cardText.includes(status(10)), `the card shows "${status(10)}": ${cardText}`);
  check(cardText.includes(tr(lang, 'my.needs_rating')), 'the card asks for a rating');
  await pageCheck(page, 'my dossiers');
  await shot(page, 'my-dossiers');

  step('citizen: the result');
  await card.getByTestId('my-dossier-link').click();
  await page.waitForURL(`**/ho-so-cua-toi/${id}`);
  await page.getByTestId('rating').waitFor();
  checkEq((await page.getByTestId('dossier-code').innerText()).trim(), code, 'code seen by the citizen');
  checkEq((await page.getByTestId('dossier-status').innerText()).trim(), status(10), 'status seen by the citizen');
  const files2 = await page.getByTestId('file-table').innerText();
  check(files2.includes(tr(lang, 'filekind.result')), `the result file is listed: ${files2}`);
  // The result as issued; a signature, if the leader has a certificate, only appends to it.
  const issued = fs.readFileSync(real.result);
  const got = await download(ctx, page, resultName);
  check(got.length >= issued.length && got.subarray(0, issued.length).equals(issued), `the result (${sizeOf(real.result)}) downloads whole: ${got.length} bytes`);
  const myPdf = await ctx.request.get(await page.locator(`a[href="/api/v1/dossiers/${id}/forms/receipt"]`).getAttribute('href'));
  checkEq(myPdf.status(), 200, 'receipt PDF for the citizen');
  check(/^application\/pdf/.test(myPdf.headers()['content-type'] ?? ''), 'receipt PDF content type for the citizen');
  const lookupHref = await page.locator('a[href^="/tra-cuu?ma="]').getAttribute('href');
  const lk = new URL(lookupHref, server.base);
  checkEq(lk.searchParams.get('ma'), code, 'lookup link code');
  check((lk.searchParams.get('k') ?? '').length >= 6, 'lookup link secret');
  await pageCheck(page, 'my dossier (returned)');
  await shot(page, 'result');

  step('citizen: rate');
  await page.getByTestId('rating-3').check();
  await page.getByTestId('rate-send').click();
  await page.getByTestId('notice').waitFor();
  checkEq((await page.getByTestId('notice').innerText()).trim(), tr(lang, 'my.rated'), 'thanks for rating');
  await page.getByTestId('dossier-facts').getByText(tr(lang, 'rating.3'), { exact: true }).waitFor();
  await page.getByTestId('rating').waitFor({ state: 'detached' });
  await shot(page, 'rated');
  // The rating is stored: it is still there after a reload, and can no longer be given.
  await page.reload();
  await page.getByTestId('dossier-facts').getByText(tr(lang, 'rating.3'), { exact: true }).waitFor();
  check((await page.getByTestId('rating').count()) === 0, 'the rating box is gone after rating');
  await pageCheck(page, 'my dossier (rated)');
  await checkNoProblems(ctx);
  await ctx.close();

  // ---- Anyone holding the receipt can look it up (the receipt's QR code).
  step('public lookup');
  ({ ctx, page } = await sess(null));
  await page.goto(lk.pathname + lk.search);
  const result = page.getByTestId('lookup-result');
  await result.waitFor();
  checkEq((await result.locator('h2').innerText()).trim(), `${tr(lang, 'lookup.result')}: ${code}`, 'lookup heading');
  checkEq((await page.getByTestId('lookup-status').innerText()).trim(), status(10), 'status on the lookup page');
  check((await result.innerText()).includes(CITIZEN_NAME), 'the lookup shows the applicant');
  await pageCheck(page, 'lookup');
  await shot(page, 'lookup');
  await checkNoProblems(ctx);
  await ctx.close();

  // ---- The officer sees the rating too.
  step('reception sees the rating');
  ({ ctx, page } = await sess('motcua'));
  await page.goto(`/mot-cua/ho-so/${id}`);
  await page.getByTestId('dossier-facts').getByText(tr(lang, 'rating.3'), { exact: true }).waitFor();
  checkEq((await page.getByTestId('dossier-status').innerText()).trim(), status(10), 'final status for reception');
  check((await page.getByTestId('no-actions').count()) === 1, 'no action left on a returned dossier');
  await checkNoProblems(ctx);
  await ctx.close();
});
