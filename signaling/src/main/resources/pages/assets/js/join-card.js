// The customer's join link of a booking from home, to hand over: the address, a QR code to scan, the
// time it opens, the booking's .ics with the link, and printing (docs/pages.md). Only the card prints.
import { $, api, el, errorText } from './page.js';
import { t, translate } from './i18n.js';
import { localTime } from './bookings.js';

let dialog = null;

export async function showJoinCard(conn, booking, opener) {
  let link;
  try {
    link = await api(conn, 'GET', `/bookings/${booking.id}/join`);
  } catch (err) {
    $('booking-error').textContent = errorText(err);
    return;
  }
  dialog?.remove();
  const qr = el('div', { class: 'qr', role: 'img', 'aria-label': t('joinCard.qr') });
  // The server's own SVG (docs/api.md), built from the link alone.
  qr.innerHTML = link.qrSvg;
  qr.querySelector('svg')?.setAttribute('aria-hidden', 'true');
  const ics = el('button', { type: 'button', id: 'join-card-ics' }, t('joinCard.ics'));
  ics.addEventListener('click', () => downloadIcs(conn, booking.id));
  dialog = el('dialog', { id: 'join-card', class: 'join-card', 'aria-labelledby': 'join-card-title' },
    el('h2', { id: 'join-card-title' }, t('joinCard.title', { service: booking.serviceName, time: localTime(booking.start) })),
    el('p', {}, t('joinCard.intro', { from: localTime(link.validFrom) })),
    qr,
    el('p', { class: 'join-url' }, el('a', { id: 'join-card-url', href: link.url }, link.url)),
    el('div', { class: 'actions' },
      el('button', { type: 'button', class: 'primary', id: 'join-card-print', onclick: () => window.print() }, t('joinCard.print')),
      ics,
      el('button', { type: 'button', id: 'join-card-close', onclick: () => dialog.close() }, t('joinCard.close'))));
  dialog.addEventListener('close', () => {
    dialog.remove();
    dialog = null;
    opener?.focus();
  });
  document.body.append(dialog);
  translate(dialog);
  dialog.showModal();
}

async function downloadIcs(conn, id) {
  const r = await fetch(`/api/bookings/${id}/ics`, { headers: { Authorization: `Bearer ${conn.token}` } });
  if (!r.ok) return;
  const url = URL.createObjectURL(await r.blob());
  const a = el('a', { href: url, download: `palvelurinki-booking-${id}.ics`, hidden: true });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60000);
}
