// The expert's "My bookings today": their booked calls of the day (named, or pooled in their rings)
// with time, service, point, language and status, kept current by the server's `booking` pushes;
// cancel with a reason; and the whole calendar as an .ics file for the office calendar.
import { $, api, el, errorText } from './page.js';
import { languageName, t } from './i18n.js';
import { CancelForm, cell, loadBookings, localTime, statusText } from './bookings.js';

const OPEN = ['confirmed', 'rescheduled'];

export class MyBookings {
  constructor(conn) {
    this.conn = conn;
    this.bookings = [];
    this.cancelForm = new CancelForm(conn, 'expert', () => this.load());
    $('ics').addEventListener('click', () => this.download());
  }

  async load() {
    try {
      this.bookings = await loadBookings(this.conn, 0);
      $('bookings-error').textContent = '';
    } catch (err) {
      $('bookings-error').textContent = errorText(err);
      return;
    }
    this.render();
  }

  render() {
    const focused = document.activeElement?.id;
    $('bookings-body').replaceChildren(...this.bookings.map((b) => {
      const actions = el('td', { 'data-field': 'actions' });
      if (OPEN.includes(b.status)) {
        actions.append(el('button', { type: 'button', id: `cancel-booking-${b.id}`, class: 'danger',
          'aria-label': t('booking.cancelLabel', { time: localTime(b.start) }),
          onclick: (e) => this.cancelForm.open(b, e.currentTarget) }, t('booking.cancel')));
      }
      return el('tr', { 'data-booking': b.id, 'data-status': b.status },
        cell('time', `${localTime(b.start)}–${localTime(b.end)}`),
        cell('service', b.serviceName, b.note ? el('br') : null, b.note ? el('span', { class: 'help' }, b.note) : null),
        cell('point', b.fromHome ? el('span', { class: 'from-home' }, t('booking.fromHome')) : b.pointName),
        cell('language', languageName(b.language)),
        cell('status', statusText(b), b.reason ? el('br') : null, b.reason ? el('span', { class: 'help' }, b.reason) : null),
        actions);
    }));
    $('bookings-empty').hidden = this.bookings.length > 0;
    $('bookings-table').hidden = this.bookings.length === 0;
    if (focused && $(focused)) $(focused).focus();
  }

  /** A `booking` push: the day's list is fetched again, as the server has it now. */
  onPush() {
    return this.load();
  }

  /**
   * The .ics export needs the bearer token, which a plain link cannot send: the file is fetched and
   * handed to the browser as a download.
   */
  async download() {
    try {
      const r = await fetch('/api/bookings.ics', { headers: { Authorization: `Bearer ${this.conn.token}` } });
      if (!r.ok) throw new Error(`HTTP ${r.status}`);
      const url = URL.createObjectURL(await r.blob());
      const a = el('a', { href: url, download: `palvelurinki-${this.conn.welcome.user}.ics`, hidden: true });
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 60000);
    } catch (err) {
      $('bookings-error').textContent = t('error.generic', { reason: err.message });
    }
  }
}
