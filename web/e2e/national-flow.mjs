// The one-stop system and the national population database (issue 17), through the UI, with
// `serve --with-simulators` (the population database's simulator behind the province's
// gateway, whose log the PKI signs): the citizen (Nguyễn Thị Lan, 019190000001) starts a request
// for a copy of a diploma (1.005092), types a wrong birth date, asks "Điền từ CSDL dân cư"
// (the empty fields are filled, the typed date kept until she confirms), is told under the
// field that the date does not match the population database, replaces it with the database's
// and is no longer told so. Submitted (through the API, the files being another test's story),
// the dossier shows reception "Khớp với Cơ sở dữ liệu quốc gia về dân cư".
//
//   node e2e/national-flow.mjs [--lang vi|en] [--width 390|1280] [--backend sqlite|postgres]
import { apiSession, args, check, checkEq, checkNoProblems, checkPage, cliOn, launchBrowser, newContext, run, screenshot, session, setUpPki, startServer, step, tempDir, testConfig, tr } from './harness.mjs';

const opt = args({ lang: 'vi', width: '1280', backend: 'sqlite' });
const lang = opt.lang;
const width = Number(opt.width);
const PROC = '1.005092';
const CITIZEN = '019190000001';
const BIRTH = '1990-03-08'; // as the simulator's population database records her
const shot = (page, what) => screenshot(page, `national-${what}-${lang}-${width}-${opt.backend}`);

run(`national-flow-${lang}-${width}-${opt.backend}`, async () => {
  const dir = tempDir('tinhso-e2e-national-');
  const config = testConfig(dir);
  const server = await startServer({
    backend: opt.backend,
    dossiers: 0,
    serveArgs: ['--config', config, '--with-simulators'],
    beforeServe: ({ db }) => {
      step('pki: the gateway signs its log with the province\'s organisation certificate');
      setUpPki(cliOn(db, config), 'H55');
    },
  });
  const browser = await launchBrowser();
  const { ctx, page } = await session(browser, server, CITIZEN, { lang, width });

  step('the submission form offers the population database');
  await page.goto(`/thu-tuc/nop?ma=${PROC}`);
  await page.getByTestId('prefill-button').waitFor();
  checkEq((await page.getByTestId('prefill-button').innerText()).trim(), tr(lang, 'prefill.button'), 'the button\'s words');
  await page.getByTestId('applicant-birth-date').fill('1990-08-03');

  step('filled from the database: what was typed is kept until she confirms');
  await page.getByTestId('prefill-button').click();
  await page.getByTestId('prefill-confirm').waitFor();
  checkEq(await page.locator('#f-ngay_sinh').inputValue(), BIRTH, 'the form\'s empty birth date is filled');
  checkEq(await page.locator('#f-nguoi_yeu_cau_ho_ten').inputValue(), 'Nguyễn Thị Lan', 'the requester\'s name is filled');
  checkEq(await page.getByTestId('applicant-birth-date').inputValue(), '1990-08-03', 'the typed birth date is not replaced unasked');
  await checkPage(page, { lang, width, what: 'prefill confirmation' });
  await shot(page, 'confirm');
  await page.getByTestId('prefill-keep').click();
  await page.getByTestId('prefill-note').waitFor();
  checkEq(await page.getByTestId('applicant-birth-date').inputValue(), '1990-08-03', 'kept');

  step('the server says the birth date does not match the population database');
  await page.getByTestId('to-review').click();
  const link = page.getByTestId('error-link-__applicant_birth_date');
  await link.waitFor();
  const said = lang === 'en' ? 'The date of birth does not match the national population database' : 'Ngày sinh không khớp với Cơ sở dữ liệu quốc gia về dân cư';
  checkEq((await link.innerText()).trim(), said, 'the field problem in the summary');
  await shot(page, 'mismatch');

  step('replaced with the database\'s, the problem is gone');
  await page.getByTestId('prefill-button').click();
  await page.getByTestId('prefill-replace').click();
  checkEq(await page.getByTestId('applicant-birth-date').inputValue(), BIRTH, 'the birth date replaced');
  const checked = page.waitForResponse((r) => r.url().endsWith('/api/v1/dossiers/check'));
  await page.getByTestId('to-review').click();
  const problems = (await (await checked).json()).problems.map((p) => p.field);
  check(!problems.includes('applicant.birth_date'), `the server finds no birth date problem: ${problems}`);
  await page.getByTestId('error-link-__applicant_birth_date').waitFor({ state: 'detached' });
  await page.getByTestId('error-summary').waitFor(); // the files are still missing

  step('submitted, reception sees the check on the dossier');
  const citizenApi = await apiSession(await newContext(browser, server, { lang, width }), CITIZEN);
  const pdf = Buffer.from('%PDF-1.4\n%%EOF\n').toString('base64');
  const d = await citizenApi.post(
    '/api/v1/dossiers',
    {
      procedure_code: PROC,
      applicant: { kind: 1, name: 'Nguyễn Thị Lan', id_number: CITIZEN, phone: '0912345678', email: '', address: '', birth_date: BIRTH },
      form: {
        nguoi_yeu_cau_ho_ten: 'Nguyễn Thị Lan',
        nguoi_yeu_cau_so_dinh_danh: CITIZEN,
        ngay_sinh: BIRTH,
        loai_van_bang: 'Chứng chỉ khác',
        nam_tot_nghiep: 2008,
        truong: 'Trường THPT Chợ Mới',
        so_dien_thoai: '0912345678',
      },
      files: [{ component: 'TP1', name: 'don.pdf', content_base64: pdf }],
    },
    { status: 201, headers: { 'Idempotency-Key': `e2e-national-${lang}-${width}` } },
  );
  checkEq(d.identity_check?.status, 'matches', 'the dossier records the match');
  const officer = await session(browser, server, 'motcua', { lang, width });
  await officer.page.goto(`/mot-cua/ho-so/${d.id}`);
  const badge = officer.page.getByTestId('identity-check');
  await badge.waitFor();
  checkEq(await badge.getAttribute('data-status'), 'matches', 'reception sees the match');
  check((await badge.innerText()).includes(tr(lang, 'identity.matches')), 'in words');
  await checkPage(officer.page, { lang, width, what: 'the dossier with its identity check' });
  await shot(officer.page, 'officer');
  await checkNoProblems(ctx);
  await checkNoProblems(officer.ctx);
});
