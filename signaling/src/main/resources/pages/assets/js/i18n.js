// The pages' texts in Finnish, Swedish and English. The language is chosen from the header's
// selector, remembered in this browser, and defaults to the browser's own when it is one of the three.
// Elements carry their text's key in data-i18n (text), data-i18n-label (aria-label) or
// data-i18n-placeholder; texts built by the scripts call t() and re-render on onLanguageChange().

// The texts live in one data file per language (/assets/i18n/LANG.json: "texts" by key, and "names" for ids
// that come from the configuration: topics and customer languages). All three are loaded before any page
// script runs (top-level await), so that t() stays synchronous and switching language needs no reload.
const FILES = await Promise.all(['fi', 'sv', 'en'].map(async (l) => {
  const r = await fetch(`/assets/i18n/${l}.json`);
  if (!r.ok) throw new Error(`the ${l} texts could not be loaded (HTTP ${r.status})`);
  return [l, await r.json()];
}));
const TEXTS = Object.fromEntries(FILES.map(([l, f]) => [l, f.texts]));
const NAMES = Object.fromEntries(FILES.map(([l, f]) => [l, f.names]));

export const LANGUAGES = ['fi', 'sv', 'en'];
const STORE = 'palvelurinki.lang';
const listeners = [];
let current = initialLanguage();

function initialLanguage() {
  const saved = localStorage.getItem(STORE);
  if (LANGUAGES.includes(saved)) return saved;
  const browser = (navigator.language || 'fi').slice(0, 2).toLowerCase();
  return LANGUAGES.includes(browser) ? browser : 'fi';
}

export function language() {
  return current;
}

export function setLanguage(l) {
  if (!LANGUAGES.includes(l)) return;
  current = l;
  localStorage.setItem(STORE, l);
  translate(document);
  listeners.forEach((f) => f(l));
}

export function onLanguageChange(f) {
  listeners.push(f);
}

/** The text for key in the current language, with {name} replaced from params. */
export function t(key, params = {}) {
  const text = TEXTS[current][key] ?? TEXTS.en[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (m, name) => (name in params ? String(params[name]) : m));
}

export function translate(root) {
  document.documentElement.lang = current;
  root.querySelectorAll('[data-i18n]').forEach((el) => { el.textContent = t(el.dataset.i18n); });
  root.querySelectorAll('[data-i18n-label]').forEach((el) => el.setAttribute('aria-label', t(el.dataset.i18nLabel)));
  root.querySelectorAll('[data-i18n-placeholder]').forEach((el) => el.setAttribute('placeholder', t(el.dataset.i18nPlaceholder)));
  const title = document.querySelector('title[data-i18n]');
  if (title) document.title = t(title.dataset.i18n);
}

// Names the configuration gives per language (list_rings: a ring's "names", "topicNames"), over the pages' own.
const CONFIGURED_TOPICS = {};

/** Takes the configured names of the rings' topics (from list_rings) for topicName(). */
export function useConfiguredNames(rings) {
  for (const r of rings ?? []) Object.assign(CONFIGURED_TOPICS, r.topicNames ?? {});
}

export function topicName(id) {
  return CONFIGURED_TOPICS[id]?.[current] ?? NAMES[current].topic[id] ?? id.replace(/-/g, ' ');
}

/** A ring's name in the page's language where the configuration gives one, else as configured. */
export function ringName(r) {
  return r?.names?.[current] ?? r?.name ?? '';
}

export function languageName(code) {
  return NAMES[current].lang[code] ?? code;
}

/** "45 s", "8 min", "1 h 5 min"; the unknown as a dash. */
export function duration(seconds) {
  if (seconds === null || seconds === undefined) return t('none');
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  const min = Math.round(s / 60);
  if (min < 60) return `${min} min`;
  return `${Math.floor(min / 60)} h ${min % 60} min`;
}

const LOCALES = { fi: 'fi-FI', sv: 'sv-FI', en: 'en-GB' };

/** Time of day as the page's language writes it: "9.05" (fi), "9.05" (sv), "09:05" (en); seconds when asked. */
export function clock(date, { seconds = false } = {}) {
  const options = { hour: current === 'en' ? '2-digit' : 'numeric', minute: '2-digit', timeZone: 'Europe/Helsinki' };
  if (seconds) options.second = '2-digit';
  return date.toLocaleTimeString(LOCALES[current], options);
}

/** A number with the page language's decimal separator: "1,5" in Finnish and Swedish, "1.5" in English. */
export function decimal(value, digits = 1) {
  return new Intl.NumberFormat(LOCALES[current], { minimumFractionDigits: digits, maximumFractionDigits: digits })
    .format(value);
}

/** A configured call outcome's name (names.outcome), or its id made readable. */
export function outcomeName(id) {
  return NAMES[current].outcome?.[id] ?? id.replace(/-/g, ' ');
}
