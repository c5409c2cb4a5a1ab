import { useEffect, useState } from 'react';
import type { FormEvent } from 'react';
import { Link } from 'react-router-dom';
import { useAuth } from '../../auth';
import { useI18n } from '../../i18n';
import { call } from '../../lib/api';
import { CHANNELS } from '../../lib/notifications';
import type { Preference } from '../../lib/notifications';
import { isOfficer } from '../../lib/roles';
import { useAsync } from '../../lib/useAsync';
import { ErrorBox, Loading, PageTitle } from '../../components/ui';

const key = (p: { event_key: string; channel: string }) => `${p.event_key}/${p.channel}`;

/** Which notifications one wants, by which channel: a row per event, a box per channel. */
export default function NotificationSettingsPage() {
  const { t, pick } = useI18n();
  const { user } = useAuth();
  const s = useAsync((signal) => call('get', '/api/v1/notification-preferences', { signal }).then((r) => r.items), []);
  const [on, setOn] = useState<Record<string, boolean>>({});
  const [saving, setSaving] = useState(false);
  const [saved, setSaved] = useState(false);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    if (s.data) setOn(Object.fromEntries(s.data.map((p) => [key(p), p.enabled])));
  }, [s.data]);

  if (s.loading && !s.data) return <div className="container"><Loading /></div>;
  if (s.error || !s.data)
    return (
      <div className="container">
        <PageTitle>{t('notif.settings_title')}</PageTitle>
        <ErrorBox error={s.error} onRetry={s.reload} />
      </div>
    );
  // An officer's events for officers, an applicant's for applicants.
  const officer = isOfficer(user);
  const prefs: Preference[] = s.data.filter((p) => p.for_officers === officer);
  const events = [...new Map(prefs.map((p) => [p.event_key, p])).values()];

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setSaving(true);
    setSaved(false);
    setError(null);
    try {
      const items = prefs.map((p) => ({ event_key: p.event_key, channel: p.channel, enabled: on[key(p)] ?? true }));
      const r = await call('put', '/api/v1/notification-preferences', { body: { items } });
      s.setData(r.items);
      setSaved(true);
    } catch (err) {
      setError(err);
    } finally {
      setSaving(false);
    }
  };

  return (
    <div className="container">
      <nav aria-label={t('common.breadcrumb')} className="breadcrumb">
        <Link to="/thong-bao">{t('notif.title')}</Link> <span aria-hidden="true">›</span> <span>{t('notif.settings_title')}</span>
      </nav>
      <PageTitle sub={t('notif.settings_lead')}>{t('notif.settings_title')}</PageTitle>
      {saved && (
        <div className="alert alert-success" role="status" data-testid="notif-settings-saved">
          {t('notif.settings_saved')}
        </div>
      )}
      {error ? <ErrorBox error={error} /> : null}
      <form onSubmit={submit} className="card" data-testid="notif-settings">
        {events.map((ev) => (
          <fieldset key={ev.event_key} className="notif-pref">
            <legend>{pick(ev.description_vi, ev.description_en)}</legend>
            {CHANNELS.map((c) => {
              const k = key({ event_key: ev.event_key, channel: c });
              const id = `pref-${ev.event_key}-${c}`;
              return (
                <span key={c} className="field-check">
                  <input id={id} type="checkbox" checked={on[k] ?? true} onChange={(e) => setOn({ ...on, [k]: e.target.checked })} data-testid={id} />
                  <label htmlFor={id}>{t(`notif.channel.${c}`)}</label>
                </span>
              );
            })}
          </fieldset>
        ))}
        <p className="muted small">{t('notif.settings_note')}</p>
        <div className="form-actions">
          <button type="submit" className="btn btn-primary" disabled={saving} data-testid="notif-settings-save">
            {t('notif.settings_save')}
          </button>
        </div>
      </form>
    </div>
  );
}
