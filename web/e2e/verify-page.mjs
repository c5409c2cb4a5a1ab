// The public signature check (/kiem-tra-chu-ky), with a signature made for real: before the
// server starts, the tinhso CLI sets up the provincial PKI on the test's database (root and
// issuing CA, a time-stamping unit, an organisation certificate of H55.13) and signs a file
// (detached CMS with a time-stamp). The server runs with the same configuration (same master
// key). A signed-out visitor then uploads the file with its .p7s → "Hợp lệ"/"Valid"; the same
// signature with a modified file → "Không hợp lệ"/"Not valid" and the integrity problem; the
// file without its .p7s → the error asks for the .p7s (and offers no "try again"); a scanned PDF
// of ~5 MB signed by the CLI (PAdES) goes up as multipart/form-data → valid; a file over the
// server's 10 MB is refused before sending. Vietnamese at 1280 px, English at 360 px; axe-core
// on every result.
//
//   node e2e/verify-page.mjs [--langs vi,en]
import fs from 'node:fs';
import path from 'node:path';
import {
  args, check, checkEq, cliOn, COSTLY_TIMEOUT, checkNoProblems, checkPage, FILES_CACHE, launchBrowser, log, newContext, run, setUpPki, testConfig,
  screenshot, startServer, step, tempDir, tr, axeViolations
} from './harness.mjs';
import { MB, realFiles, sizeOf } from './real-files.mjs';

const opt = args({ langs: 'vi,en' });
const WIDTH = { vi: 1280, en: 360 };

const axe = (page, what) => axeViolations(page, what);

