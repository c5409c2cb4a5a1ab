import { useEffect, useRef } from 'react';
import type { InputHTMLAttributes, ReactNode } from 'react';
import { Link } from 'react-router-dom';
import { useI18n } from '../i18n';
import type { Key } from '../i18n';
import { ApiError } from '../lib/api';
import { deadlineTone } from '../lib/deadline';
import type { DeadlineTone } from '../lib/deadline';
import { formatDate, formatDateTime } from '../lib/format';

/** The page's <h1>; sets the document title and takes focus after navigation. */
export function PageTitle({ children, sub }: { children: string; sub?: ReactNode }) {
  const { t } = useI18n();
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${children} — ${t('app.title')}`;
  }, [children, t]);
  useEffect(() => {
    // Move focus to the new page's heading so screen readers announce it (not on first load).
    if (window.history.state && (window.history.state as { idx?: number }).idx) {
      ref.current?.focus({ preventScroll: false });
    }
  }, []);
  return (
    <div className="page-title">
      <h1 tabIndex={-1} ref={ref}>
        {children}
      </h1>
      {sub ? <div className="page-sub">{sub}</div> : null}
    </div>
  );
}

function hintFor(e: ApiError): Key {
  if (e.status === 0) return 'error.hint.network';
  if (e.code === 'dossier.version_conflict' || e.status === 409) return 'error.hint.conflict';
  if (e.status === 401) return 'error.hint.auth';
  if (e.status === 403) return 'error.hint.forbidden';
  if (e.status === 404) return 'error.hint.notfound';
  if (e.status === 413) return 'error.hint.toolarge';
  if (e.status === 429) return 'error.hint.ratelimit';
  if (e.status >= 500) return 'error.hint.server';
  return 'error.hint.input';
}

/** What went wrong and what to do: the server's message in the chosen language plus a hint. */
export function ErrorBox({
  error,
  onRetry,
  title,
  hintFor: pageHint,
}: {
  error: unknown;
  onRetry?: () => void;
  title?: string;
  /** The page's own hint for an API error (null: the general one by HTTP status). */
  hintFor?: (e: ApiError) => Key | null;
}) {
  const { t, lang } = useI18n();
  if (!error) return null;
  let message: string;
  let hint: Key = 'error.hint.server';
  let requestId = '';
  let problems: string[] = [];
  let status = -1;
  if (error instanceof ApiError) {
    status = error.status;
    message =
      (lang === 'en' ? error.messageEn || error.messageVi : error.messageVi || error.messageEn) ||
      (error.status === 0
        ? t('error.network')
        : error.code === 'bad_response'
          ? t('error.bad_response')
          : t('error.http', { status: error.status }));
    hint = pageHint?.(error) ?? hintFor(error);
    requestId = error.requestId;
    problems = error.problems.map((p) => (lang === 'en' ? p.message_en || p.message : p.message));
  } else {
    message = t('error.unexpected');
  }
  return (
    <div className="alert alert-error" role="alert" data-testid="error">
      <p className="alert-title">{title ?? t('error.title')}</p>
      <p>{message}</p>
      {problems.length > 0 && (
        <ul className="problems">
          {problems.slice(0, 50).map((p, i) => (
            <li key={i}>{p}</li>
          ))}
        </ul>
      )}
      <p className="alert-hint">{t(hint)}</p>
      <div className="alert-actions">
        {status === 401 && (
          <Link className="btn btn-small" to={`/dang-nhap?next=${encodeURIComponent(location.pathname + location.search)}`}>
            {t('nav.login')}
          </Link>
        )}
        {onRetry && (
          <button type="button" className="btn btn-small" onClick={onRetry}>
            {status === 409 ? t('common.reload') : t('common.retry')}
          </button>
        )}
      </div>
      {requestId && <p className="request-id">{t('error.request_id', { id: requestId })}</p>}
    </div>
  );
}

export function Loading({ label }: { label?: string }) {
  const { t } = useI18n();
  return (
    <div className="loading" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" />
      {label ?? t('common.loading')}
    </div>
  );
}

export function Empty({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="empty" data-testid="empty">
      <svg aria-hidden="true" viewBox="0 0 48 48" width="48" height="48">
        <rect x="8" y="6" width="32" height="36" rx="4" fill="none" stroke="currentColor" strokeWidth="2" />
        <path d="M15 16h18M15 23h18M15 30h10" stroke="currentColor" strokeWidth="2" />
      </svg>
      <p className="empty-title">{title}</p>
      {children ? <div className="empty-body">{children}</div> : null}
    </div>
  );
}

export function StatusBadge({ status, vi, en }: { status: number; vi?: string; en?: string }) {
  const { tk, pick } = useI18n();
  // The server's name in the chosen language (the dictionary's copy when there is none).
  const label = pick(vi, en) || tk(`status.${status}`, String(status));
  return <span className={`badge status-${status}`}>{label}</span>;
}

/** The appointment date with its colour and a word, so colour is never the only signal. */
export function DeadlineBadge({
  status,
  dueAt,
  soonUntil,
  withTime,
}: {
  status: number;
  dueAt: string | null;
  soonUntil?: Date;
  withTime?: boolean;
}) {
  const { t } = useI18n();
  const tone: DeadlineTone = deadlineTone(status, dueAt, new Date(), soonUntil);
  if (!dueAt) return <span className="muted">—</span>;
  const word: Record<DeadlineTone, Key | null> = {
    overdue: 'deadline.overdue',
    soon: 'deadline.soon',
    ok: 'deadline.ok',
    done: null,
    none: null,
  };
  const w = word[tone];
  return (
    <span className={`deadline deadline-${tone}`}>
      <span className="deadline-date">{withTime ? formatDateTime(dueAt) : formatDate(dueAt)}</span>
      {w && <span className="deadline-word">{t(w)}</span>}
    </span>
  );
}

export function Field({
  id,
  label,
  hint,
  error,
  required,
  children,
}: {
  id: string;
  label: string;
  hint?: string;
  error?: string;
  required?: boolean;
  children: ReactNode;
}) {
  const { t } = useI18n();
  return (
    <div className={`field${error ? ' field-invalid' : ''}`}>
      <label htmlFor={id}>
        {label}
        {required ? (
          <span className="req" aria-hidden="true">
            {' '}*
          </span>
        ) : (
          <span className="optional"> ({t('common.optional')})</span>
        )}
      </label>
      {hint && (
        <p className="field-hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      {/* Above the input, as GOV.UK places it: on a phone the keyboard covers what is below. */}
      {error && (
        <p className="field-error" id={`${id}-error`}>
          {error}
        </p>
      )}
      {children}
    </div>
  );
}

export function ProgressBar({ value, label }: { value: number; label: string }) {
  const pct = Math.max(0, Math.min(100, Math.round(value * 100)));
  return (
    <div className="progress">
      <progress max={100} value={pct} aria-label={label}>
        {pct}%
      </progress>
      <span className="progress-pct">{pct}%</span>
    </div>
  );
}

/**
 * A date field: the browser's date picker (which shows dates in the browser's own format)
 * with the chosen date repeated as dd/mm/yyyy under it, read out with the field.
 */
export function DateInput({
  id,
  value,
  onValue,
  describedBy,
  ...rest
}: { id: string; value: string; onValue: (iso: string) => void; describedBy?: string } & Omit<InputHTMLAttributes<HTMLInputElement>, 'type' | 'value' | 'onChange' | 'id'>) {
  const { t } = useI18n();
  const shown = /^\d{4}-\d{2}-\d{2}$/.test(value) ? formatDate(value) : '';
  const echo = `${id}-shown`;
  return (
    <>
      <input
        {...rest}
        id={id}
        type="date"
        value={value}
        onChange={(e) => onValue(e.target.value)}
        aria-describedby={[describedBy, echo].filter(Boolean).join(' ')}
      />
      <span className="date-shown" id={echo} data-testid={`${id}-shown`}>
        {shown ? t('date.chosen', { date: shown }) : t('date.none')}
      </span>
    </>
  );
}

/**
 * A modal dialog on the native <dialog>: showModal() makes the rest of the page inert (focus
 * stays inside), Esc closes it, focus goes back to what opened it.
 */
export function Dialog({
  open,
  title,
  onClose,
  children,
  testId,
}: {
  open: boolean;
  title: string;
  onClose: () => void;
  children: ReactNode;
  testId?: string;
}) {
  const { t } = useI18n();
  const ref = useRef<HTMLDialogElement>(null);
  const opener = useRef<Element | null>(null);
  const titleId = `${testId ?? 'dialog'}-title`;
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) {
      opener.current = document.activeElement;
      d.showModal();
      d.querySelector<HTMLElement>('input, textarea, select')?.focus();
    } else if (!open && d.open) {
      d.close();
    }
  }, [open]);
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    const closed = () => {
      (opener.current as HTMLElement | null)?.focus?.();
    };
    d.addEventListener('close', closed);
    return () => d.removeEventListener('close', closed);
  }, []);
  return (
    <dialog
      ref={ref}
      className="dialog"
      aria-labelledby={titleId}
      data-testid={testId}
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
    >
      {open && (
        <>
          <div className="dialog-head">
            <h2 id={titleId}>{title}</h2>
            <button type="button" className="btn btn-small" onClick={onClose} aria-label={t('common.close')}>
              ×
            </button>
          </div>
          {children}
        </>
      )}
    </dialog>
  );
}
