// Drafts and validation on a phone (390 px), as a new citizen meets them (issue 16 §4):
// she fills half the form for "Đăng ký hoạt động cơ sở in" with a ~3 MB photo, the draft saves
// itself ("Đã lưu nháp lúc …"), she reloads and finds the draft with the photo, and again from
// "Hồ sơ của tôi"; her session ends on the server while she types, the app asks her to sign in
// and gives back what she had typed since the last save; she sends it with mistakes and gets GOV.UK's error summary ("Có N lỗi cần
// sửa", "Nhập …" under each field, the tax code judged by the server), follows a link to the
// field (its label and message above it, in view), fixes everything, is stopped once more by the
// declaration, ticks it and submits: the photo goes into the dossier from the draft, not sent
// again, byte for byte.
//
//   node e2e/drafts-flow.mjs [--lang vi|en] [--width 390] [--backend sqlite|postgres]
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import {
  args, check, checkEq, checkNoProblems, checkPage, FILES_CACHE, launchBrowser, log, newContext, run, sampleFiles, screenshot,
  signIn, startServer, step, tempDir, tr,
} from './harness.mjs';
import { MB, realFiles, sizeOf } from './real-files.mjs';

const opt = args({ lang: 'vi', width: '390', backend: 'sqlite' });
const lang = opt.lang;
const width = Number(opt.width);
const PROC = '1.003725';
const CITIZEN = '019190000001';
const FACILITY = 'Cơ sở in Bình Minh';
const sha = (buf) => crypto.createHash('sha256').update(buf).digest('hex');

let shotNo = 0;
const shot = (page, what) => screenshot(page, `drafts-${lang}-${width}-${String(++shotNo).padStart(2, '0')}-${what}`);
const pageCheck = (page, what) => checkPage(page, { lang, width, what });