run('verify-page', async () => {
  // --- The PKI and a real signature, through the CLI -----------------------------------------
  const dir = tempDir('tinhso-e2e-verify-');
  const config = testConfig(dir);
  const doc = path.join(dir, 'cong-van-so-12.txt');
  fs.writeFileSync(doc, 'Công văn số 12/SVHTTDL: về việc tổ chức lễ hội mùa xuân năm 2027.\n');
  const p7s = `${doc}.p7s`;
  const changed = path.join(dir, 'cong-van-so-12-da-sua.txt');
  fs.writeFileSync(changed, 'Công văn số 12/SVHTTDL: về việc tổ chức lễ hội mùa thu năm 2027.\n');
  const huge = path.join(dir, 'ban-chup-qua-lon.pdf');
  fs.closeSync(fs.openSync(huge, 'w'));
  fs.truncateSync(huge, 10 * MB + 1); // sparse: one byte over the limit
  // A real-size scan (4 pages, ~5 MB), signed below by the CLI.
  const browser = await launchBrowser();
  const { scan } = await realFiles(browser, FILES_CACHE);
  const signedPdf = path.join(dir, 'quyet-dinh-so-15-da-ky.pdf');

  const server = await startServer({
    dossiers: 0,
    serveArgs: ['--config', config],
    beforeServe: ({ db }) => {
      step('pki and signature through the CLI');
      const cli = cliOn(db, config);
      const id = setUpPki(cli, 'H55.13');
      cli('sign', 'cms', '--signer', id, doc, p7s);
      check(fs.statSync(p7s).size > 100, 'the CLI wrote the .p7s');
      cli('sign', 'pdf', '--signer', id, scan, signedPdf);
      check(fs.statSync(signedPdf).size > 4 * MB, `the signed scan is of real size: ${sizeOf(signedPdf)}`);
      log(`signed ${path.basename(doc)} and ${path.basename(signedPdf)} (${sizeOf(signedPdf)}) with certificate ${id}`);
    },
  });
  const violations = [];

  for (const lang of opt.langs.split(',')) {
    const width = WIDTH[lang];
    const what = (s) => `${s} (${lang}, ${width}px)`;
    const ctx = await newContext(browser, server, { lang, width });
    const page = await ctx.newPage();

    step(what('the page, signed out'));
    await page.goto('/');
    if (width < 720) await page.locator('.menu-toggle').click();
    const link = page.getByTestId('nav-verify');
    checkEq((await link.innerText()).trim(), tr(lang, 'nav.verify'), 'the header link');
    await link.click();
    await page.getByTestId('verify-form').waitFor();
    checkEq(new URL(page.url()).pathname, '/kiem-tra-chu-ky', 'address of the page');
    await page.getByTestId('empty').waitFor(); // the explained empty state
    check((await page.getByTestId('empty').innerText()).includes(tr(lang, 'verify.empty_title')), 'empty state title');
    check((await page.getByText(tr(lang, 'verify.sig_hint')).count()) === 1, 'the .p7s picker says when it is needed');
    // Both pickers are labelled file inputs.
    const fileInput = page.getByLabel(tr(lang, 'verify.file_label'), { exact: false });
    const sigInput = page.getByLabel(tr(lang, 'verify.sig_label'), { exact: false });
    checkEq(await fileInput.getAttribute('type'), 'file', 'the signed-file picker by its label');
    checkEq(await sigInput.getAttribute('type'), 'file', 'the signature picker by its label');
    // Keyboard: from the heading, Tab reaches the (visually hidden) file input, and the visible
    // "Choose a file…" button shows the focus.
    await page.locator('h1').focus();
    await page.keyboard.press('Tab');
    checkEq(await page.evaluate(() => document.activeElement?.id), 'vf-file', 'Tab from the heading reaches the file picker');
    const ring = await page.locator('#vf-file + .verify-choose').evaluate((el) => getComputedStyle(el).outlineStyle);
    checkEq(ring, 'solid', 'the focused picker shows a focus ring');
    await checkPage(page, { lang, width, what: what('empty verify page') });
    await screenshot(page, `verify-empty-${lang}-${width}`);
    violations.push(...(await axe(page, what('empty'))));

    step(what('a file over 10 MB is refused before sending'));
    let posts = 0;
    const count = (req) => {
      if (req.url().endsWith('/api/v1/verify')) posts++;
    };
    page.on('request', count);
    await fileInput.setInputFiles(huge);
    const tooBig = page.locator('#vf-file-error');
    await tooBig.waitFor();
    check((await tooBig.innerText()).includes('ban-chup-qua-lon.pdf') && (await tooBig.innerText()).includes('10 MB'), `the limit is explained: ${await tooBig.innerText()}`);
    checkEq(await fileInput.getAttribute('aria-invalid'), 'true', 'the picker is marked invalid');
    await page.getByTestId('verify-submit').click();
    checkEq(await page.evaluate(() => document.activeElement?.id), 'vf-file', 'focus goes back to the picker');
    checkEq(posts, 0, 'nothing was sent');
    page.off('request', count);

    step(what('the file and its .p7s: valid'));
    await fileInput.setInputFiles(doc);
    await sigInput.setInputFiles(p7s);
    await page.getByTestId('verify-file-chosen').waitFor();
    const answer = page.waitForResponse((r) => r.url().endsWith('/api/v1/verify'), { timeout: COSTLY_TIMEOUT });
    await page.getByTestId('verify-submit').click();
    checkEq((await answer).status(), 200, 'status of POST /api/v1/verify');
    const verdict = page.getByTestId('verify-verdict');
    await verdict.waitFor();
    checkEq(await verdict.getAttribute('data-valid'), 'true', 'overall verdict');
    checkEq((await page.getByTestId('verify-verdict-word').innerText()).trim(), tr(lang, 'verify.valid'), 'the verdict word');
    check(await page.getByTestId('verify-live').evaluate((el) => el.getAttribute('aria-live') === 'polite' && el.contains(document.querySelector('[data-testid=verify-verdict]'))), 'the verdict is in an aria-live region');
    checkEq(await page.evaluate(() => document.activeElement?.id), 'verify-verdict-title', 'focus moves to the verdict');
    const card = page.getByTestId('signature-card');
    checkEq(await card.count(), 1, 'one signature card');
    check((await card.getByTestId('signer-name').innerText()).includes('Sở Văn hóa'), 'the signer is the agency H55.13');
    checkEq((await card.getByTestId('signer-kind').innerText()).trim(), tr(lang, 'verify.kind.organisation'), 'kind of signature');
    const when = await card.getByTestId('signing-time').innerText();
    check(/\b\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}\b/.test(when), `signing time as dd/mm/yyyy HH:mm: ${JSON.stringify(when)}`);
    check(when.includes(tr(lang, 'verify.time.timestamp')), `the time comes from a trusted time-stamp: ${JSON.stringify(when)}`);
    checkEq(await card.getByTestId('signature-problems').count(), 0, 'no problem listed');
    await checkPage(page, { lang, width, what: what('valid signature') });
    await screenshot(page, `verify-valid-${lang}-${width}`);
    violations.push(...(await axe(page, what('valid'))));

    step(what('a modified file: not valid, integrity'));
    await fileInput.setInputFiles(changed);
    check((await verdict.count()) === 0, 'a new file clears the old verdict');
    const answer2 = page.waitForResponse((r) => r.url().endsWith('/api/v1/verify'), { timeout: COSTLY_TIMEOUT });
    await page.getByTestId('verify-submit').click();
    const body = await (await answer2).json();
    const integrity = body.signatures?.[0]?.problems?.find((p) => p.code === 'integrity');
    check(integrity, `the server reports the integrity problem: ${JSON.stringify(body).slice(0, 400)}`);
    await verdict.waitFor();
    checkEq(await verdict.getAttribute('data-valid'), 'false', 'overall verdict of the modified file');
    checkEq((await page.getByTestId('verify-verdict-word').innerText()).trim(), tr(lang, 'verify.invalid'), 'the verdict word');
    const problems = await page.getByTestId('signature-problems').innerText();
    const expected = lang === 'en' ? integrity.message_en : integrity.message;
    check(problems.includes(expected), `the integrity message in ${lang}: ${JSON.stringify(problems)}`);
    check(!problems.includes(lang === 'en' ? integrity.message : integrity.message_en), 'only the chosen language');
    check((await card.innerText()).includes(tr(lang, 'verify.check.integrity_bad')), 'the integrity check is marked failed');
    await checkPage(page, { lang, width, what: what('modified file') });
    await screenshot(page, `verify-invalid-${lang}-${width}`);
    violations.push(...(await axe(page, what('not valid'))));

    step(what('no .p7s: the error asks for it'));
    await page.getByTestId('verify-signature-chosen').getByRole('button').click();
    await page.getByTestId('verify-submit').click();
    const error = page.getByTestId('error');
    await error.waitFor();
    checkEq((await error.locator('.alert-title').innerText()).trim(), tr(lang, 'verify.failed'), 'error title');
    checkEq((await error.locator('.alert-hint').innerText()).trim(), tr(lang, 'verify.hint.signature_required'), 'the hint asks for the .p7s');
    checkEq(await error.getByRole('button').count(), 0, 'no "try again": the same request would fail again');
    await checkPage(page, { lang, width, what: what('signature missing') });
    violations.push(...(await axe(page, what('error'))));

    step(what('a signed scan of real size, through multipart: valid'));
    await page.getByTestId('verify-reset').click();
    await page.getByTestId('empty').waitFor();
    await fileInput.setInputFiles(signedPdf);
    await page.getByTestId('verify-file-chosen').waitFor();
    const sentPdf = page.waitForRequest((r) => r.method() === 'POST' && r.url().endsWith('/api/v1/verify'));
    const answerPdf = page.waitForResponse((r) => r.url().endsWith('/api/v1/verify'), { timeout: COSTLY_TIMEOUT });
    await page.getByTestId('verify-submit').click();
    const type = (await (await sentPdf).allHeaders())['content-type'] ?? '';
    check(/^multipart\/form-data; *boundary=/.test(type), `the file goes up as multipart/form-data: ${type}`);
    checkEq((await answerPdf).status(), 200, `status of POST /api/v1/verify with ${sizeOf(signedPdf)}`);
    await verdict.waitFor();
    checkEq(await verdict.getAttribute('data-valid'), 'true', 'verdict of the signed scan');
    check((await verdict.innerText()).includes(path.basename(signedPdf)), 'the verdict names the file');
    check((await verdict.innerText()).includes(tr(lang, 'verify.format.pades')), 'a PDF signature (PAdES)');
    checkEq(await card.count(), 1, 'one signature in the scan');
    check((await card.getByTestId('signer-name').innerText()).includes('Sở Văn hóa'), 'the scan is signed by the agency H55.13');
    await checkPage(page, { lang, width, what: what('signed scan') });
    await screenshot(page, `verify-pdf-valid-${lang}-${width}`);
    violations.push(...(await axe(page, what('signed scan'))));

    step(what('both files dropped together on the drop zone: sorted, valid'));
    await page.getByTestId('verify-reset').click();
    await page.getByTestId('empty').waitFor();
    const dt = await page.evaluateHandle(([docB64, sigB64, docName]) => {
      const bin = (b64) => Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
      const d = new DataTransfer();
      d.items.add(new File([bin(sigB64)], `${docName}.p7s`)); // the .p7s first: still sorted right
      d.items.add(new File([bin(docB64)], docName, { type: 'text/plain' }));
      return d;
    }, [fs.readFileSync(doc).toString('base64'), fs.readFileSync(p7s).toString('base64'), path.basename(doc)]);
    await page.getByTestId('verify-file-zone').dispatchEvent('drop', { dataTransfer: dt });
    check((await page.getByTestId('verify-file-chosen').innerText()).includes(path.basename(doc)), 'the dropped file is the signed file');
    check((await page.getByTestId('verify-signature-chosen').innerText()).includes(`${path.basename(doc)}.p7s`), 'the dropped .p7s is the signature');
    await page.getByTestId('verify-submit').click();
    await verdict.waitFor();
    checkEq(await verdict.getAttribute('data-valid'), 'true', 'verdict of the dropped pair');

    await checkNoProblems(ctx);
    await ctx.close();
  }
  step('summary');
  check(violations.length === 0, `${violations.length} axe violation(s):\n    ${violations.join('\n    ')}`);
});
