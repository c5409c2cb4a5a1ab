// Notifications end to end, as `make run` shows them (issue 16 §2): a server started with
// --with-simulators (an SMTP stand-in and the SMS gateway's simulator on loopback, the demo
// mailbox page). A citizen submits, then reads the "submission received" e-mail and SMS in the
// demo mailbox and the same notice in the portal's list (the bell counts it; marking it read
// clears the count), and chooses how she is told; an officer sees on the dossier each message
// with its delivery status (the e-mail sent, the SMS delivered by the gateway's signed receipt,
// the in-app one delivered). axe reports no serious or critical violation on any of these pages.
//
//   node e2e/notify-flow.mjs [--lang vi|en] [--width 390|1280] [--backend sqlite|postgres]
import {
  args, check, checkEq, checkNoProblems, checkPage, launchBrowser, log, newContext, run, screenshot, signIn,
  startServer, step, tr, checkAxe
} from './harness.mjs';

const opt = args({ lang: 'vi', width: '390', backend: 'sqlite' });
const lang = opt.lang;
const width = Number(opt.width);
const PROC = '1.003725';
const PROC_NAME = 'Đăng ký hoạt động cơ sở in';
const CITIZEN = '019190000001';
const EMAIL = 'lan.nguyen@example.vn';

let shotNo = 0;
const shot = (page, what) => screenshot(page, `notify-${lang}-${width}-${String(++shotNo).padStart(2, '0')}-${what}`);

const axe = (page, what) => checkAxe(page, what);

/**
 * Reloads `page` until `ready()` holds, each time once `shown` is on the page: the stand-ins and
 * the outbox work on their own time.
 */
async function reloadUntil(page, shown, ready, what, timeoutMs = 40_000) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    await shown.waitFor();
    if (await ready()) return;
    check(Date.now() < until, `${what} within ${timeoutMs / 1000} s`);
    await page.waitForTimeout(500); // the server's delivery thread, not the page, is awaited
    await page.reload();
  }
}

function submission() {
  const pdf = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Count 0/Kids[]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n').toString('base64');
  return {
    procedure_code: PROC,
    channel: 'online',
    applicant: { kind: 1, name: 'Nguyễn Thị Lan', id_number: CITIZEN, phone: '0912345678', email: EMAIL, address: '', birth_date: '1990-03-08' },
    form: {
      ten_co_so: 'Cơ sở in Bình Minh',
      ma_so_thue: '4700123452',
      dia_chi: 'Số 12, phường Đức Xuân',
      nguoi_dung_dau: 'Nguyễn Thị Lan',
      noi_dung_in: 'In',
      so_thiet_bi: 2,
      so_dien_thoai: '0912345678',
    },
    files: ['TP1', 'TP2', 'TP3'].map((c) => ({ component: c, name: `${c.toLowerCase()}.pdf`, content_base64: pdf })),
  };
}

