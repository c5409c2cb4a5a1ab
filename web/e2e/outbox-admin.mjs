// The administrators' page of outgoing messages (Quản trị → Tin gửi đi), in one language at one
// width: the failed message is listed first with its reason, its dialog shows the request, the
// body and each attempt; Retry and Cancel each ask first, then change the message (and the list).
// The messages are put in the database before the server starts (no outside system is needed:
// nothing delivers them here). Each state of the page is checked by axe and by checkPage.
//
//   node e2e/outbox-admin.mjs [--lang vi|en] [--width 390|1280] [--backend sqlite|postgres]
import crypto from 'node:crypto';
import { args, check, checkAxe, checkEq, checkNoProblems, checkPage, launchBrowser, run, runTool, screenshot, session, startServer, step, tr } from './harness.mjs';

const opt = args({ lang: 'vi', width: '1280', backend: 'sqlite' });
const lang = opt.lang;
const width = Number(opt.width);

const SYNC = '{"MaHoSo":"H55.60.01-260310-0001","TrangThai":"2","NgayTiepNhan":null}';
const EDXML = '<edXMLEnvelope><edXMLHeader><MessageHeader><Subject>Công văn số 123/UBND</Subject></MessageHeader></edXMLHeader></edXMLEnvelope>';
const REASON = 'HTTP 422: Thiếu trường NgayTiepNhan';

// Two messages: a dossier's sync the national portal refused (dead, one attempt), and an edXML
// document waiting for its third attempt after two 503s.
function seed({ db }) {
  const now = Math.floor(Date.now() / 1000);
  const sqlite = db.startsWith('sqlite:');
  const blob = (s) => (sqlite ? `CAST('${s}' AS BLOB)` : `convert_to('${s}', 'UTF8')`);
  const sha = (s) => crypto.createHash('sha256').update(s, 'utf8').digest('hex');
  const len = (s) => Buffer.byteLength(s, 'utf8');
  const sql = `
INSERT INTO outbox_messages (destination, ordering_key, seq, idempotency_key, method, path, headers,
  body, body_size, body_sha256, status, attempts, next_attempt_at, last_error, last_status_code,
  created_at, updated_at) VALUES
 ('dvcqg.dossier', 'H55.60.01-260310-0001', 1, 'dongbo-H55.60.01-260310-0001-1', 'POST',
  '/api/hoso/dongbo', 'Content-Type: application/json
', ${blob(SYNC)}, ${len(SYNC)}, '${sha(SYNC)}', 'dead', 1, ${now - 590}, '${REASON}', 422,
  ${now - 600}, ${now - 590}),
 ('edxml.document', '', 0, 'vanban-2026-000123', 'POST', '/edxml/send',
  'Content-Type: application/xml
', ${blob(EDXML)}, ${len(EDXML)}, '${sha(EDXML)}', 'retrying', 2, ${now + 1800},
  'HTTP 503: Service Unavailable', 503, ${now - 300}, ${now - 60});
INSERT INTO outbox_attempts (message_id, started_at, finished_at, outcome, status_code, error)
  SELECT id, ${now - 590}, ${now - 590}, 'dead', 422, '${REASON}' FROM outbox_messages
  WHERE idempotency_key = 'dongbo-H55.60.01-260310-0001-1';
INSERT INTO outbox_attempts (message_id, started_at, finished_at, outcome, status_code, error)
  SELECT id, ${now - 300}, ${now - 299}, 'retry', 503, 'HTTP 503: Service Unavailable'
  FROM outbox_messages WHERE idempotency_key = 'vanban-2026-000123';
`;
  if (sqlite) runTool('sqlite3', [db.slice('sqlite:'.length), sql]);
  else runTool('psql', [db, '-v', 'ON_ERROR_STOP=1', '-qc', sql]);
}

