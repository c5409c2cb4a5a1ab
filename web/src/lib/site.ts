// The portal's official identity and ways to pay (GET /api/v1/site, from the server's [site]
// configuration): asked once per page load, shared by the header, the footer and the pages.
import { useEffect, useState } from 'react';
import { call } from './api';
import type { Schema } from './api';

export type SiteInfo = Schema<'SiteInfo'>;

let pending: Promise<SiteInfo> | null = null;

function load(): Promise<SiteInfo> {
  pending ??= call('get', '/api/v1/site').catch((e: unknown) => {
    pending = null; // asked again next time: a failed load must not stick
    throw e;
  });
  return pending;
}

/** The site's information, or null until it has arrived (or when it could not be read). */
export function useSite(): SiteInfo | null {
  const [site, setSite] = useState<SiteInfo | null>(null);
  useEffect(() => {
    let live = true;
    load().then(
      (s) => live && setSite(s),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, []);
  return site;
}
