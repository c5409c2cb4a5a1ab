// Feedback (phản ánh, kiến nghị): a form anyone may send, stored by the server (which limits
// how many an address sends per hour), and the list officers and administrators read.
import { useState } from 'react';
import type { FormEvent } from 'react';
import { useAuth } from '../../auth';
import { useI18n } from '../../i18n';
import { call } from '../../lib/api';
import type { Schema } from '../../lib/api';
import { formatDateTime } from '../../lib/format';
import { useAsync } from '../../lib/useAsync';
import { Empty, ErrorBox, Field, Loading, PageTitle } from '../../components/ui';
import { Pager } from './MyDossiers';

type Kind = Schema<'FeedbackInput'>['kind'];

export default function FeedbackPage() {
  const { t } = useI18n();
  const { user } = useAuth();
  const [kind, setKind] = useState<Kind>('complaint');
  const [name, setName] = useState(user?.full_name ?? '');
  const [contact, setContact] = useState('');
  const [subject, setSubject] = useState('');
  const [content, setContent] = useState('');
  const [ref, setRef] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [sent, setSent] = useState<Schema<'FeedbackView'> | null>(null);

  async function send(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const body: Schema<'FeedbackInput'> = { kind, name, contact, subject, content };
      if (ref.trim()) body.dossier_ref = ref.trim();
      setSent(await call('post', '/api/v1/feedback', { body }));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  if (sent)
    return (
      <div className="container narrow">
        <PageTitle>{t('fb.title')}</PageTitle>
        <div className="alert alert-success" role="status" data-testid="feedback-sent">
          {t('fb.sent', { id: sent.id, contact: sent.contact })}
        </div>
      </div>
    );
  return (
    <div className="container narrow">
      <PageTitle>{t('fb.title')}</PageTitle>
      <p className="lead">{t('fb.intro')}</p>
      <form className="card form" onSubmit={send} data-testid="feedback-form">
        <fieldset className="field">
          <legend>{t('fb.kind')}</legend>
          {(['complaint', 'suggestion'] as const).map((k) => (
            <label key={k} className="radio">
              <input type="radio" name="fb-kind" value={k} checked={kind === k} onChange={() => setKind(k)} data-testid={`feedback-kind-${k}`} />
              {t(`fb.kind.${k}`)}
            </label>
          ))}
        </fieldset>
        <Field id="fb-name" label={t('fb.name')} required>
          <input id="fb-name" value={name} onChange={(e) => setName(e.target.value)} required autoComplete="name" data-testid="feedback-name" />
        </Field>
        <Field id="fb-contact" label={t('fb.contact')} hint={t('fb.contact_hint')} required>
          <input id="fb-contact" value={contact} onChange={(e) => setContact(e.target.value)} required aria-describedby="fb-contact-hint" data-testid="feedback-contact" />
        </Field>
        <Field id="fb-ref" label={t('fb.dossier_ref')}>
          <input id="fb-ref" value={ref} onChange={(e) => setRef(e.target.value)} autoComplete="off" data-testid="feedback-ref" />
        </Field>
        <Field id="fb-subject" label={t('fb.subject')} required>
          <input id="fb-subject" value={subject} onChange={(e) => setSubject(e.target.value)} required data-testid="feedback-subject" />
        </Field>
        <Field id="fb-content" label={t('fb.content')} required>
          <textarea id="fb-content" rows={6} value={content} onChange={(e) => setContent(e.target.value)} required data-testid="feedback-content" />
        </Field>
        <ErrorBox error={error} />
        <button className="btn btn-primary" type="submit" disabled={busy} data-testid="feedback-send">
          {busy ? t('common.working') : t('fb.send')}
        </button>
      </form>
    </div>
  );
}

const PAGE = 20;

/** The feedback received, newest first: for the officers and administrators who answer it. */
export function FeedbackList() {
  const { t } = useI18n();
  const [offset, setOffset] = useState(0);
  const s = useAsync((signal) => call('get', '/api/v1/feedback', { query: { limit: PAGE, offset }, signal }), [offset]);
  return (
    <div className="container">
      <PageTitle>{t('fb.list_title')}</PageTitle>
      {s.error ? (
        <ErrorBox error={s.error} onRetry={s.reload} />
      ) : s.loading && !s.data ? (
        <Loading />
      ) : !s.data || s.data.items.length === 0 ? (
        <Empty title={t('fb.none')} />
      ) : (
        <>
          <ul className="dossier-cards" data-testid="feedback-list">
            {s.data.items.map((f) => (
              <li key={f.id} className="card" data-testid="feedback-item">
                <h2 className="h3">
                  #{f.id} · {t(`fb.kind.${f.kind}`)}: {f.subject}
                </h2>
                <p className="muted">
                  {t('fb.received')} {formatDateTime(f.created_at)} · {t('fb.from')}: {f.name} ({f.contact})
                  {f.dossier_ref && ` · ${f.dossier_ref}`}
                </p>
                <p className="pre-wrap">{f.content}</p>
              </li>
            ))}
          </ul>
          <Pager total={s.data.total} offset={offset} limit={PAGE} onChange={setOffset} />
        </>
      )}
    </div>
  );
}
