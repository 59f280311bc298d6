// Choosing and checking the camera, microphone and speaker: a panel with a preview and a microphone level
// meter. The choices are remembered in this browser (localStorage), and every camera the pages open
// (call.js openCamera) and the other party's sound follow them. A device that is gone falls back to the
// browser's default rather than failing the call.
import { $, el } from './page.js';
import { onLanguageChange, t, translate } from './i18n.js';

const STORE = 'palvelurinki.devices';

export function chosenDevices() {
  try {
    return JSON.parse(localStorage.getItem(STORE) ?? '{}');
  } catch {
    return {};
  }
}

function remember(kind, id) {
  const d = chosenDevices();
  if (id) d[kind] = id;
  else delete d[kind];
  localStorage.setItem(STORE, JSON.stringify(d));
}

/** getUserMedia constraints with the chosen devices as preferences (ideal: an unplugged one is no error). */
export function mediaConstraints() {
  const d = chosenDevices();
  const video = { width: { ideal: 1280 }, height: { ideal: 720 } };
  const audio = { echoCancellation: true, noiseSuppression: true };
  if (d.camera) video.deviceId = { ideal: d.camera };
  if (d.microphone) audio.deviceId = { ideal: d.microphone };
  return { video, audio };
}

/** Plays an element's sound through the chosen speaker, where the browser can choose (setSinkId). */
export function applySpeaker(media) {
  const id = chosenDevices().speaker;
  if (id && typeof media.setSinkId === 'function') media.setSinkId(id).catch(() => {});
}

/**
 * The panel: a <details> "Camera, microphone and speaker" appended to `parent`. Opening it opens the
 * chosen camera for a preview and shows the microphone's level; closing it lets them go.
 */
export class DevicePanel {
  constructor(parent, { onChange = () => {} } = {}) {
    this.onChange = onChange;
    this.stream = null;
    this.camera = el('select', { id: 'device-camera' });
    this.microphone = el('select', { id: 'device-microphone' });
    this.speaker = el('select', { id: 'device-speaker' });
    this.preview = el('video', { id: 'device-preview', class: 'preview', autoplay: true, playsinline: true, muted: true,
      'data-i18n-label': 'devices.preview' });
    this.preview.muted = true;
    this.meter = el('meter', { id: 'device-level', min: 0, max: 100, value: 0, 'aria-labelledby': 'device-level-label' });
    this.status = el('p', { id: 'device-status', class: 'help', role: 'status' });
    const field = (id, key, control) => el('div', { class: 'field' }, el('label', { for: id, 'data-i18n': key }), control);
    this.details = el('details', { id: 'devices', class: 'settings' },
      el('summary', { 'data-i18n': 'devices.title' }),
      el('div', { class: 'row' }, field('device-camera', 'devices.camera', this.camera),
        field('device-microphone', 'devices.microphone', this.microphone),
        field('device-speaker', 'devices.speaker', this.speaker)),
      this.preview,
      el('p', {}, el('span', { id: 'device-level-label', 'data-i18n': 'devices.level' }), ' ', this.meter),
      this.status);
    parent.append(this.details);
    translate(this.details);
    this.details.addEventListener('toggle', () => (this.details.open ? this.start() : this.stop()));
    for (const [select, kind] of [[this.camera, 'camera'], [this.microphone, 'microphone'], [this.speaker, 'speaker']]) {
      select.addEventListener('change', () => {
        remember(kind, select.value);
        if (kind !== 'speaker') this.start();
        else applySpeaker(this.preview);
        this.onChange(kind);
      });
    }
    onLanguageChange(() => this.list());
    window.palvelurinki = { ...(window.palvelurinki ?? {}), devices: this }; // for the browser tests
  }

  /** Lists the devices (names appear once the page may use the camera) with the chosen ones selected. */
  async list() {
    const all = await navigator.mediaDevices?.enumerateDevices?.().catch(() => []) ?? [];
    const chosen = chosenDevices();
    const fill = (select, kind, kindOfDevice) => {
      const devices = all.filter((d) => d.kind === kindOfDevice);
      select.replaceChildren(el('option', { value: '' }, t('devices.default')),
        ...devices.map((d, i) => el('option', { value: d.deviceId }, d.label || t(`devices.unnamed.${kind}`, { n: i + 1 }))));
      select.value = devices.some((d) => d.deviceId === chosen[kind]) ? chosen[kind] : '';
    };
    fill(this.camera, 'camera', 'videoinput');
    fill(this.microphone, 'microphone', 'audioinput');
    fill(this.speaker, 'speaker', 'audiooutput');
    this.speaker.disabled = typeof this.preview.setSinkId !== 'function';
  }

  async start() {
    this.stop();
    try {
      this.stream = await navigator.mediaDevices.getUserMedia(mediaConstraints());
    } catch {
      this.status.textContent = t('devices.failed');
      return;
    }
    this.status.textContent = t('devices.ok');
    this.preview.srcObject = this.stream;
    await this.list();
    this.measure();
  }

  /** The microphone's level, 0-100, from an analyser of its signal, ten times a second. */
  measure() {
    const Ctx = window.AudioContext ?? window.webkitAudioContext;
    if (!Ctx || this.stream.getAudioTracks().length === 0) return;
    this.audio = new Ctx();
    const analyser = this.audio.createAnalyser();
    analyser.fftSize = 512;
    this.audio.createMediaStreamSource(this.stream).connect(analyser);
    const samples = new Float32Array(analyser.fftSize);
    this.levelTimer = setInterval(() => {
      analyser.getFloatTimeDomainData(samples);
      let sum = 0;
      for (const v of samples) sum += v * v;
      const rms = Math.sqrt(sum / samples.length);
      this.meter.value = Math.min(100, Math.round(rms * 300));
    }, 100);
  }

  stop() {
    clearInterval(this.levelTimer);
    this.audio?.close().catch(() => {});
    this.audio = null;
    if (this.stream) this.stream.getTracks().forEach((tr) => tr.stop());
    this.stream = null;
    this.preview.srcObject = null;
    this.meter.value = 0;
  }
}
