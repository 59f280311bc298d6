// What every page has: the header (name, connection status, language, sign-out), sign-in and the
// connection to the server.
import { LANGUAGES, language, setLanguage, t, translate } from './i18n.js';
import { Connection, ProtocolError, tokenStatus } from './protocol.js';

/** Builds an element: el('button', {type: 'button', 'data-i18n': 'x'}, 'text', child…). Text is never HTML. */
export function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === false || v === null || v === undefined) continue;
    if (k === 'onclick') e.addEventListener('click', v);
    else e.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children) {
    if (c !== null && c !== undefined) e.append(c);
  }
  return e;
}

export function $(id) {
  return document.getElementById(id);
}

/** Shows one of a page's views (sections with class "view") and hides the others. */
export function showView(id, focus = true) {
  document.querySelectorAll('.view').forEach((v) => { v.hidden = v.id !== id; });
  if (focus) {
    const heading = $(id).querySelector('h1, h2');
    if (heading) {
      heading.setAttribute('tabindex', '-1');
      heading.focus();
    }
  }
}

const LANGUAGE_NAMES = { fi: 'suomi', sv: 'svenska', en: 'English' };

/** The header: product name, who is signed in, connection status, language and sign-out. */
export function header(onSignOut) {
  const select = el('select', { id: 'lang' });
  for (const l of LANGUAGES) {
    const o = el('option', { value: l, lang: l }, LANGUAGE_NAMES[l]);
    o.selected = l === language();
    select.append(o);
  }
  select.addEventListener('change', () => setLanguage(select.value));
  const bar = $('top');
  bar.append(
    el('a', { class: 'brand', href: '/' }, t('app.name')),
    el('span', { id: 'who', class: 'who' }),
    el('p', { id: 'connection', class: 'connection', role: 'status' }),
    el('span', { class: 'lang' }, el('label', { for: 'lang', 'data-i18n': 'common.language' }), select),
  );
  if (onSignOut) {
    bar.append(el('button', { id: 'signout', type: 'button', class: 'quiet', hidden: true,
      'data-i18n': 'common.signOut', onclick: onSignOut }));
  }
  translate(document);
}

function tokenKey(role) {
  return `palvelurinki.token.${role}`;
}

/**
 * Reads a token's payload without trusting it: only to skip a token meant for another page. Whether it
 * is still valid is the server's to say, never this browser's clock, which may be minutes or days off
 * (docs/pages.md, "Sign-in and clocks").
 */
function forRole(token, role) {
  try {
    const payload = JSON.parse(atob(token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/')));
    return payload.role === role;
  } catch {
    return false;
  }
}

/** The demo sign-in (serve --demo only): a token for a configured person, or null when it is off. */
export async function demoUsers() {
  const r = await fetch('/demo/users');
  return r.ok ? r.json() : null;
}

async function demoToken(role, user) {
  const r = await fetch('/demo/token', { method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ role, user }) });
  const body = await r.json();
  if (!r.ok) throw new Error(body.reason);
  return body.token;
}

/** One line per demo user of a role: "Anna Virtanen – Mikkelin Asiointipiste". */
export function demoUserLabel(role, u) {
  if (role === 'advisor') return `${u.name} – ${u.pointName}`;
  if (role === 'expert') return `${u.name} – ${(u.ringNames ?? u.rings).join(', ')}`;
  return u.name;
}

/** The organisations' identity providers (docs/operations.md), or null when none is configured. */
async function providers() {
  const r = await fetch('/oidc/providers', { cache: 'no-store' });
  return r.ok ? (await r.json()).providers : null;
}

const END_SESSION_KEY = 'palvelurinki.signin.endSession';

/**
 * Asks who the user is: their organisation's sign-in (which comes back to this page with a token), a demo
 * user's button, or a token pasted into the form. Resolves with a token.
 */
