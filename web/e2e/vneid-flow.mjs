// "Đăng nhập bằng VNeID" in Chromium against a real OpenID Provider (npm oidc-provider,
// tests/support/oidc_op.mjs, started here on loopback with the demo people), and "Quên mật
// khẩu" for an officer (issue 16 §1):
// - a citizen cancels at the provider, and one whose provider account has no identity number
//   signs in: each comes back to the sign-in page with a sentence saying why, not a blank page;
// - cong-dan-1 signs in at the provider's pages, comes back signed in to the submission form,
//   which shows her name and number read-only with "Đã xác thực qua VNeID" and her date of
//   birth; her dossier records the verification (TaiKhoanDuocXacThucVoiVNeID);
// - an administrator asks for a reset link from the sign-in page (the answer is the same for an
//   account that does not exist), opens the e-mailed link (read from the outbox: the delivery
//   thread is not part of this test), sets a new password and signs in with it.
// axe finds no violation on our pages (the provider's own pages are not ours to judge).
//
//   node e2e/vneid-flow.mjs [--lang vi|en] [--width 390|1280] [--backend sqlite|postgres]
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {
  args, check, checkEq, checkNoProblems, checkPage, freePort, launchBrowser, log, newContext, onCleanup, ROOT, run,
  runTool, screenshot, startServer, step, tempDir, tr, checkAxe
} from './harness.mjs';

const opt = args({ lang: 'vi', width: '390', backend: 'sqlite' });
const lang = opt.lang;
const width = Number(opt.width);
const PROC = '1.003725';
const NEW_PASSWORD = 'Mua-thu-Ba-Be-2026';

let shotNo = 0;
const shot = (page, what) => screenshot(page, `vneid-${lang}-${width}-${String(++shotNo).padStart(2, '0')}-${what}`);
const pageCheck = (page, what) => checkPage(page, { lang, width, what });

/** axe on one of our pages: any violation fails. */
const axe = (page, what) => checkAxe(page, what, { all: true });

/**
 * The OpenID Provider as a child process, on `port`, sending people back to `base`. It lives as
 * long as its stdin (closed by cleanup, or when this process dies).
 */
async function startProvider(port, base) {
  step('start the OpenID Provider');
  const child = spawn(
    process.execPath,
    [
      path.join(ROOT, 'tests', 'support', 'oidc_op.mjs'),
      '--port', String(port),
      '--alg', 'RS256',
      '--redirect-uri', `${base}/api/v1/auth/oidc/vneid/callback`,
      '--post-logout-uri', `${base}/dang-nhap`,
    ],
    { stdio: ['pipe', 'pipe', 'pipe'] },
  );
  let errors = '';
  child.stderr.on('data', (d) => (errors = (errors + d).slice(-4000)));
  onCleanup(async () => {
    if (child.exitCode !== null) return;
    const gone = new Promise((r) => child.once('exit', r));
    child.stdin.end();
    child.kill('SIGTERM');
    await gone;
  });
  const line = await new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      if (out.includes('\n')) resolve(out.split('\n')[0]);
    });
    child.once('exit', (code) => reject(new Error(`the OpenID Provider exited (${code}):\n${errors}`)));
  });
  checkEq(line, `port=${port}`, 'the OpenID Provider listens');
  return `http://127.0.0.1:${port}`;
}

/** Its development sign-in and consent pages: any password, the login is a demo person's id. */
async function signInAtProvider(page, provider, who) {
  await page.waitForURL((u) => u.origin === provider);
  await page.locator('input[name=login]').fill(who);
  await page.locator('input[name=password]').fill('mat-khau-vneid');
  await page.locator('button[type=submit]').click();
  await page.locator('button[type=submit]', { hasText: 'Continue' }).click();
}

/**
 * The provider's pages ask for a web font from the internet (which the browser cannot reach):
 * theirs, not ours, so that request alone is forgiven.
 */