run(`outbox-admin-${lang}-${width}-${opt.backend}`, async () => {
  const server = await startServer({ backend: opt.backend, dossiers: 0, beforeServe: seed });
  const browser = await launchBrowser();
  const { ctx, page } = await session(browser, server, 'quantri', { lang, width });
  const ok = async (what) => {
    await page.waitForFunction(() => ![...document.querySelectorAll('.loading')].some((el) => el.getClientRects().length > 0));
    await checkPage(page, { lang, width, what: `${what} (${lang}, ${width}px)` });
    await checkAxe(page, what);
  };

  step('the failed message first, with its reason');
  await page.goto('/quan-tri');
  await page.getByTestId('admin-outbox').click();
  const table = page.getByTestId('outbox-table');
  await table.waitFor();
  checkEq(await table.locator('tbody tr').count(), 1, 'the failed messages only, at first');
  const row = table.locator('tbody tr').first();
  const rowText = await row.innerText();
  check(rowText.includes('dongbo-H55.60.01-260310-0001-1') && rowText.includes(REASON), `the row names the key and the reason: ${rowText}`);
  check(rowText.includes(tr(lang, 'admin.ob.st.dead')), 'the row says it failed');
  const filter = page.getByTestId('outbox-status');
  // The counts come on their own request, which may answer after the list's.
  await filter.locator('option:checked', { hasText: '(1)' }).waitFor({ state: 'attached' });
  await ok('outbox list');
  await screenshot(page, `admin-outbox-${lang}-${width}`);

  step('a message: request, body, attempts');
  const id = (await row.locator('td').first().innerText()).trim();
  await row.getByRole('button', { name: tr(lang, 'admin.ob.view_named', { id }) }).click();
  const dialog = page.getByTestId('outbox-dialog');
  await dialog.getByTestId('outbox-attempts').waitFor();
  checkEq(await dialog.getByTestId('outbox-body').innerText(), SYNC, 'the body as sent');
  const attempt = await dialog.getByTestId('outbox-attempts').locator('tbody tr').innerText();
  check(attempt.includes('422') && attempt.includes(tr(lang, 'admin.ob.out.dead')), `the attempt and its outcome: ${attempt}`);
  await ok('outbox message');
  await screenshot(page, `admin-outbox-message-${lang}-${width}`);

  step('retry asks first, then queues it');
  await dialog.getByTestId('outbox-retry').click();
  const confirm = page.getByTestId('outbox-confirm');
  await confirm.waitFor();
  check((await confirm.innerText()).includes('dvcqg.dossier'), 'the question names the destination');
  await ok('outbox retry confirmation');
  const retried = page.waitForResponse((r) => r.url().includes('/retry'));
  await confirm.getByTestId('outbox-confirm-yes').click();
  checkEq((await retried).status(), 200, 'the retry is accepted');
  await page.getByRole('status').filter({ hasText: tr(lang, 'admin.ob.retried', { id }) }).waitFor();
  await page.getByText(tr(lang, 'admin.ob.none')).waitFor();

  step('the waiting document can be cancelled');
  await filter.selectOption('retrying');
  await table.waitFor();
  const waiting = table.locator('tbody tr').first();
  check((await waiting.innerText()).includes('vanban-2026-000123'), 'the retrying document is listed');
  await waiting.getByRole('button').click();
  await dialog.getByTestId('outbox-cancel').click();
  await confirm.waitFor();
  const cancelled = page.waitForResponse((r) => r.url().includes('/cancel'));
  await confirm.getByTestId('outbox-confirm-yes').click();
  checkEq((await cancelled).status(), 200, 'the cancel is accepted');
  await page.getByText(tr(lang, 'admin.ob.none')).waitFor();
  await filter.selectOption('');
  await table.waitFor();
  const all = await table.locator('tbody').innerText();
  check(all.includes(tr(lang, 'admin.ob.st.queued')) && all.includes(tr(lang, 'admin.ob.st.cancelled')), `one queued, one cancelled: ${all}`);
  const audit = await (await ctx.request.get('/api/v1/audit?action=outbox.&limit=10')).json();
  checkEq(audit.items.map((e) => e.action).join(' '), 'outbox.cancel outbox.retry', 'both changes are audited, newest first');
  await checkNoProblems(ctx);
  await ctx.close();
  await browser.close();
});
