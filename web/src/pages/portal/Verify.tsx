// /kiem-tra-chu-ky: anyone drops a signed file (and, for a detached signature, its .p7s) and
// sees who signed it, as what, when, and whether it is valid — or why not. Nothing is stored.
import { useEffect, useRef, useState } from 'react';
import type { DragEvent, FormEvent } from 'react';
import { useI18n } from '../../i18n';
import { ApiError, callForm, retryable } from '../../lib/api';
import { formatBytes, formatDateTime } from '../../lib/format';
import {
  MAX_VERIFY_BYTES,
  displayName,
  formatKey,
  kindKey,
  overallValid,
  signingTime,
  sortDroppedFiles,
  tooLarge,
  verifyErrorHint,
  verifyForm,
} from '../../lib/verify';
import type { SignatureReport, VerifyResult } from '../../lib/verify';
import { Empty, ErrorBox, PageTitle, ProgressBar } from '../../components/ui';

type Phase = 'send' | 'check';

function FileSlot({
  id,
  label,
  hint,
  file,
  accept,
  onPick,
  onDropFiles,
  large,
  testid,
  disabled,
}: {
  id: string;
  label: string;
  hint: string;
  file: File | null;
  accept?: string;
  onPick: (f: File | null) => void;
  onDropFiles: (files: File[]) => void;
  large?: boolean;
  testid: string;
  disabled?: boolean;
}) {
  const { t } = useI18n();
  const [over, setOver] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const big = file ? tooLarge(file.size) : false;
  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setOver(false);
    if (disabled) return;
    const files = Array.from(e.dataTransfer.files ?? []);
    if (files.length) onDropFiles(files);
  };
  return (
    <div
      className={`verify-drop${large ? ' verify-drop-main' : ''}${over ? ' is-over' : ''}${big ? ' field-invalid' : ''}`}
      data-testid={`${testid}-zone`}
      onDragOver={(e) => {
        e.preventDefault();
        if (!disabled) setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={onDrop}
    >
      <label htmlFor={id} className="verify-drop-label">
        {large && (
          <svg aria-hidden="true" viewBox="0 0 24 24" width="32" height="32" className="verify-drop-icon">
            <path d="M12 16V4m0 0l-4.5 4.5M12 4l4.5 4.5M4 15v3a2 2 0 002 2h12a2 2 0 002-2v-3" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round" />
          </svg>
        )}
        <span className="verify-drop-title">
          {label}
          {!large && <span className="optional"> ({t('common.optional')})</span>}
        </span>
      </label>
      <p className="field-hint" id={`${id}-hint`}>
        {hint}
      </p>
      {large && (
        <p className="verify-drop-text" aria-hidden="true">
          {over ? t('verify.drop_active') : t('verify.drop')}
        </p>
      )}
      {/* The native input is visually hidden but keeps the focus (Space/Enter opens the
          picker); the visible button is its second label, so a click on it opens the picker too. */}
      <input
        ref={input}
        id={id}
        type="file"
        className="verify-file-input"
        accept={accept}
        disabled={disabled}
        aria-describedby={`${id}-hint${big ? ` ${id}-error` : ''}`}
        aria-invalid={big ? true : undefined}
        data-testid={testid}
        onChange={(e) => {
          const f = e.target.files?.[0] ?? null;
          e.target.value = '';
          if (f) onPick(f);
        }}
      />
      <label htmlFor={id} className={`btn verify-choose${disabled ? ' is-disabled' : ''}`} aria-hidden="true">
        {file ? t('verify.choose_other') : t('verify.choose')}
      </label>
      {file && (
        <p className="verify-chosen" data-testid={`${testid}-chosen`}>
          <span className="file-name">{t('verify.chosen', { name: file.name, size: formatBytes(file.size) })}</span>{' '}
          <button
            type="button"
            className="btn btn-small btn-link"
            disabled={disabled}
            onClick={() => {
              onPick(null);
              input.current?.focus();
            }}
            aria-label={t('upload.remove_named', { name: file.name })}
          >
            {t('upload.remove')}
          </button>
        </p>
      )}
      {big && file && (
        <p className="field-error" id={`${id}-error`}>
          {t('verify.too_large', { name: file.name, size: formatBytes(file.size), max: `${MAX_VERIFY_BYTES / 1024 / 1024} MB` })}
        </p>
      )}
    </div>
  );
}

function Check({ state, children }: { state: 'ok' | 'bad' | 'unknown'; children: string }) {
  return (
    <li className={`verify-check verify-check-${state}`}>
      <span className="verify-check-icon" aria-hidden="true">
        {state === 'ok' ? '✓' : state === 'bad' ? '✗' : '?'}
      </span>
      <span>{children}</span>
    </li>
  );
}

function SignatureCard({ s, n }: { s: SignatureReport; n: number }) {
  const { t, lang, pick } = useI18n();
  const time = signingTime(s);
  const who = s.signer_name || displayName(s.signer_subject) || t('verify.unknown_signer');
  const headId = `sig-${n}-title`;
  const notes = s.notes.map((v, i) => (lang === 'en' ? s.notes_en[i] || v : v || s.notes_en[i] || '')).filter(Boolean);
  return (
    <section className={`card verify-sig ${s.valid ? 'verify-sig-ok' : 'verify-sig-bad'}`} aria-labelledby={headId} data-testid="signature-card">
      <div className="verify-sig-head">
        <h3 id={headId}>{t('verify.sig_heading', { n, name: who })}</h3>
        <span className={`badge ${s.valid ? 'verify-badge-ok' : 'verify-badge-bad'}`} data-testid="signature-verdict">
          <span aria-hidden="true">{s.valid ? '✓ ' : '✗ '}</span>
          {s.valid ? t('verify.valid') : t('verify.invalid')}
        </span>
      </div>
      <dl className="kv">
        <dt>{t('verify.signer')}</dt>
        <dd data-testid="signer-name">{who}</dd>
        {s.signer_title && (
          <>
            <dt>{t('verify.signer_title')}</dt>
            <dd>{s.signer_title}</dd>
          </>
        )}
        {s.signer_organization && (
          <>
            <dt>{t('verify.signer_org')}</dt>
            <dd>{s.signer_organization}</dd>
          </>
        )}
        <dt>{t('verify.kind')}</dt>
        <dd data-testid="signer-kind">{t(kindKey(s.certificate_kind))}</dd>
        <dt>{t('verify.time')}</dt>
        <dd data-testid="signing-time">
          {time.iso && formatDateTime(time.iso) ? (
            <>
              <span className="nowrap">{t('verify.time_value', { time: formatDateTime(time.iso) })}</span>
              <span className={`verify-time-source verify-time-${time.source}`}>
                {t(time.source === 'timestamp' ? 'verify.time.timestamp' : 'verify.time.claimed')}
              </span>
            </>
          ) : (
            t('verify.time.none')
          )}
        </dd>
        <dt>{t('verify.issuer')}</dt>
        <dd>{s.issuer_subject ? displayName(s.issuer_subject) : '—'}</dd>
      </dl>

      {s.problems.length > 0 && (
        <>
          <h4 className="verify-sub">{t('verify.problems')}</h4>
          <ul className="verify-problems" data-testid="signature-problems">
            {s.problems.map((p, i) => (
              <li key={`${p.code}-${i}`}>{pick(p.message, p.message_en)}</li>
            ))}
          </ul>
        </>
      )}

      <h4 className="verify-sub">{t('verify.checks')}</h4>
      <ul className="verify-checks">
        <Check state={s.integrity_ok ? 'ok' : 'bad'}>{t(s.integrity_ok ? 'verify.check.integrity_ok' : 'verify.check.integrity_bad')}</Check>
        <Check state={s.chain_ok ? 'ok' : 'bad'}>{t(s.chain_ok ? 'verify.check.chain_ok' : 'verify.check.chain_bad')}</Check>
        <Check state={s.revoked ? 'bad' : s.revocation_checked ? 'ok' : 'unknown'}>
          {t(s.revoked ? 'verify.check.revoked' : s.revocation_checked ? 'verify.check.not_revoked' : 'verify.check.revocation_unknown')}
        </Check>
      </ul>

      {notes.length > 0 && (
        <>
          <h4 className="verify-sub">{t('verify.notes')}</h4>
          <ul className="verify-notes" data-testid="signature-notes">
            {notes.map((x, i) => (
              <li key={i}>{x}</li>
            ))}
          </ul>
        </>
      )}

      <details className="verify-details">
        <summary>{t('verify.details')}</summary>
        <dl className="kv">
          <dt>{t('verify.subject')}</dt>
          <dd className="verify-dn">{s.signer_subject || '—'}</dd>
          <dt>{t('verify.issuer_subject')}</dt>
          <dd className="verify-dn">{s.issuer_subject || '—'}</dd>
          <dt>{t('verify.serial')}</dt>
          <dd className="verify-dn">{s.certificate_serial || '—'}</dd>
        </dl>
      </details>
    </section>
  );
}

export default function VerifyPage() {
  const { t } = useI18n();
  const [file, setFile] = useState<File | null>(null);
  const [signature, setSignature] = useState<File | null>(null);
  const [phase, setPhase] = useState<Phase | null>(null);
  const [progress, setProgress] = useState(0);
  const [result, setResult] = useState<{ r: VerifyResult; name: string } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [missing, setMissing] = useState(false);
  const abort = useRef<AbortController | null>(null);
  const verdictRef = useRef<HTMLHeadingElement>(null);

  useEffect(() => () => abort.current?.abort(), []);
  // The verdict takes focus when it arrives, so keyboard and screen reader users land on it.
  useEffect(() => {
    if (result) verdictRef.current?.focus();
  }, [result]);

  const busy = phase !== null;
  // A file dropped anywhere on the page (not only on a drop zone) is taken as if dropped on the
  // main zone, instead of the browser leaving the page to open it.
  const busyRef = useRef(false);
  busyRef.current = busy;
  const droppedRef = useRef<(files: File[]) => void>(() => undefined);
  useEffect(() => {
    const over = (e: globalThis.DragEvent) => {
      if (e.dataTransfer?.types.includes('Files')) e.preventDefault();
    };
    const drop = (e: globalThis.DragEvent) => {
      if (!e.dataTransfer?.types.includes('Files')) return;
      const handled = e.defaultPrevented;
      e.preventDefault();
      if (!handled && !busyRef.current) droppedRef.current(Array.from(e.dataTransfer.files));
    };
    window.addEventListener('dragover', over);
    window.addEventListener('drop', drop);
    return () => {
      window.removeEventListener('dragover', over);
      window.removeEventListener('drop', drop);
    };
  }, []);
  const clearOutcome = () => {
    setResult(null);
    setError(null);
    setMissing(false);
  };
  const pickFile = (f: File | null) => {
    clearOutcome();
    setFile(f);
  };
  const pickSignature = (f: File | null) => {
    clearOutcome();
    setSignature(f);
  };
  const dropped = (files: File[]) => {
    const s = sortDroppedFiles(files);
    clearOutcome();
    if (s.file) setFile(s.file);
    if (s.signature) setSignature(s.signature);
  };
  droppedRef.current = dropped;

  function submit(e: FormEvent) {
    e.preventDefault();
    void run();
  }

  async function run() {
    if (busy) return;
    clearOutcome();
    if (!file) {
      setMissing(true);
      document.getElementById('vf-file')?.focus();
      return;
    }
    if (tooLarge(file.size) || (signature && tooLarge(signature.size))) {
      document.getElementById(tooLarge(file.size) ? 'vf-file' : 'vf-sig')?.focus();
      return;
    }
    const ctl = new AbortController();
    abort.current = ctl;
    setProgress(0);
    try {
      // The bar: sending takes 95 %, the check the rest.
      setPhase('send');
      const r = await callForm('/api/v1/verify', {
        form: verifyForm(file, signature),
        signal: ctl.signal,
        onProgress: (l, tot) => {
          const frac = tot ? l / tot : 1;
          setProgress(0.95 * frac);
          if (frac >= 1) setPhase('check');
        },
      });
      if (!r || !Array.isArray(r.signatures)) throw new ApiError({ status: 200, code: 'bad_response' });
      setProgress(1);
      setResult({ r, name: file.name });
    } catch (err) {
      if (err instanceof DOMException && err.name === 'AbortError') return;
      setError(err);
    } finally {
      if (abort.current === ctl) abort.current = null;
      setPhase(null);
    }
  }

  const reset = () => {
    abort.current?.abort();
    clearOutcome();
    setFile(null);
    setSignature(null);
    setTimeout(() => document.getElementById('vf-file')?.focus(), 0);
  };

  const phaseText: Record<Phase, string> = {
    send: t('verify.phase.send'),
    check: t('verify.phase.check'),
  };

  const valid = result ? overallValid(result.r) : false;
  const count = result?.r.signatures.length ?? 0;
  const bad = result ? result.r.signatures.filter((s) => !s.valid).length : 0;
  const fmt = result ? formatKey(result.r.format) : null;

  return (
    <div className="container verify-page">
      <PageTitle>{t('verify.title')}</PageTitle>
      <p className="lead">{t('verify.intro')}</p>

      <form className="card form" onSubmit={submit} noValidate data-testid="verify-form" aria-describedby="vf-privacy">
        <FileSlot
          id="vf-file"
          label={t('verify.file_label')}
          hint={t('verify.file_hint', { max: `${MAX_VERIFY_BYTES / 1024 / 1024} MB` })}
          file={file}
          onPick={pickFile}
          onDropFiles={dropped}
          large
          testid="verify-file"
          disabled={busy}
        />
        {missing && (
          <p className="field-error" role="alert" data-testid="verify-missing">
            {t('verify.need_file')}
          </p>
        )}
        <FileSlot
          id="vf-sig"
          label={t('verify.sig_label')}
          hint={t('verify.sig_hint')}
          file={signature}
          accept=".p7s,.p7m,.sig,application/pkcs7-signature"
          onPick={pickSignature}
          onDropFiles={(files) => {
            const s = sortDroppedFiles(files);
            pickSignature(s.signature ?? s.file ?? null);
          }}
          testid="verify-signature"
          disabled={busy}
        />
        <p className="muted small" id="vf-privacy">
          {t('verify.privacy')}
        </p>
        <div className="form-actions">
          <button type="submit" className="btn btn-primary" disabled={busy} data-testid="verify-submit">
            {busy ? t('common.working') : t('verify.submit')}
          </button>
          {(file || signature || result || !!error) && (
            <button type="button" className="btn" onClick={reset} data-testid="verify-reset">
              {busy ? t('common.cancel') : t('verify.again')}
            </button>
          )}
        </div>
        {busy && phase && <ProgressBar value={progress} label={t('verify.progress_label')} />}
      </form>

      <div aria-live="polite" data-testid="verify-live">
        {busy && phase && (
          <p className="verify-phase" role="status">
            {phaseText[phase]}
          </p>
        )}
        {error ? (
          <ErrorBox
            error={error}
            title={t('verify.failed')}
            hintFor={(e) => verifyErrorHint(e.code, e.status)}
            onRetry={file && retryable(error) ? () => void run() : undefined}
          />
        ) : null}
        {result && (
          <section
            className={`verify-verdict ${valid ? 'verify-verdict-ok' : 'verify-verdict-bad'}`}
            aria-labelledby="verify-verdict-title"
            data-testid="verify-verdict"
            data-valid={valid ? 'true' : 'false'}
          >
            <svg aria-hidden="true" viewBox="0 0 24 24" width="40" height="40" className="verify-verdict-icon">
              <circle cx="12" cy="12" r="11" fill="currentColor" />
              {valid ? (
                <path d="M6.5 12.5l3.5 3.5 7.5-8" fill="none" stroke="#fff" strokeWidth="2.5" strokeLinecap="round" strokeLinejoin="round" />
              ) : (
                <path d="M8 8l8 8M16 8l-8 8" fill="none" stroke="#fff" strokeWidth="2.5" strokeLinecap="round" />
              )}
            </svg>
            <div>
              <h2 id="verify-verdict-title" tabIndex={-1} ref={verdictRef} data-testid="verify-verdict-word">
                {valid ? t('verify.valid') : t('verify.invalid')}
              </h2>
              <p>
                {count === 0
                  ? t('verify.summary_none', { name: result.name })
                  : valid
                    ? t('verify.summary_valid', { name: result.name, count })
                    : t('verify.summary_invalid', { name: result.name, count, bad })}
              </p>
              {fmt && <p className="small">{t('verify.result_format', { format: t(fmt) })}</p>}
            </div>
          </section>
        )}
      </div>

      {result && result.r.signatures.map((s, i) => <SignatureCard key={i} s={s} n={i + 1} />)}

      {!result && !error && !busy && (
        <Empty title={t('verify.empty_title')}>
          <p>{t('verify.empty_body')}</p>
          <p>{t('verify.empty_which')}</p>
        </Empty>
      )}
    </div>
  );
}
