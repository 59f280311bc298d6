// The expert's ring: an incoming call sounds (a tone shipped with the pages, at the volume the expert
// chose, or not at all), flashes the tab's title and, when the page is hidden behind other windows,
// shows a browser notification. An expert has the ring's offer timeout to answer: an offer nobody
// notices becomes a time-out, and two of them set the expert away.
import { $ } from './page.js';
import { t } from './i18n.js';

const VOLUME = 'palvelurinki.expert.ringVolume';
const MUTED = 'palvelurinki.expert.ringMuted';
const FLASH_MS = 1000;

export class Ringer {
  /** audio: the page's looping ring element. */
  constructor(audio) {
    this.audio = audio;
    this.flash = null;
    this.notification = null;
    this.baseTitle = document.title;
    this.blocked = false;
    const volume = Number(localStorage.getItem(VOLUME) ?? '80');
    this.volume = Number.isFinite(volume) ? Math.min(100, Math.max(0, volume)) : 80;
    this.muted = localStorage.getItem(MUTED) === 'true';
    this.applyVolume();
    // Browsers let a page play sound only after the person has used it once: any click or key unlocks it.
    const unlock = () => {
      if (this.blocked && this.ringing) this.play();
      this.blocked = false;
      this.renderBlocked();
    };
    document.addEventListener('pointerdown', unlock);
    document.addEventListener('keydown', unlock);
    window.palvelurinki = { ...(window.palvelurinki ?? {}), ringer: this }; // for the browser tests
  }

  /** Wires the settings form: volume slider, mute checkbox, "Test the ring", "Allow notifications". */
  bindSettings() {
    const volume = $('ring-volume');
    const mute = $('ring-mute');
    volume.value = String(this.volume);
    mute.checked = this.muted;
    volume.addEventListener('input', () => {
      this.volume = Number(volume.value);
      localStorage.setItem(VOLUME, String(this.volume));
      this.applyVolume();
      this.renderSettings();
    });
    mute.addEventListener('change', () => {
      this.muted = mute.checked;
      localStorage.setItem(MUTED, String(this.muted));
      this.applyVolume();
      this.renderSettings();
    });
    $('ring-test').addEventListener('click', () => this.test());
    $('notify-allow').addEventListener('click', async () => {
      if ('Notification' in window) await Notification.requestPermission().catch(() => {});
      this.renderSettings();
    });
    this.renderSettings();
  }

  renderSettings() {
    $('ring-volume-value').textContent = `${this.volume} %`;
    $('ring-volume').disabled = this.muted;
    const permission = 'Notification' in window ? Notification.permission : 'unsupported';
    $('notify-state').textContent = t(`ring.notify.${permission}`);
    $('notify-allow').hidden = permission !== 'default';
    this.renderBlocked();
  }

  renderBlocked() {
    const box = $('ring-blocked');
    if (box) box.textContent = this.blocked && !this.muted ? t('ring.blocked') : '';
  }

  applyVolume() {
    this.audio.volume = this.volume / 100;
    this.audio.muted = this.muted || this.volume === 0;
  }

  /** Rings for an offer from `from` until stop(). */
  start(from) {
    this.stop();
    this.ringing = true;
    this.baseTitle = document.title;
    this.play();
    const alert = `${t('ring.title')}: ${from}`;
    let on = false;
    document.title = alert;
    this.flash = setInterval(() => {
      on = !on;
      document.title = on ? this.baseTitle : alert;
    }, FLASH_MS);
    if (document.visibilityState === 'hidden' && 'Notification' in window && Notification.permission === 'granted') {
      try {
        this.notification = new Notification(t('ring.title'), { body: from, tag: 'palvelurinki-offer', requireInteraction: true });
        this.notification.onclick = () => {
          window.focus();
          this.notification?.close();
        };
      } catch {
        this.notification = null; // some browsers allow notifications only from a service worker
      }
    }
  }

  play() {
    if (this.muted) return;
    this.audio.currentTime = 0;
    this.audio.play().then(() => { this.blocked = false; this.renderBlocked(); }, () => {
      this.blocked = true;
      this.renderBlocked();
    });
  }

  /** A few seconds of the ring, so that the expert can set the volume (and the browser allows sound). */
  test() {
    if (this.ringing || this.muted) return;
    this.audio.currentTime = 0;
    this.audio.play().catch(() => {});
    clearTimeout(this.testTimer);
    this.testTimer = setTimeout(() => {
      if (!this.ringing) this.audio.pause();
    }, 2000);
  }

  stop() {
    this.ringing = false;
    clearTimeout(this.testTimer);
    this.audio.pause();
    this.audio.currentTime = 0;
    this.applyVolume();
    if (this.flash) {
      clearInterval(this.flash);
      this.flash = null;
      document.title = this.baseTitle;
    }
    this.notification?.close();
    this.notification = null;
  }
}