function forgiveProviderFonts(ctx) {
  for (let i = ctx.problems.length - 1; i >= 0; i--) {
    if (/^request outside 127\.0\.0\.1: https:\/\/fonts\.(googleapis|gstatic)\.com\//.test(ctx.problems[i])) ctx.problems.splice(i, 1);
  }
}

/** A statement on the test's database (sqlite3 or psql), its rows as text. */
function query(db, sql) {
  if (db.startsWith('sqlite:')) return runTool('sqlite3', [db.slice('sqlite:'.length), sql]);
  return runTool('psql', [db, '-At', '-c', sql]);
}

run(`vneid-flow-${lang}-${width}-${opt.backend}`, async () => {
  const tmp = tempDir();
  const opPort = await freePort();
  const provider = `http://127.0.0.1:${opPort}`;
  const config = path.join(tmp, 'vneid.toml');
  const server = await startServer({
    backend: opt.backend,
    dossiers: 0,
    serveArgs: (port) => {
      const base = `http://127.0.0.1:${port}`;
      fs.writeFileSync(
        config,
        [
          '[pki]',
          `public_base_url = "${base}"`,
          '[[oidc.providers]]',
          'id = "vneid"',
          'name_vi = "VNeID"',
          'name_en = "VNeID"',
          `issuer = "${provider}"`,
          'client_id = "tinhso"',
          'client_secret = "tinhso-bi-mat"',
          `redirect_base_url = "${base}"`,
          `post_logout_redirect_uri = "${base}/dang-nhap"`,
        ].join('\n') + '\n',
      );
      return ['--config', config];
    },
  });
  await startProvider(opPort, server.base);
  const browser = await launchBrowser();
  const submitPath = `/thu-tuc/nop?ma=${PROC}`;
  const signInPath = `/dang-nhap?next=${encodeURIComponent(submitPath)}`;

  // ---- Refusals come back as sentences -------------------------------------------------------
  for (const [what, act, reason] of [
    ['cancel at the provider', (page) => page.getByText('[ Cancel ]').click(), 'oidc.provider_error'],
    ['a provider account without an identity number', (page) => signInAtProvider(page, provider, 'khong-dinh-danh'), 'oidc.identity_missing'],
  ]) {
    step(`${what}: a clear message on the sign-in page`);
    const ctx = await newContext(browser, server, { lang, width });
    const page = await ctx.newPage();
    await page.goto(signInPath);
    await page.getByTestId('oidc-vneid').click();
    await page.waitForURL((u) => u.origin === provider);
    await act(page);
    await page.waitForURL((u) => u.origin === server.base && u.pathname === '/dang-nhap');
    checkEq(new URL(page.url()).searchParams.get('oidc_error'), reason, 'the reason in the address');
    const message = page.getByTestId('oidc-error');
    await message.waitFor();
    checkEq((await message.innerText()).trim(), tr(lang, `login.${reason}`), 'the message');
    check(await page.getByTestId('login-form').isVisible(), 'the sign-in form is still offered');
    await pageCheck(page, `sign-in page after: ${what}`);
    await axe(page, `sign-in page after: ${what}`);
    await shot(page, reason.replace('oidc.', ''));
    forgiveProviderFonts(ctx);
    await checkNoProblems(ctx);
    await ctx.close();
  }

  // ---- A citizen signs in and submits as her verified self ------------------------------------
  step('sign in with VNeID as cong-dan-1');
  const ctx = await newContext(browser, server, { lang, width });
  const page = await ctx.newPage();
  await page.goto(signInPath);
  await page.getByTestId('oidc-vneid').waitFor();
  await pageCheck(page, 'sign-in page');
  await axe(page, 'sign-in page');
  await shot(page, 'sign-in');
  checkEq((await page.getByTestId('oidc-vneid').innerText()).trim(), tr(lang, 'login.oidc_with', { name: 'VNeID' }), 'the button');
  await page.getByTestId('oidc-vneid').click();
  await signInAtProvider(page, provider, 'cong-dan-1');
  await page.waitForURL((u) => u.origin === server.base && u.pathname + u.search === submitPath);
  forgiveProviderFonts(ctx);

  step('back signed in: the form shows the verified identity, read-only');
  await page.getByTestId('logout').waitFor();
  const verified = page.getByTestId('applicant-verified');
  await verified.waitFor();
  const said = await verified.innerText();
  check(said.includes(tr(lang, 'applicant.verified')), `"${tr(lang, 'applicant.verified')}" is said: ${said}`);
  check(said.includes('02/01/1999'), `the date of birth from VNeID is shown: ${said}`);
  checkEq(await page.getByTestId('applicant-name').inputValue(), 'Nguyễn Văn An', 'the name from VNeID');
  checkEq(await page.getByTestId('applicant-id').inputValue(), '001099012345', 'the identity number from VNeID');
  check(await page.getByTestId('applicant-name').evaluate((e) => e.readOnly), 'the name is read-only');
  check(await page.getByTestId('applicant-id').evaluate((e) => e.readOnly), 'the number is read-only');
  if (width >= 600) {
    const header = await page.getByTestId('account-name').innerText();
    check(header.includes('Nguyễn Văn An') && header.includes('VNeID'), `the header names her, verified: ${header}`);
  }
  await page.waitForFunction(() => ![...document.querySelectorAll('.loading')].some((el) => el.getClientRects().length > 0));
  await pageCheck(page, 'submission form, verified');
  await axe(page, 'submission form, verified');
  await shot(page, 'verified-form');

  step('the account and the dossier say who verified her');
  const me = await page.evaluate(async () => (await fetch('/api/v1/auth/me')).json());
  checkEq(me.identity_provider, 'vneid', 'the account verified by');
  checkEq(me.birth_date, '1999-01-02', 'the account date of birth');
  check(typeof me.identity_verified_at === 'string', `verified at: ${me.identity_verified_at}`);
  const pdf = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Count 0/Kids[]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n').toString('base64');
  const body = {
    procedure_code: PROC,
    channel: 'online',
    // Another name is refused (the server takes the verified one); the page never sends one.
    applicant: { kind: 1, name: 'Nguyễn Văn An', id_number: '001099012345', phone: '0912345678', email: '', address: '' },
    form: { ten_co_so: 'Cơ sở in An Bình', ma_so_thue: '4700123452', dia_chi: 'Số 3, phường Đức Xuân', nguoi_dung_dau: 'Nguyễn Văn An', noi_dung_in: 'In', so_thiet_bi: 1, so_dien_thoai: '0912345678' },
    files: ['TP1', 'TP2', 'TP3'].map((c) => ({ component: c, name: `${c.toLowerCase()}.pdf`, content_base64: pdf })),
  };
  const submit = (b) =>
    page.evaluate(async (json) => {
      const csrf = document.cookie.split('; ').find((c) => c.startsWith('tinhso_csrf='))?.slice('tinhso_csrf='.length) ?? '';
      const r = await fetch('/api/v1/dossiers', { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': csrf }, body: JSON.stringify(json) });
      return { status: r.status, body: await r.json() };
    }, b);
  const altered = await submit({ ...body, applicant: { ...body.applicant, name: 'Tên Khác' } });
  checkEq(altered.status, 400, 'another name for the verified applicant');
  checkEq(altered.body.error?.code, 'dossier.applicant_not_account', 'why');
  const created = await submit(body);
  checkEq(created.status, 201, `the submission (${JSON.stringify(created.body).slice(0, 200)})`);
  checkEq(created.body.applicant_verified?.provider, 'vneid', 'the dossier records VNeID');
  checkEq(created.body.applicant_verified?.birth_date, '1999-01-02', 'with the date of birth');
  await checkNoProblems(ctx);
  await ctx.close();

  // ---- "Quên mật khẩu" --------------------------------------------------------------------------
  step('forgotten password: the link on the sign-in page, one answer for any account');
  const staff = await newContext(browser, server, { lang, width });
  const sp = await staff.newPage();
  for (const who of ['khong.co.ai', 'quantri']) {
    await sp.goto('/dang-nhap');
    await sp.getByTestId('login-forgot').click();
    await sp.waitForURL('**/quen-mat-khau');
    await sp.getByTestId('reset-login').fill(who);
    if (who === 'quantri') {
      await pageCheck(sp, 'forgotten password form');
      await axe(sp, 'forgotten password form');
      await shot(sp, 'forgot');
    }
    await sp.getByTestId('reset-request-submit').click();
    const answer = sp.getByTestId('reset-requested');
    await answer.waitFor();
    check((await answer.innerText()).includes(tr(lang, 'reset.requested')), `the answer for ${who}`);
  }
  await pageCheck(sp, 'reset requested');
  await axe(sp, 'reset requested');
  await shot(sp, 'requested');

  step('the e-mailed link (from the outbox) sets a new password');
  const rows = query(server.db, "SELECT address || ' ' || body FROM notifications WHERE template_key = 'password_reset' AND channel = 'email'").trim();
  check(rows.startsWith('quantri@backan.example.vn '), `one e-mail, to the administrator: ${rows.slice(0, 200)}`);
  const link = /(http:\/\/127\.0\.0\.1:\d+\/dat-lai-mat-khau#[A-Za-z0-9_-]+)/.exec(rows)?.[1];
  check(link && link.startsWith(server.base), `a link to this server in the e-mail: ${rows}`);
  await sp.goto(link);
  await sp.getByTestId('reset-form').waitFor();
  check(!sp.url().includes('#'), `the token leaves the address bar: ${sp.url()}`);
  await pageCheck(sp, 'reset form');
  await axe(sp, 'reset form');
  await sp.getByTestId('reset-password').fill(NEW_PASSWORD);
  await sp.getByTestId('reset-repeat').fill(NEW_PASSWORD);
  await sp.getByTestId('reset-submit').click();
  // Two Argon2id hashes (the old password compared, the new one made) in the server's low-priority
  // pool for anonymous costly work: on a busy machine this takes a while.
  await sp.getByTestId('reset-done').waitFor({ timeout: 60_000 });
  await axe(sp, 'password reset done');
  await shot(sp, 'reset-done');

  // (That the old one no longer does is the API tests' part: a failed sign-in here would make
  // this address wait before the next.)
  step('the new password signs in');
  await sp.goto('/dang-nhap');
  await sp.getByTestId('login-name').fill('quantri');
  await sp.getByTestId('login-password').fill(NEW_PASSWORD);
  await sp.getByTestId('login-submit').click();
  await sp.getByTestId('logout').waitFor({ timeout: 60_000 });
  log('signed in with the new password');
  await checkNoProblems(staff);
});