run(`notify-flow-${lang}-${width}-${opt.backend}`, async () => {
  const server = await startServer({ backend: opt.backend, dossiers: 0, serveArgs: ['--with-simulators'] });
  const browser = await launchBrowser();

  step('the citizen signs in and submits');
  const ctx = await newContext(browser, server, { lang, width });
  const page = await ctx.newPage();
  await signIn(page, CITIZEN);
  const csrf = (await ctx.cookies()).find((c) => c.name === 'tinhso_csrf')?.value ?? '';
  const sent = await ctx.request.post('/api/v1/dossiers', { data: submission(), headers: { 'X-CSRF-Token': csrf, 'Idempotency-Key': `e2e-notify-${Date.now()}` } });
  checkEq(sent.status(), 201, 'the submission is received');
  const dossier = await sent.json();
  log(`dossier ${dossier.id}`);

  step('the demo mailbox has the e-mail and the SMS');
  const mailbox = await ctx.newPage();
  await mailbox.goto('/hop-thu-demo');
  const mail = mailbox.locator('[data-testid=mailbox-item][data-kind=email]');
  const sms = mailbox.locator('[data-testid=mailbox-item][data-kind=sms]');
  await reloadUntil(mailbox, mailbox.locator('h1'), async () => (await mail.count()) > 0 && (await sms.count()) > 0, 'the e-mail and the SMS arrive in the demo mailbox');
  checkEq(await mail.count(), 1, 'one e-mail');
  checkEq((await mail.getByTestId('mailbox-to').innerText()).trim(), EMAIL, 'the e-mail goes to the applicant');
  const subject = (await mail.getByTestId('mailbox-subject').innerText()).trim();
  check(subject.startsWith('Đã nhận hồ sơ'), `the subject says it was received: ${subject}`);
  const body = await mail.getByTestId('mailbox-body').innerText();
  check(body.includes('Kính gửi Nguyễn Thị Lan') && body.includes(PROC_NAME), `the e-mail reads as written, with diacritics: ${body}`);
  check(body.includes('/tra-cuu'), 'the e-mail says where to follow the dossier');
  const smsText = await sms.getByTestId('mailbox-body').innerText();
  check(smsText.includes(PROC_NAME), `the SMS names the procedure: ${smsText}`);
  await checkPage(mailbox, { width, what: 'the demo mailbox' });
  await axe(mailbox, 'the demo mailbox');
  await shot(mailbox, 'mailbox');
  await mailbox.close();

  step('the bell counts it; the list shows it');
  await page.goto('/');
  const unread = page.getByTestId('notif-unread');
  await unread.waitFor();
  checkEq((await unread.innerText()).trim(), '1', 'one unread notification');
  await page.getByTestId('notif-bell').click();
  await page.waitForURL('**/thong-bao');
  const item = page.getByTestId('notif-item');
  await item.first().waitFor();
  checkEq(await item.count(), 1, 'one notification in the list');
  checkEq(await item.getAttribute('data-read'), 'no', 'not read yet');
  check((await item.locator('h2').innerText()).includes('Đã nhận hồ sơ'), 'the notice is the submission received');
  check((await item.innerText()).includes(PROC_NAME), 'it names the procedure');
  await checkPage(page, { lang, width, what: 'the notifications list' });
  await axe(page, 'the notifications list');
  await shot(page, 'list');
  await item.getByTestId('notif-mark-read').click();
  await page.locator('[data-testid=notif-item][data-read=yes]').waitFor();
  await unread.waitFor({ state: 'detached' });

  step('she chooses how she is told');
  await page.getByTestId('notif-settings-link').click();
  await page.waitForURL('**/thong-bao/cai-dat');
  const smsBox = page.getByTestId('pref-fees_requested-sms');
  await smsBox.waitFor();
  check(await smsBox.isChecked(), 'every channel is on at first');
  check((await page.getByTestId('pref-officer_new_work-sms').count()) === 0, "officers' events are not offered to a citizen");
  await smsBox.uncheck();
  await page.getByTestId('notif-settings-save').click();
  await page.getByTestId('notif-settings-saved').waitFor();
  checkEq((await page.getByTestId('notif-settings-saved').innerText()).trim(), tr(lang, 'notif.settings_saved'), 'saved');
  await checkPage(page, { lang, width, what: 'the notification preferences' });
  await axe(page, 'the notification preferences');
  await shot(page, 'preferences');
  await page.reload();
  await smsBox.waitFor();
  check(!(await smsBox.isChecked()), 'the choice is kept');
  await checkNoProblems(ctx);

  step("the officer sees each message's status on the dossier");
  const octx = await newContext(browser, server, { lang, width });
  const opage = await octx.newPage();
  await signIn(opage, 'motcua');
  await opage.goto(`/mot-cua/ho-so/${dossier.id}`);
  const row = (channel) => opage.locator(`[data-testid=dossier-message][data-channel=${channel}][data-template=submission_received]`);
  await reloadUntil(opage, opage.getByTestId('dossier-messages'), async () => (await row('sms').count()) > 0 && (await row('sms').getAttribute('data-status')) === 'delivered', "the SMS gateway's receipt arrives");
  checkEq(await row('email').getAttribute('data-status'), 'sent', 'the e-mail was accepted by the mail server');
  checkEq(await row('inapp').getAttribute('data-status'), 'delivered', 'the in-app notice is delivered');
  checkEq((await row('sms').getByTestId('dossier-message-status').innerText()).trim(), tr(lang, 'notif.status.delivered'), 'the status in words');
  checkEq((await row('email').getByTestId('dossier-message-status').innerText()).trim(), tr(lang, 'notif.status.sent'), 'the status in words');
  await checkPage(opage, { lang, width, what: "the officer's dossier" });
  await axe(opage, "the officer's dossier");
  await opage.getByTestId('dossier-messages').scrollIntoViewIfNeeded();
  await shot(opage, 'officer');
  await checkNoProblems(octx);
  log(`dossier ${dossier.id}: e-mail sent, SMS delivered, in-app delivered`);
});
