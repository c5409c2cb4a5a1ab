// Error and edge states, in Vietnamese and English: each shows a translated, friendly message
// (never raw JSON, a key, or a blank page) and a way on.
//   node e2e/states.mjs [--width 1280|360]
import { args, check, checkEq, COSTLY_TIMEOUT, checkNoProblems, checkPage, launchBrowser, PASSWORD, run, screenshot, session, startServer, step, tr } from './harness.mjs';

const opt = args({ width: '1280' });
const width = Number(opt.width);

run(`states-${width}`, async () => {
  const server = await startServer({ dossiers: 0 });
  const browser = await launchBrowser();

  for (const lang of ['vi', 'en']) {
    const ok = (page, what) => checkPage(page, { lang, width, what: `${what} (${lang})` });
    const { ctx, page } = await session(browser, server, null, { lang, width });
    // The server's 4xx answers below are expected; the page must explain them.
    const errorBox = page.getByTestId('error');

    step(`${lang}: sign-in with nothing typed`);
    await page.goto('/dang-nhap');
    await page.getByTestId('login-submit').click();
    await errorBox.waitFor();
    checkEq((await errorBox.locator('.alert-title').innerText()).trim(), tr(lang, 'login.failed'), 'title of the sign-in error');
    check((await errorBox.innerText()).includes(tr(lang, 'login.empty')), 'asks for name and password');

    step(`${lang}: wrong password`);
    await page.getByTestId('login-name').fill('motcua');
    await page.getByTestId('login-password').fill(`${PASSWORD}-wrong`);
    const answer = page.waitForResponse((r) => r.url().endsWith('/api/v1/auth/login'), { timeout: COSTLY_TIMEOUT });
    await page.getByTestId('login-submit').click();
    const res = await answer;
    checkEq(res.status(), 401, 'status of a wrong password');
    const body = await res.json();
    const serverMessage = lang === 'en' ? body.error.message_en : body.error.message;
    check(serverMessage, 'the server explains the refusal');
    await errorBox.filter({ hasText: serverMessage }).waitFor();
    checkEq((await errorBox.locator('.alert-title').innerText()).trim(), tr(lang, 'login.failed'), 'title of the sign-in error');
    check(!(await errorBox.innerText()).includes(lang === 'en' ? body.error.message : body.error.message_en), 'only the chosen language is shown');
    check((await page.getByTestId('logout').count()) === 0, 'not signed in');
    check(new URL(page.url()).pathname === '/dang-nhap', 'still on the sign-in page');
    await ok(page, 'wrong password');
    await screenshot(page, `state-wrong-password-${lang}-${width}`);

    step(`${lang}: lookup with a wrong code`);
    await page.goto('/tra-cuu?ma=000.00.19.H55-261124-9999&k=SAI123');
    await errorBox.waitFor();
    checkEq((await errorBox.locator('.alert-hint').innerText()).trim(), tr(lang, 'error.hint.notfound'), 'hint of the lookup error');
    check((await page.getByTestId('lookup-result').count()) === 0, 'no result is shown');
    checkEq(await page.getByTestId('lookup-code').inputValue(), '000.00.19.H55-261124-9999', 'the code stays in the form to correct');
    await ok(page, 'lookup not found');
    await screenshot(page, `state-lookup-not-found-${lang}-${width}`);

    step(`${lang}: unknown procedure`);
    await page.goto('/thu-tuc?ma=9.999999');
    await errorBox.waitFor();
    checkEq((await errorBox.locator('.alert-hint').innerText()).trim(), tr(lang, 'error.hint.notfound'), 'hint of an unknown procedure');
    await page.getByRole('link', { name: tr(lang, 'common.back_to_search') }).waitFor();
    await ok(page, 'unknown procedure');

    step(`${lang}: unknown page`);
    await page.goto('/khong-co-trang-nay');
    await page.getByRole('heading', { level: 1, name: tr(lang, 'notfound.title') }).waitFor();
    await ok(page, 'unknown page');

    step(`${lang}: officer page without signing in`);
    await page.goto('/mot-cua');
    await page.waitForURL((u) => u.pathname === '/dang-nhap' && u.searchParams.get('next') === '/mot-cua');
    await page.getByTestId('login-form').waitFor();

    step(`${lang}: the API is down`);
    await page.route('**/api/**', (route) => route.abort('connectionrefused'));
    await page.goto('/');
    await errorBox.waitFor();
    check((await errorBox.innerText()).includes(tr(lang, 'error.network')), 'says the server cannot be reached');
    checkEq((await errorBox.locator('.alert-hint').innerText()).trim(), tr(lang, 'error.hint.network'), 'hint when the network fails');
    await ok(page, 'API down');
    await screenshot(page, `state-api-down-${lang}-${width}`);
    // Back up: "Retry" loads the list without reloading the page.
    await page.unroute('**/api/**');
    await errorBox.getByRole('button', { name: tr(lang, 'common.retry') }).click();
    await page.getByTestId('procedure-result').first().waitFor();
    check((await errorBox.count()) === 0, 'the error is gone after a successful retry');
    await checkNoProblems(ctx);
    await ctx.close();

    step(`${lang}: a citizen on an officer page`);
    const c = await session(browser, server, '019190000001', { lang, width });
    await c.page.goto('/mot-cua');
    await c.page.getByRole('heading', { level: 1, name: tr(lang, 'error.forbidden_title') }).waitFor();
    check((await c.page.getByTestId('empty').innerText()).includes(tr(lang, 'error.forbidden_body')), 'explains why');
    await checkPage(c.page, { lang, width, what: `forbidden (${lang})` });

    step(`${lang}: a citizen with no dossier yet`);
    await c.page.goto('/ho-so-cua-toi');
    const empty = c.page.getByTestId('empty');
    await empty.waitFor();
    checkEq((await empty.locator('.empty-title').innerText()).trim(), tr(lang, 'my.none'), 'empty state title');
    check((await empty.innerText()).includes(tr(lang, 'my.none_hint')), 'the empty state says what to do');
    await checkPage(c.page, { lang, width, what: `no dossier yet (${lang})` });
    await checkNoProblems(c.ctx);
    await c.ctx.close();
  }
});