async function signInForm(role, problem) {
  const section = $('signin');
  section.replaceChildren();
  section.append(el('h1', { 'data-i18n': 'signin.title' }), el('p', { class: 'role' }, t(`role.${role}`)));
  if (problem) section.append(el('p', { class: 'error', role: 'alert' }, problem));
  const endSession = sessionStorage.getItem(END_SESSION_KEY);
  if (endSession) {
    sessionStorage.removeItem(END_SESSION_KEY);
    section.append(el('p', { id: 'signed-out', role: 'status' }, t('signin.signedOut'), ' ',
      el('a', { id: 'provider-signout', href: endSession }, t('signin.providerSignOut'))));
  }
  const idps = await providers().catch(() => null);
  if (idps && idps.length > 0) {
    const list = el('ul', { class: 'users providers' });
    for (const p of idps) {
      list.append(el('li', {}, el('a', { class: 'button primary', 'data-provider': p.id,
        href: `/oidc/login?provider=${encodeURIComponent(p.id)}` }, t('signin.withProvider', { name: p.name }))));
    }
    section.append(list);
  }
  const users = await demoUsers().catch(() => null);
  const chosen = new Promise((resolve) => {
    if (idps && idps.length > 0 && !users) return; // the provider's page takes over
    if (users) {
      section.append(el('p', { 'data-i18n': 'signin.demoIntro' }));
      const list = el('ul', { class: 'users' });
      for (const u of users[`${role}s`]) {
        list.append(el('li', {}, el('button', { type: 'button', 'data-user': u.id,
          onclick: () => resolve({ demo: u.id }) }, demoUserLabel(role, u))));
      }
      section.append(list);
      return;
    }
    const input = el('textarea', { id: 'token', rows: 3, required: true, autocomplete: 'off', spellcheck: 'false',
      'aria-describedby': 'token-help' });
    const form = el('form', { class: 'token' },
      el('label', { for: 'token', 'data-i18n': 'signin.tokenLabel' }), input,
      el('p', { id: 'token-help', class: 'help', 'data-i18n': 'signin.tokenHelp' }),
      el('button', { type: 'submit', class: 'primary', 'data-i18n': 'signin.submit' }));
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      resolve({ token: input.value.trim() });
    });
    section.append(form);
  });
  translate(section);
  showView('signin');
  const choice = await chosen;
  if (choice.token !== undefined) {
    if (!forRole(choice.token, role)) return signInForm(role, t('signin.badToken'));
    return choice.token;
  }
  try {
    return await demoToken(role, choice.demo);
  } catch (e) {
    return signInForm(role, t('signin.failed', { reason: e.message }));
  }
}

/** The session token an identity provider's sign-in hands over in the address's fragment (never sent to a server). */
function signedInToken(role) {
  const hash = new URLSearchParams(location.hash.slice(1));
  const tok = hash.get('token');
  if (!tok) return null;
  history.replaceState(null, '', location.pathname);
  return forRole(tok, role) ? tok : null;
}

async function token(role, problem) {
  const fromProvider = signedInToken(role);
  if (fromProvider && !problem) return fromProvider;
  const demo = new URLSearchParams(location.search).get('demo');
  if (demo && !problem) {
    // A link printed by "serve --demo": sign in as that user at once, and keep the address clean.
    history.replaceState(null, '', location.pathname);
    try {
      return await demoToken(role, demo);
    } catch (e) {
      return signInForm(role, t('signin.failed', { reason: e.message }));
    }
  }
  const saved = sessionStorage.getItem(tokenKey(role));
  if (saved && forRole(saved, role) && !problem) return saved;
  return signInForm(role, problem);
}

const PROBLEM_KEY = 'palvelurinki.signin.problem';

const STATUS_KEYS = { connecting: 'conn.connecting', online: 'conn.online', reconnecting: 'conn.reconnecting',
  failed: 'conn.failed', unreachable: 'conn.unreachable', too_many: 'conn.tooMany', expired: 'signin.expired' };

/**
 * Signs the user in (sessionStorage keeps the token per browser tab, so two tabs can be two people)
 * and opens the session. Resolves with the connection and its first welcome.
 */
