// The data-integration gateway's administration page (issue 17, /quan-tri/lgsp), in one
// language at one width: an administrator adds a member, its system and a service, issues an
// access token (shown once), grants the system the right to call the service, sees it, and
// withdraws it; the system then calls the gateway's door with its token and is refused
// (403, LGSP error 100), and the message log shows the refusal in words, with a summary of the
// page shown and "Xem thêm" paging. Form mistakes show on their fields (the client's checks and
// the server's answers). Each state is checked by axe and by checkPage.
//
//   node e2e/gateway-admin.mjs [--lang vi|en] [--width 390|1280] [--backend sqlite|postgres]
import { args, check, checkAxe, checkEq, checkNoProblems, checkPage, cliOn, launchBrowser, log, run, screenshot, session, setUpPki, startServer, step, tempDir, testConfig, tr } from './harness.mjs';

const opt = args({ lang: 'vi', width: '390', backend: 'sqlite' });
const lang = opt.lang;
const width = Number(opt.width);
const MEMBER = 'E2E.H55';
const SYSTEM = `${MEMBER}/motcua`;
const SERVICE = 'e2e-thu';
const PAGE = 50; // the log tab's page (web/src/pages/admin/Gateway.tsx)

const ok = async (page, what) => {
  await page.waitForFunction(() => ![...document.querySelectorAll('.loading')].some((el) => el.getClientRects().length > 0));
  await checkPage(page, { lang, width, what: `${what} (${lang}, ${width}px)` });
  await checkAxe(page, what);
};
const shot = (page, what) => screenshot(page, `gateway-${what}-${lang}-${width}`);

