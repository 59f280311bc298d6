// What the advisor's and the expert's booking screens share: the server's clock, dates and times in
// Finnish time, the bookings list from the API, and the cancel-with-reason form.
import { $, api, el, errorText } from './page.js';
import { language, t } from './i18n.js';

const ZONE = 'Europe/Helsinki'; // bookings are made in Finnish time, wherever the browser is
const LOCALES = { fi: 'fi-FI', sv: 'sv-FI', en: 'en-GB' };
/** A booked call may be started this long before its slot (docs/protocol.md). */
export const EARLIEST_START_MS = 15 * 60 * 1000;

let offsetMs = 0; // the server's clock minus this browser's: the server decides when a call may start

/** The server's time now, as learnt from the last bookings list. */
export function serverNow() {
  return Date.now() + offsetMs;
}

/** The server's calendar day (Finnish time) as YYYY-MM-DD, plus days. */
export function serverDay(days = 0) {
  const d = new Date(serverNow() + days * 86400000);
  return new Intl.DateTimeFormat('sv-SE', { timeZone: ZONE, year: 'numeric', month: '2-digit', day: '2-digit' }).format(d);
}

export function localTime(iso) {
  return new Intl.DateTimeFormat(LOCALES[language()], { timeZone: ZONE, hour: '2-digit', minute: '2-digit' })
    .format(new Date(iso));
}

export function localDate(isoOrDay) {
  const d = isoOrDay.length === 10 ? new Date(`${isoOrDay}T12:00:00Z`) : new Date(isoOrDay);
  return new Intl.DateTimeFormat(LOCALES[language()], { timeZone: ZONE, weekday: 'short', day: 'numeric', month: 'numeric' })
    .format(d);
}

/** The bookings from today to days ahead, in the server's order (by start). */
export async function loadBookings(conn, days) {
  const from = serverDay();
  const reply = await api(conn, 'GET', `/bookings?from=${from}&to=${serverDay(days)}`);
  offsetMs = Date.parse(reply.now) - Date.now();
  return reply.bookings;
}

/** Whether the booking's slot is on the server's today. */
export function isToday(b) {
  return b.localStart.slice(0, 10) === serverDay();
}

export function statusText(b) {
  return t(`booking.status.${b.status}`);
}

/**
 * The cancel form under a bookings list: asks for the reason (the API requires one), then cancels.
 * onDone(booking) after a cancel.
 */
export class CancelForm {
  constructor(conn, prefix, onDone) {
    this.conn = conn;
    this.prefix = prefix;
    this.onDone = onDone;
    this.booking = null;
    this.form = $(`${prefix}-cancel-form`);
    this.form.addEventListener('submit', (e) => this.submit(e));
    $(`${prefix}-cancel-keep`).addEventListener('click', () => this.close());
  }

  open(b, opener) {
    this.booking = b;
    this.opener = opener;
    $(`${this.prefix}-cancel-what`).textContent = t('booking.cancelWhat', {
      date: localDate(b.start), time: localTime(b.start), service: b.serviceName });
    $(`${this.prefix}-cancel-reason`).value = '';
    $(`${this.prefix}-cancel-error`).textContent = '';
    this.form.hidden = false;
    $(`${this.prefix}-cancel-reason`).focus();
  }

  close() {
    this.form.hidden = true;
    this.booking = null;
    if (this.opener && this.opener.isConnected) this.opener.focus();
  }

  async submit(e) {
    e.preventDefault();
    const reason = $(`${this.prefix}-cancel-reason`).value.trim();
    if (!reason) {
      $(`${this.prefix}-cancel-error`).textContent = t('booking.reasonRequired');
      $(`${this.prefix}-cancel-reason`).focus();
      return;
    }
    try {
      const r = await api(this.conn, 'POST', `/bookings/${this.booking.id}/cancel`, { reason });
      this.form.hidden = true;
      this.booking = null;
      await this.onDone(r.booking);
      // The row and its button were drawn anew: the list's heading keeps the keyboard's place.
      const heading = this.form.closest('section').querySelector('h2');
      heading.setAttribute('tabindex', '-1');
      heading.focus();
    } catch (err) {
      $(`${this.prefix}-cancel-error`).textContent = errorText(err);
    }
  }
}

/** A cell of a bookings table. */
export function cell(field, ...children) {
  return el('td', { 'data-field': field }, ...children);
}