run(`drafts-flow-${lang}-${width}-${opt.backend}`, async () => {
  const server = await startServer({ backend: opt.backend, dossiers: 0 });
  const browser = await launchBrowser();
  const tmp = tempDir();
  const files = sampleFiles(tmp);
  const real = await realFiles(browser, FILES_CACHE);
  const photoName = path.basename(real.photo);
  const scanName = path.basename(real.scan);
  const photo = fs.readFileSync(real.photo);
  check(photo.length > 2.5 * MB, `the photo is of a real size: ${sizeOf(real.photo)}`);

  const ctx = await newContext(browser, server, { lang, width });
  const page = await ctx.newPage();
  await signIn(page, CITIZEN, { next: `/thu-tuc/nop?ma=${PROC}` });
  await page.waitForURL(`**/thu-tuc/nop?ma=${PROC}`);

  step('half a form and a real-size photo: the draft saves itself');
  await page.getByTestId('form-ten_co_so').fill(FACILITY);
  await page.getByTestId('form-ma_so_thue').fill('12345');
  const created = page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/api/v1/drafts');
  await page.getByTestId('file-input-TP2').setInputFiles(real.photo);
  checkEq((await created).status(), 201, 'the draft is created');
  const status = page.getByTestId('draft-status');
  await status.filter({ hasText: tr(lang, 'draft.saved_at', { time: '' }).trim() }).waitFor();
  check(/\d{2}:\d{2}/.test(await status.innerText()), `the status says when: ${await status.innerText()}`);
  await pageCheck(page, 'form with a saved draft');
  await shot(page, 'saved');

  step('reload: the draft is offered, with the photo');
  await page.reload();
  await page.getByTestId('draft-offer').waitFor();
  await pageCheck(page, 'the draft offered');
  await page.getByTestId('draft-resume').click();
  await page.getByTestId('upload-TP2').getByText(photoName).waitFor();
  checkEq(await page.getByTestId('form-ten_co_so').inputValue(), FACILITY, 'the facility name came back');
  checkEq(await page.getByTestId('form-ma_so_thue').inputValue(), '12345', 'the tax code came back as typed');

  step('the session ends between two saves: what was typed comes back after signing in again');
  // The server ends the session (as when it expires) while the page still shows the form; the
  // citizen goes on typing, the next autosave is refused and the app asks her to sign in.
  const csrf = (await ctx.cookies()).find((c) => c.name === 'tinhso_csrf')?.value ?? '';
  checkEq((await ctx.request.post('/api/v1/auth/logout', { headers: { 'X-CSRF-Token': csrf } })).ok(), true, 'the session ended on the server');
  const HEAD = 'Trần Văn Bình';
  await page.getByTestId('form-nguoi_dung_dau').fill(HEAD);
  await page.waitForURL((u) => u.pathname === '/dang-nhap', { timeout: 15_000 });
  await signIn(page, CITIZEN);
  await page.waitForURL((u) => u.pathname === '/thu-tuc/nop');
  await page.getByTestId('draft-recovered').waitFor();
  checkEq(await page.getByTestId('form-nguoi_dung_dau').inputValue(), HEAD, 'the name typed after the last save');
  checkEq(await page.getByTestId('form-ten_co_so').inputValue(), FACILITY, 'the draft under it');
  await page.getByTestId('upload-TP2').getByText(photoName).waitFor();
  await pageCheck(page, 'restored after signing in again');
  await shot(page, 'recovered');
  // …and the autosave puts it on the server.
  await page.waitForFunction(async (addr) => {
    const r = await fetch('/api/v1/drafts', { credentials: 'same-origin' });
    const list = await r.json();
    return list.items.length === 1 && JSON.stringify(list.items[0].content).includes(addr);
  }, HEAD, { polling: 500, timeout: 15_000 });

  step('"Hồ sơ của tôi" lists the draft and opens it');
  await page.goto('/ho-so-cua-toi');
  const mine = page.getByTestId('my-draft');
  await mine.first().waitFor();
  checkEq(await mine.count(), 1, 'one draft listed');
  await pageCheck(page, 'my dossiers with a draft');
  await mine.getByTestId('my-draft-link').click();
  await page.waitForURL((u) => u.pathname === '/thu-tuc/nop' && u.searchParams.has('nhap'));
  await page.getByTestId('upload-TP2').getByText(photoName).waitFor();
  checkEq(await page.getByTestId('form-ten_co_so').inputValue(), FACILITY, 'opened from the list');

  step('send with mistakes: the error summary');
  await page.getByTestId('to-review').click();
  const summary = page.getByTestId('error-summary');
  await summary.waitFor();
  // dia_chi, noi_dung_in, so_thiet_bi, so_dien_thoai, the tax code; TP1 and TP3.
  checkEq((await summary.locator('h2').innerText()).trim(), tr(lang, 'submit.summary_title', { n: 7 }), 'the summary counts the problems');
  await page.waitForFunction(() => document.activeElement?.getAttribute('data-testid') === 'error-summary', null, { timeout: 5000 });
  const addressLine = lang === 'vi' ? 'Nhập địa chỉ trụ sở và nơi sản xuất' : 'Enter head office and production address';
  checkEq((await page.getByTestId('error-link-dia_chi').innerText()).trim(), addressLine, 'a specific message, not "required"');
  checkEq((await page.locator('#f-dia_chi-error').innerText()).trim(), addressLine, 'the same message at the field');
  const taxLine = (await page.locator('#f-ma_so_thue-error').innerText()).trim();
  check(/10/.test(taxLine) && taxLine.length > 20, `the server's statement of the tax code: ${taxLine}`);
  checkEq((await page.locator('#file-TP1-error').innerText()).trim(), tr(lang, 'upload.required_named', { name: 'Tờ khai đăng ký hoạt động cơ sở in theo mẫu' }), 'the missing file named');
  await pageCheck(page, 'error summary');
  await shot(page, 'summary');

  step('follow a link to its field');
  await page.getByTestId('error-link-ma_so_thue').click();
  checkEq(await page.evaluate(() => document.activeElement?.id), 'f-ma_so_thue', 'focus on the tax code');
  const box = await page.evaluate(() => {
    const r = (id) => document.getElementById(id).getBoundingClientRect();
    return { error: r('f-ma_so_thue-error'), input: r('f-ma_so_thue'), h: window.innerHeight };
  });
  check(box.error.bottom <= box.input.top + 1, 'the message is above the input');
  // The keyboard covers about the lower half of a phone's screen: both stay above it.
  check(box.error.top >= 0 && box.input.bottom <= box.h / 2, `the field shows above the keyboard: ${JSON.stringify(box)}`);
  await shot(page, 'followed');

  step('fix everything');
  await page.getByTestId('form-ma_so_thue').fill('4700123452');
  checkEq(await page.getByTestId('form-nguoi_dung_dau').inputValue(), HEAD, 'the recovered name in the draft');
  await page.getByTestId('form-dia_chi').fill('Số 12, phường Đức Xuân, tỉnh Thái Nguyên');
  await page.getByTestId('form-nguoi_dung_dau').fill('Nguyễn Thị Lan');
  await page.getByTestId('form-noi_dung_in').selectOption('In');
  await page.getByTestId('form-so_thiet_bi').fill('2');
  await page.getByTestId('form-so_dien_thoai').fill('0912345678');
  await page.getByTestId('file-input-TP1').setInputFiles(real.scan);
  await page.getByTestId('upload-TP1').getByText(scanName).waitFor();
  await page.getByTestId('file-input-TP3').setInputFiles(files.list);
  await page.getByTestId('upload-TP3').getByText('danh-muc-thiet-bi.pdf').waitFor();
  await page.getByTestId('to-review').click();
  await page.getByTestId('confirm-submit').waitFor();

  step('the declaration first');
  await page.getByTestId('confirm-submit').click();
  await summary.waitFor();
  checkEq((await summary.locator('h2').innerText()).trim(), tr(lang, 'submit.summary_title_one'), 'one problem');
  checkEq((await page.getByTestId('error-link-__declaration').innerText()).trim(), tr(lang, 'submit.declaration_required'), 'the declaration asked for');
  await page.getByTestId('error-link-__declaration').click();
  checkEq(await page.evaluate(() => document.activeElement?.id), 'declaration', 'focus on the declaration');
  checkEq((await page.locator('label[for=declaration]').innerText()).trim(), tr(lang, 'submit.declaration'), 'the declaration text');
  await pageCheck(page, 'review with the declaration');
  await page.getByTestId('declaration').check();

  step('submit from the draft: no file sent again');
  const sent = page.waitForRequest((r) => r.method() === 'POST' && new URL(r.url()).pathname === '/api/v1/dossiers');
  const answered = page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/api/v1/dossiers');
  await page.getByTestId('confirm-submit').click();
  const body = (await sent).postData() ?? '';
  check(body.length < 64 * 1024, `the submission carries no file: ${body.length} bytes`);
  check(/"draft":\{"id":\d+,"version":\d+\}/.test(body), 'the submission names the draft');
  checkEq((await answered).status(), 201, 'status of the submission');
  await page.getByTestId('receipt').waitFor();
  const id = (await page.getByTestId('receipt-id').innerText()).trim();
  const listed = await (await ctx.request.get(`/api/v1/dossiers/${id}/files`)).json();
  const stored = listed.items.find((f) => f.name === photoName);
  check(stored, 'the photo is in the dossier');
  checkEq(stored.sha256, sha(photo), 'the photo, byte for byte');
  const back = await ctx.request.get(`/api/v1/dossiers/${id}/files/${stored.id}`);
  checkEq(sha(await back.body()), sha(photo), 'the photo downloads intact');
  checkEq((await (await ctx.request.get('/api/v1/drafts')).json()).items.length, 0, 'the draft is gone');
  await shot(page, 'receipt');
  await checkNoProblems(ctx);
  log(`submitted dossier ${id} from its draft with ${listed.items.length} files`);
});