run(`gateway-admin-${lang}-${width}-${opt.backend}`, async () => {
  // The gateway signs each record of its log with the province's organisation certificate and
  // time-stamps them (src/app/app.cpp): a PKI with both, through the CLI.
  const dir = tempDir('tinhso-e2e-gateway-');
  const config = testConfig(dir);
  const server = await startServer({
    backend: opt.backend,
    dossiers: 0,
    serveArgs: ['--config', config],
    beforeServe: ({ db }) => {
      step('pki: the province\'s organisation certificate and a time-stamping unit');
      setUpPki(cliOn(db, config), 'H55');
    },
  });
  const browser = await launchBrowser();
  const { ctx, page } = await session(browser, server, 'quantri', { lang, width });

  step('the administration shows the gateway among its sections');
  await page.goto('/quan-tri');
  await page.getByTestId('admin-gateway').click();
  await page.waitForURL(/\/quan-tri\/lgsp\/thanh-vien$/);
  checkEq((await page.getByTestId('admin-gateway').innerText()).trim(), tr(lang, 'admin.gateway'), 'the section\'s name');
  await page.getByTestId('gm-submit').waitFor();
  await ok(page, 'gateway members, empty');

  step('members: the form\'s own checks, on their fields');
  await page.locator('#gm-code').fill('H55 19');
  await page.getByTestId('gm-submit').click();
  checkEq(await page.locator('#gm-code').getAttribute('aria-invalid'), 'true', 'the code is marked invalid');
  checkEq((await page.locator('#gm-code-error').innerText()).trim(), tr(lang, 'admin.gw.check.member_code'), 'the code\'s message beside it');
  checkEq((await page.locator('#gm-name-error').innerText()).trim(), tr(lang, 'admin.gw.check.required'), 'the name is required');
  checkEq(await page.evaluate(() => document.activeElement?.id), 'gm-code', 'focus on the first field to correct');

  step('members: add a member');
  await page.locator('#gm-code').fill(MEMBER);
  await page.locator('#gm-name').fill('Sở Thử nghiệm tỉnh');
  await page.getByTestId('gm-submit').click();
  await page.getByTestId(`member-${MEMBER}`).waitFor();

  step('members: the server\'s refusal lands on its field (the code is taken)');
  await page.locator('#gm-code').fill(MEMBER);
  await page.locator('#gm-name').fill('Bản sao');
  const dup = page.waitForResponse((r) => r.url().endsWith('/api/v1/gateway/members') && r.request().method() === 'POST');
  await page.getByTestId('gm-submit').click();
  checkEq((await dup).status(), 409, 'the server refuses a second member with the same code');
  await page.locator('#gm-code-error').waitFor();
  checkEq(await page.locator('#gm-code').getAttribute('aria-invalid'), 'true', 'the server\'s error marks the code');
  check((await page.locator('#gm-code-error').innerText()).trim().length > 5, 'with the server\'s message beside it');
  await ok(page, 'gateway member form with the server\'s error');
  await page.locator('#gm-code').fill('');
  await page.locator('#gm-name').fill('');

  step('members: add a system');
  await page.locator('#gs-member_code').selectOption(MEMBER);
  await page.locator('#gs-name').fill('motcua');
  await page.getByTestId('gs-submit').click();
  const row = page.getByTestId(`system-${SYSTEM}`);
  await row.waitFor();
  check((await row.innerText()).includes(tr(lang, 'admin.gw.no_token')), 'the system has no token yet');

  step('members: issue a token, shown once with a warning');
  await page.getByTestId(`token-${SYSTEM}`).click();
  const dialog = page.getByTestId('token-dialog');
  await page.getByTestId('token-issue').click();
  const tokenBox = page.getByTestId('token-value');
  await tokenBox.waitFor();
  const token = await tokenBox.inputValue();
  check(token.length >= 20, `a token is shown: ${token.length} characters`);
  check((await dialog.innerText()).includes(tr(lang, 'admin.gw.token_once_title')), 'the warning that it is shown once');
  check(await page.getByTestId('token-copy').isVisible(), 'a copy button');
  await ok(page, 'gateway token dialog');
  await shot(page, 'token');
  await page.getByTestId('token-done').click();
  await dialog.waitFor({ state: 'hidden' });
  check(!(await page.content()).includes(token), 'the token is gone from the page once the dialog is closed');
  await page.waitForFunction((t) => document.querySelector(`[data-testid="system-${CSS.escape(t.sys)}"]`)?.textContent.includes(t.word), { sys: SYSTEM, word: tr(lang, 'admin.gw.has_token') });
  await page.getByTestId(`token-${SYSTEM}`).click();
  check((await dialog.innerText()).includes(tr(lang, 'admin.gw.token_replaces')), 'a second token warns that it ends the first');
  await dialog.getByRole('button', { name: tr(lang, 'common.cancel') }).click();
  await dialog.waitFor({ state: 'hidden' });

  step('members: a certificate that is not one is refused on its field');
  await page.getByRole('button', { name: `${tr(lang, 'admin.gw.cert_bind')}: ${SYSTEM}` }).click();
  await page.getByTestId('cert-dialog').waitFor();
  await page.locator('#gc-certificate_pem').fill('-----BEGIN CERTIFICATE-----\nTUlJQg==\n-----END CERTIFICATE-----\n');
  const bound = page.waitForResponse((r) => r.url().endsWith('/api/v1/gateway/certificates'));
  await page.getByTestId('cert-submit').click();
  checkEq((await bound).status(), 400, 'the server refuses it');
  await page.locator('#gc-certificate_pem-error').waitFor();
  checkEq(await page.locator('#gc-certificate_pem').getAttribute('aria-invalid'), 'true', 'the server\'s error marks the certificate');
  await ok(page, 'gateway certificate with the server\'s error');
  await page.getByTestId('cert-dialog').getByRole('button', { name: tr(lang, 'common.cancel') }).click();
  await page.getByTestId('cert-dialog').waitFor({ state: 'hidden' });
  await ok(page, 'gateway members');
  await shot(page, 'members');

  step('services: register one');
  await page.getByTestId('gw-tab-services').click();
  await page.getByTestId('gv-submit').waitFor();
  await page.locator('#gv-code').fill(SERVICE);
  await page.locator('#gv-provider_code').selectOption(SYSTEM);
  await page.locator('#gv-name').fill('Dịch vụ thử');
  await page.locator('#gv-upstream_url').fill('ftp://127.0.0.1:1');
  await page.locator('#gv-timeout_ms').fill('50');
  await page.getByTestId('gv-submit').click();
  checkEq((await page.locator('#gv-upstream_url-error').innerText()).trim(), tr(lang, 'admin.gw.check.url'), 'the address is checked');
  checkEq((await page.locator('#gv-timeout_ms-error').innerText()).trim(), tr(lang, 'admin.gw.check.timeout'), 'the timeout is checked');
  await page.locator('#gv-upstream_url').fill('http://127.0.0.1:1');
  await page.locator('#gv-timeout_ms').fill('1000');
  await page.getByTestId('gv-submit').click();
  await page.getByTestId(`service-${SERVICE}`).waitFor();
  step('services: edit it');
  await page.getByTestId(`edit-${SERVICE}`).click();
  checkEq(await page.locator('#gv-code').inputValue(), SERVICE, 'the form holds the service');
  check(await page.locator('#gv-code').getAttribute('readonly') !== null, 'its code cannot be changed');
  await page.locator('#gv-timeout_ms').fill('2500');
  await page.getByTestId('gv-submit').click();
  await page.getByText(tr(lang, 'admin.gw.service_saved', { code: SERVICE })).waitFor();
  const saved = await (await page.request.get('/api/v1/gateway/services')).json();
  checkEq(saved.items.find((s) => s.code === SERVICE)?.timeout_ms, 2500, 'the new timeout is saved');
  checkEq(await page.locator('#gv-code').inputValue(), '', 'the form is back to a new service');
  await ok(page, 'gateway services');
  await shot(page, 'services');

  step('rights: grant the system the right to call the service');
  await page.getByTestId('gw-tab-rights').click();
  await page.getByTestId('gg-submit').waitFor();
  await page.locator('#gg-client').selectOption(SYSTEM);
  await page.locator('#gg-service').selectOption(SERVICE);
  await page.locator('#gg-per_minute').fill('60');
  await page.getByTestId('gg-submit').click();
  const right = page.getByTestId(`right-${SYSTEM}-${SERVICE}`);
  await right.waitFor();
  checkEq(await right.getAttribute('data-state'), 'active', 'the right is in force');
  check((await right.innerText()).includes('60'), 'with its quota');

  step('the door: the system calls the service with its token (the upstream is down)');
  const call = (t) => page.request.get(`/lgsp/${SERVICE}/x`, { headers: { Authorization: `Bearer ${t}` } });
  const passed = await call(token);
  checkEq(passed.status(), 502, 'let through, and the upstream at 127.0.0.1:1 refuses');
  checkEq((await passed.json()).error_code, '502', 'LGSP shape: UPSTREAM_UNAVAILABLE');
  await ok(page, 'gateway rights');
  await shot(page, 'rights');

  step('rights: withdraw it, after a confirmation');
  await right.getByTestId('right-withdraw').click();
  const confirm = page.getByTestId('withdraw-dialog');
  await confirm.waitFor();
  check((await confirm.innerText()).includes(SYSTEM), 'the confirmation names the system');
  await ok(page, 'gateway withdrawal confirmation');
  await page.getByTestId('withdraw-confirm').click();
  await confirm.waitFor({ state: 'hidden' });
  await right.waitFor({ state: 'detached' });
  await page.getByTestId('rights-all').check();
  await right.waitFor();
  checkEq(await right.getAttribute('data-state'), 'withdrawn', 'the withdrawn right shows with "show withdrawn too"');

  step('the door: refused once the right is withdrawn');
  const refused = await call(token);
  checkEq(refused.status(), 403, 'refused');
  const body = await refused.json();
  checkEq(body.error_code, '100', 'LGSP error 100');
  checkEq(body.message, 'AUTHEN_ERROR', 'AUTHEN_ERROR');
  const stranger = await call('not-a-token');
  checkEq(stranger.status(), 401, 'an unknown token is not recognised');
  checkEq((await stranger.json()).error_code, '100', 'LGSP error 100 too');
  // More refusals, for a second page of the log.
  for (let i = 0; i < PAGE; i++) checkEq((await call(token)).status(), 403, `refusal ${i + 2}`);
  const records = PAGE + 3;

  step('log: newest first, refusals in words');
  await page.getByTestId('gw-tab-log').click();
  await page.getByTestId('log-table').waitFor();
  const rows = page.getByTestId('log-row');
  checkEq(await rows.count(), PAGE, 'one page');
  const first = rows.first();
  checkEq(await first.getAttribute('data-code'), '100', 'the newest record is a refusal with code 100');
  const firstText = await first.innerText();
  check(firstText.includes(tr(lang, 'admin.gw.code.100')) && firstText.includes('403'), `status and code in words: ${firstText}`);
  check([tr(lang, 'admin.gw.stamp_waiting'), tr(lang, 'admin.gw.stamped', { id: '' }).split('(')[0].trim()].some((w) => firstText.includes(w)), `stamped or waiting: ${firstText}`);
  const seqs = (await rows.evaluateAll((rs) => rs.map((r) => Number(r.getAttribute('data-seq')))));
  check(seqs.every((s, i) => i === 0 || s < seqs[i - 1]), 'newest first');
  checkEq((await page.getByTestId('sum-calls').innerText()).trim(), String(PAGE), 'the summary counts the page shown');
  check((await page.getByTestId('sum-caption').innerText()).includes(String(PAGE)), 'its caption says it is computed from the page shown');
  await page.locator('.gw-summary .chart svg').waitFor();
  await ok(page, 'gateway log');
  await shot(page, 'log');

  step('log: "Xem thêm" fetches the page before the last record');
  const more = page.waitForResponse((r) => r.url().includes('/api/v1/gateway/log') && r.url().includes(`before=${seqs[seqs.length - 1]}`));
  await page.getByTestId('log-more').click();
  await more;
  await page.waitForFunction((n) => document.querySelectorAll('[data-testid=log-row]').length === n, records);
  await page.getByTestId('log-more').waitFor({ state: 'detached' });
  const all = await rows.evaluateAll((rs) => rs.map((r) => [Number(r.getAttribute('data-seq')), r.getAttribute('data-code')]));
  checkEq(all[all.length - 1][1], '502', 'the oldest record is the call let through to the down upstream');
  checkEq(new Set(all.map((r) => r[0])).size, records, 'no record twice');
  checkEq((await page.getByTestId('sum-refused').innerText()).replace(/\D/g, ''), String(records), 'every call of this test was refused or failed');

  step('log: filtered by client');
  await page.locator('#gl-client').selectOption(SYSTEM);
  await page.waitForFunction((n) => document.querySelectorAll('[data-testid=log-row]').length === n, PAGE);
  await page.getByTestId('log-more').click();
  await page.waitForFunction((n) => document.querySelectorAll('[data-testid=log-row]').length === n, records - 1);
  const clients = await rows.evaluateAll((rs) => rs.map((r) => r.querySelector('td:nth-child(3) .code-tag')?.textContent));
  check(clients.every((c) => c === SYSTEM), 'only the system\'s calls (not the unknown token\'s)');
  await ok(page, 'gateway log, filtered');

  step('log: the archive files, none yet');
  const archives = page.getByTestId('gw-archives');
  await archives.waitFor();
  await archives.getByText(tr(lang, 'admin.gw.archives_none')).waitFor();

  step('members: disable the system, after a confirmation; its calls are refused at once');
  await page.getByTestId('gw-tab-members').click();
  const system = page.getByTestId(`system-${SYSTEM}`);
  await system.waitFor();
  await page.getByTestId(`toggle-${SYSTEM}`).click();
  const asked = page.getByTestId('system-action-dialog');
  await asked.waitFor();
  check((await asked.innerText()).includes(SYSTEM), 'the confirmation names the system');
  await ok(page, 'gateway disable confirmation');
  await page.getByTestId('system-action-confirm').click();
  await asked.waitFor({ state: 'hidden' });
  await system.locator('.badge', { hasText: tr(lang, 'admin.gw.disabled') }).waitFor();
  checkEq((await call(token)).status(), 401, 'a disabled system is not authenticated');
  await page.getByTestId(`toggle-${SYSTEM}`).click();
  await page.getByTestId('system-action-confirm').click();
  await asked.waitFor({ state: 'hidden' });
  await system.locator('.badge', { hasText: tr(lang, 'admin.gw.disabled') }).waitFor({ state: 'detached' });
  checkEq((await call(token)).status(), 403, 'enabled again: known, but its right is withdrawn');

  step('members: its limits; an address that is not one is refused on its field');
  await page.getByTestId(`limits-${SYSTEM}`).click();
  const limits = page.getByTestId('limits-dialog');
  await limits.waitFor();
  checkEq(await page.locator('#gx-rate_per_second').inputValue(), '50', 'the current rate');
  await page.locator('#gx-allowed_ips').fill('uy-ban.gov.vn');
  await page.getByTestId('limits-save').click();
  await page.locator('#gx-allowed_ips-error').waitFor();
  check((await page.locator('#gx-allowed_ips-error').innerText()).includes('uy-ban.gov.vn'), 'the error names the address');
  await ok(page, 'gateway limits with the server\'s error');
  await page.locator('#gx-allowed_ips').fill('10.0.0.9');
  await page.locator('#gx-rate_per_second').fill('20');
  await page.getByTestId('limits-save').click();
  await limits.waitFor({ state: 'hidden' });
  await system.getByText('10.0.0.9').waitFor();  // the list is read again after the save
  const fenced = await call(token);
  checkEq(fenced.status(), 403, 'a call from 127.0.0.1 is refused');
  checkEq((await fenced.json()).error_code, '101', 'LGSP IP_DISALLOWED');
  await page.getByTestId(`limits-${SYSTEM}`).click();
  await page.locator('#gx-allowed_ips').fill('');
  await page.getByTestId('limits-save').click();
  await limits.waitFor({ state: 'hidden' });
  checkEq((await (await call(token)).json()).error_code, '100', 'any address again: back to the withdrawn right');

  step('members: revoke its token; the token no longer works');
  await page.getByTestId(`revoke-${SYSTEM}`).click();
  await asked.waitFor();
  await page.getByTestId('system-action-confirm').click();
  await asked.waitFor({ state: 'hidden' });
  await system.getByText(tr(lang, 'admin.gw.no_token')).waitFor();
  await page.getByTestId(`revoke-${SYSTEM}`).waitFor({ state: 'detached' });
  checkEq((await call(token)).status(), 401, 'the revoked token is refused');
  await ok(page, 'gateway members after revocation');

  await checkNoProblems(ctx);
  await ctx.close();
  log(`done: ${records} records`);
});
