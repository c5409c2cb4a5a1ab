import { createContext, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import type { ReactNode } from 'react';
import { vi } from './vi';
import type { Key, Dict } from './vi';

export type Lang = 'vi' | 'en';
export type { Key };
/**
 * The dictionaries loaded so far. Vietnamese is the default and ships in the main chunk; the
 * English one is a separate chunk fetched when chosen (see loadLanguage; main.tsx waits for
 * it before the first render when English was chosen earlier).
 */
export const dictionaries: Partial<Record<Lang, Dict>> & { vi: Dict } = { vi: { ...vi } as unknown as Dict };
const STORAGE_KEY = 'tinhso.lang';

let enLoading: Promise<void> | null = null;
/** Makes sure the language's dictionary is loaded. */
export function loadLanguage(lang: Lang): Promise<void> {
  if (lang === 'vi' || dictionaries.en) return Promise.resolve();
  if (!enLoading) {
    enLoading = import('./en').then(
      (m) => {
        dictionaries.en = m.en;
      },
      (e: unknown) => {
        enLoading = null;
        throw e;
      },
    );
  }
  return enLoading;
}

export type Params = Record<string, string | number>;

/** Fills "{name}" placeholders. */
export function interpolate(text: string, params?: Params): string {
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (m, k: string) => (k in params ? String(params[k]) : m));
}

export function translate(lang: Lang, key: Key, params?: Params): string {
  return interpolate((dictionaries[lang] ?? dictionaries.vi)[key] ?? dictionaries.vi[key], params);
}

/** For keys built at run time (status.4, role.leader): a known key or the fallback text. */
export function hasKey(k: string): k is Key {
  return Object.prototype.hasOwnProperty.call(dictionaries.vi, k);
}

/** Adds the Vietnamese words a lazily loaded group of pages brings (vi-staff.ts). */
export function addVietnamese(words: Record<string, string>): void {
  Object.assign(dictionaries.vi as unknown as Record<string, string>, words);
}

interface I18n {
  lang: Lang;
  setLang: (l: Lang) => void;
  t: (key: Key, params?: Params) => string;
  /** A run-time key with a fallback that is never the raw key. */
  tk: (key: string, fallback: string) => string;
  /** Picks the Vietnamese or English variant of a server text. */
  pick: (viText: string | null | undefined, enText: string | null | undefined) => string;
}

const Ctx = createContext<I18n | null>(null);

/**
 * The cookie that tells the server the reader's language, so that the pages it draws before the
 * script runs (src/portal, kLanguageCookie) are in that language too.
 */
const LANG_COOKIE = 'tinhso_lang';

function rememberLang(l: Lang) {
  try {
    localStorage.setItem(STORAGE_KEY, l);
  } catch {
    /* storage may be blocked */
  }
  document.cookie = `${LANG_COOKIE}=${l}; path=/; max-age=31536000; SameSite=Lax`;
}

/**
 * The reader's language: the address's ?lang= (a link from a page the server drew in that
 * language), else the one chosen earlier on this browser, else the server's cookie, else
 * Vietnamese.
 */
export function storedLang(): Lang {
  const asked = new URLSearchParams(window.location.search).get('lang');
  if (asked === 'vi' || asked === 'en') {
    rememberLang(asked);
    return asked;
  }
  try {
    const s = localStorage.getItem(STORAGE_KEY);
    if (s === 'vi' || s === 'en') return s;
  } catch {
    /* storage may be blocked */
  }
  const cookie = /(?:^|;\s*)tinhso_lang=(vi|en)\b/.exec(document.cookie);
  return cookie ? (cookie[1] as Lang) : 'vi';
}

export function I18nProvider({ children }: { children: ReactNode }) {
  // English is only used once its dictionary is here (main.tsx preloads it when stored).
  const [lang, setLangState] = useState<Lang>(() => {
    const l = storedLang();
    return dictionaries[l] ? l : 'vi';
  });
  useEffect(() => {
    document.documentElement.lang = lang;
    // Also for a language chosen before the server read the cookie.
    document.cookie = `${LANG_COOKIE}=${lang}; path=/; max-age=31536000; SameSite=Lax`;
  }, [lang]);
  const setLang = useCallback((l: Lang) => {
    rememberLang(l);
    // Switch once the dictionary is loaded (a few kB; if it fails, stay in Vietnamese).
    loadLanguage(l).then(
      () => setLangState(l),
      () => undefined,
    );
  }, []);
  const value = useMemo<I18n>(
    () => ({
      lang,
      setLang,
      t: (key, params) => translate(lang, key, params),
      tk: (key, fallback) => (hasKey(key) ? translate(lang, key) : fallback),
      pick: (v, e) => (lang === 'en' && e ? e : v || e || ''),
    }),
    [lang, setLang],
  );
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

export function useI18n(): I18n {
  const c = useContext(Ctx);
  if (!c) throw new Error('useI18n outside I18nProvider');
  return c;
}