export async function signInAndConnect(role) {
  // A session that the server ended while the page was open (its token refused on a reconnect) left a
  // note for the sign-in form that follows the reload.
  let problem = sessionStorage.getItem(PROBLEM_KEY) === 'expired' ? t('signin.expired') : null;
  sessionStorage.removeItem(PROBLEM_KEY);
  for (;;) {
    const saved = sessionStorage.getItem(tokenKey(role));
    const tok = await token(role, problem);
    problem = null;
    sessionStorage.setItem(tokenKey(role), tok);
    const conn = new Connection(tok);
    const status = $('connection');
    conn.addEventListener('status', (e) => {
      status.dataset.i18n = STATUS_KEYS[e.detail];
      status.dataset.state = e.detail;
      status.textContent = t(STATUS_KEYS[e.detail]);
    });
    conn.addEventListener('expired', () => {
      // The server refused this token on a reconnect: sign in again, in a fresh page.
      sessionStorage.removeItem(tokenKey(role));
      sessionStorage.setItem(PROBLEM_KEY, 'expired');
      location.replace(location.pathname);
    });
    try {
      const welcome = await conn.open();
      $('who').textContent = welcome.pointName ? `${welcome.name} · ${welcome.pointName}` : welcome.name;
      const out = $('signout');
      if (out) out.hidden = false;
      window.palvelurinki = { connection: conn }; // for diagnostics (and the browser tests)
      return { conn, welcome };
    } catch (e) {
      if (e instanceof ProtocolError && e.code === 'too_many') {
        sessionStorage.removeItem(tokenKey(role));
        problem = t('conn.tooMany');
        continue;
      }
      // The socket was refused before it opened. Only the server can say whether the token is to blame.
      const verdict = await tokenStatus(tok);
      if (verdict === 'refused') {
        sessionStorage.removeItem(tokenKey(role));
        problem = tok === saved ? t('signin.expired') : t('signin.badToken');
        continue;
      }
      // The server is out of reach (or answered but not on the socket): keep the sign-in and try again.
      status.dataset.i18n = STATUS_KEYS.unreachable;
      status.dataset.state = 'unreachable';
      status.textContent = t(STATUS_KEYS.unreachable);
      await new Promise((r) => { setTimeout(r, UNREACHABLE_RETRY_MS); });
    }
  }
}

const UNREACHABLE_RETRY_MS = 3000;

/**
 * Ends the session at the server (a provider's sign-in; other tokens just expire), forgets it in this tab
 * and shows the sign-in again, offering the provider's own sign-out as well.
 */
export async function signOut(role, conn) {
  sessionStorage.removeItem(tokenKey(role));
  conn.close();
  try {
    const r = await fetch('/oidc/logout', { method: 'POST', headers: { Authorization: `Bearer ${conn.token}` } });
    const body = r.ok ? await r.json() : {};
    if (body.endSession) sessionStorage.setItem(END_SESSION_KEY, body.endSession);
  } catch {
    // Without identity providers there is no session to end at the server.
  }
  location.replace(location.pathname);
}

/** A refusal in the user's language where we have one, else the server's own reason. */
export function errorText(e) {
  const key = `error.${e.code}`;
  const text = t(key);
  return text === key ? t('error.generic', { reason: e.message }) : text;
}

/** A refusal of the HTTP API (docs/api.md): status, code and reason, and the whole body (e.g. slots). */
export class ApiError extends Error {
  constructor(status, body) {
    super(body.reason ?? `HTTP ${status}`);
    this.status = status;
    this.code = body.code ?? 'http';
    this.body = body;
  }
}

/** Calls the HTTP API with the session's bearer token; resolves with the JSON reply, rejects with an ApiError. */
export async function api(conn, method, path, body) {
  const headers = { Authorization: `Bearer ${conn.token}` };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const r = await fetch(`/api${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const json = await r.json().catch(() => ({}));
  if (!r.ok) throw new ApiError(r.status, json);
  return json;
}
