// Video for a call: the camera, the peer-to-peer WebRTC connection (SDP and trickle ICE relayed by the
// server as "signal" messages), the call view with its controls, and the time to video.
import { $, el, showView } from './page.js';
import { decimal, onLanguageChange, t, translate } from './i18n.js';
import { applySpeaker, mediaConstraints } from './devices.js';

/** Why the camera could not be had: 'notFound' | 'denied' | 'inUse' | 'unsupported'. */
export class CameraError extends Error {
  constructor(kind, cause) {
    super(`camera: ${kind}`);
    this.kind = kind;
    this.cause = cause;
  }
}

/** Camera and microphone, both live, or a CameraError. */
export async function openCamera() {
  if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
    // Browsers offer the camera only to secure pages: https, or http on this machine.
    throw new CameraError('unsupported');
  }
  let stream;
  try {
    stream = await navigator.mediaDevices.getUserMedia(mediaConstraints());
  } catch (e) {
    const kind = { NotFoundError: 'notFound', OverconstrainedError: 'notFound', NotAllowedError: 'denied',
      SecurityError: 'denied', NotReadableError: 'inUse', AbortError: 'inUse' }[e.name] ?? 'notFound';
    throw new CameraError(kind, e);
  }
  const live = (tracks) => tracks.length > 0 && tracks.every((tr) => tr.readyState === 'live');
  if (!live(stream.getVideoTracks()) || !live(stream.getAudioTracks())) {
    stream.getTracks().forEach((tr) => tr.stop());
    throw new CameraError('notFound');
  }
  return stream;
}

export function stopCamera(stream) {
  if (stream) stream.getTracks().forEach((tr) => tr.stop());
}

const QUALITY_EVERY_MS = 10000;
const RESTART_EVERY_MS = 5000;

/**
 * One call's peer connection. The initiator (the advisor, per call_connected) makes the offer; the
 * other side answers. A side that joins a call in progress again (after reloading the page) offers
 * anew on a fresh connection, and a side that gets an offer of another session (its SDP "o=" line)
 * starts a fresh connection for it: the other side has started over.
 *
 * When the media is lost (ICE disconnected or failed) or the network changes, ICE is restarted on the
 * same connection through the server ("signal" offers of the same session), and the server is told
 * ("media_state"), which ends the call if nothing comes back within its recovery time. Both sides may
 * restart: the expert is the polite side (it rolls its own offer back when offers cross), the advisor
 * the impolite one (it ignores an offer that crosses its own). A side that started over ignores ICE
 * restarts of the old session until the other side has followed it.
 */
export class PeerCall {
  constructor({ conn, callId, initiator, polite, iceConfig, stream, remoteVideo, onState, onFirstFrame, onMedia,
    onPeerState = () => {}, onQuality = () => {} }) {
    Object.assign(this, { conn, callId, initiator, polite, iceConfig, stream, remoteVideo, onState, onFirstFrame, onMedia,
      onPeerState, onQuality });
    this.mine = { mic: true, cam: true };
    this.pc = null;
    this.pendingCandidates = [];
    this.firstFrameSeen = false;
    this.closed = false;
    this.mediaLost = false;
    this.restarts = 0;
  }

  start(offer = this.initiator) {
    this.newConnection();
    if (offer) this.offer();
  }

  newConnection() {
    if (this.pc) this.pc.close();
    const pc = new RTCPeerConnection(this.iceConfig());
    this.pc = pc;
    this.pendingCandidates = [];
    this.stream.getTracks().forEach((tr) => pc.addTrack(tr, this.stream));
    // Whether each side's microphone and camera are on: a disabled track only sends silence and black frames,
    // which the other side could not tell from a broken camera. Negotiated (same id on both sides), so it
    // needs no signalling of its own.
    this.channel = pc.createDataChannel('state', { negotiated: true, id: 0 });
    this.channel.onopen = () => this.sendState();
    this.channel.onmessage = (e) => {
      try {
        const m = JSON.parse(e.data);
        this.onPeerState({ mic: m.mic !== false, cam: m.cam !== false });
      } catch {
        // not ours: ignored
      }
    };
    pc.onicecandidate = (e) => {
      if (pc !== this.pc) return;
      if (e.candidate) {
        const c = e.candidate;
        this.send({ candidate: { candidate: c.candidate, sdpMid: c.sdpMid ?? undefined,
          sdpMLineIndex: c.sdpMLineIndex ?? undefined, usernameFragment: c.usernameFragment ?? undefined } });
      } else {
        this.send({ endOfCandidates: true });
      }
    };
    pc.ontrack = (e) => {
      if (pc !== this.pc) return;
      if (this.remoteVideo.srcObject !== e.streams[0]) this.remoteVideo.srcObject = e.streams[0];
      this.watchFirstFrame(pc);
    };
    pc.onconnectionstatechange = () => {
      if (pc !== this.pc) return;
      this.onState(pc.connectionState);
    };
    pc.oniceconnectionstatechange = () => {
      if (pc !== this.pc || this.closed) return;
      const s = pc.iceConnectionState;
      if (s === 'connected' || s === 'completed') this.media(false);
      else if (s === 'disconnected' || s === 'failed') {
        this.media(true);
        this.restartIce();
      }
    };
  }

  /** Tells the server the media is lost or back, once per change. */
  media(lost) {
    if (lost === this.mediaLost) return;
    this.mediaLost = lost;
    this.onMedia(lost);
    if (lost) this.keepRestarting();
    else {
      clearInterval(this.restartTimer);
      this.restartTimer = null;
    }
    this.conn.request('media_state', { callId: this.callId, state: lost ? 'lost' : 'restored' }).catch(() => {});
  }

  /** While the media stays lost, ICE is tried again every few seconds (the network may come back later). */
  keepRestarting() {
    if (this.restartTimer) return;
    this.restartTimer = setInterval(() => {
      if (this.closed || !this.mediaLost) return;
      this.restartIce();
    }, RESTART_EVERY_MS);
  }

  /**
   * A new ICE session on the same connection, with the freshest ICE servers (TURN credentials): for lost
   * media and for a changed network. An offer already under way is left to finish.
   */
  async restartIce() {
    const pc = this.pc;
    if (this.closed || !pc || pc.signalingState !== 'stable' || !pc.remoteDescription) return;
    this.restarts++;
    pc.setConfiguration(this.iceConfig());
    await this.offer({ iceRestart: true });
  }

  async offer(options = {}) {
    const pc = this.pc;
    this.makingOffer = true;
    try {
      await pc.setLocalDescription(await pc.createOffer(options));
      this.send({ sdp: { type: pc.localDescription.type, sdp: pc.localDescription.sdp } });
    } finally {
      this.makingOffer = false;
    }
  }

  /** A "signal" push for this call. */
  async onSignal(m) {
    if (this.closed) return;
    if (m.sdp) {
      if (m.sdp.type === 'offer' && this.pc.remoteDescription
          && sessionId(m.sdp.sdp) !== sessionId(this.pc.remoteDescription.sdp)) this.newConnection();
      const pc = this.pc;
      if (m.sdp.type === 'offer' && (this.makingOffer || pc.signalingState !== 'stable')) {
        // Offers crossed. A side that started over (no remote description yet) waits for its answer; when
        // both were restarting ICE, the polite side gives its own offer up and the other ignores this one.
        if (!pc.remoteDescription || !this.polite) return;
        await pc.setLocalDescription({ type: 'rollback' });
      }
      if (m.sdp.type === 'answer' && pc.signalingState !== 'have-local-offer') return;
      await pc.setRemoteDescription(m.sdp);
      for (const c of this.pendingCandidates.splice(0)) await pc.addIceCandidate(c).catch(() => {});
      if (m.sdp.type === 'offer') {
        await pc.setLocalDescription(await pc.createAnswer());
        this.send({ sdp: { type: pc.localDescription.type, sdp: pc.localDescription.sdp } });
      }
    } else if (m.candidate) {
      // Candidates may overtake the description they belong to: keep them until it is set.
      if (this.pc.remoteDescription) await this.pc.addIceCandidate(m.candidate).catch(() => {});
      else this.pendingCandidates.push(m.candidate);
    }
  }

  send(fields) {
    this.conn.request('signal', { callId: this.callId, ...fields }).catch(() => {});
  }

  /** The first decoded video frame, read from getStats as the time-to-video metric defines it. */
  watchFirstFrame(pc) {
    if (this.firstFrameSeen || this.frameTimer) return;
    this.frameTimer = setInterval(async () => {
      if (pc !== this.pc || this.closed) {
        clearInterval(this.frameTimer);
        this.frameTimer = null;
        return;
      }
      if ((await framesDecoded(pc)) > 0 && !this.firstFrameSeen) {
        this.firstFrameSeen = true;
        clearInterval(this.frameTimer);
        this.frameTimer = null;
        this.onFirstFrame();
        this.reportQuality();
      }
    }, 50);
  }

  /** Every 10 s: what this side receives (round trip, loss, bitrate, frames decoded) as "call_quality". */
  reportQuality() {
    let last = null;
    this.qualityTimer = setInterval(async () => {
      if (this.closed) return;
      const now = await receiveStats(this.pc);
      if (last && now.at > last.at) {
        const ms = Math.round(now.at - last.at);
        const lost = Math.max(0, now.lost - last.lost);
        const got = Math.max(0, now.received - last.received);
        const clamp = (v, max) => Math.min(max, Math.max(0, Math.round(v)));
        const lossPermille = lost + got > 0 ? (1000 * lost) / (lost + got) : 0;
        const fps = ((now.frames - last.frames) * 1000) / ms;
        this.onQuality(qualityLevel(now.rttMs, lossPermille, fps));
        this.conn.request('call_quality', {
          callId: this.callId, intervalMs: clamp(ms, 120000), rttMs: clamp(now.rttMs, 60000),
          lossPermille: clamp(lost + got > 0 ? (1000 * lost) / (lost + got) : 0, 1000),
          bitrateKbps: clamp(((now.bytes - last.bytes) * 8) / ms, 100000),
          framesDecoded: clamp(now.frames - last.frames, Math.floor((Math.min(ms, 120000) * 120) / 1000)),
        }).catch(() => {});
      }
      last = now;
    }, QUALITY_EVERY_MS);
  }

  setMicrophone(on) {
    this.stream.getAudioTracks().forEach((tr) => { tr.enabled = on; });
    this.mine.mic = on;
    this.sendState();
  }

  setCamera(on) {
    this.stream.getVideoTracks().forEach((tr) => { tr.enabled = on; });
    this.mine.cam = on;
    this.sendState();
  }

  sendState() {
    if (this.channel?.readyState === 'open') this.channel.send(JSON.stringify(this.mine));
  }

  close() {
    this.closed = true;
    if (this.frameTimer) clearInterval(this.frameTimer);
    clearInterval(this.qualityTimer);
    clearInterval(this.restartTimer);
    if (this.pc) this.pc.close();
    this.remoteVideo.srcObject = null;
  }
}

/**
 * 'good', 'fair' or 'poor' for the call view's indicator. Poor is the server's own line (CallQuality.poor:
 * round trip 400 ms, loss 5 %, under 10 frames a second); fair is half way there.
 */
export function qualityLevel(rttMs, lossPermille, fps) {
  if (rttMs >= 400 || lossPermille >= 50 || fps < 10) return 'poor';
  if (rttMs >= 200 || lossPermille >= 20 || fps < 20) return 'fair';
  return 'good';
}

/** The session id of an SDP's "o=" line: the same for every description of one peer connection. */
function sessionId(sdp) {
  const m = /^o=\S+ (\d+) /m.exec(sdp ?? '');
  return m ? m[1] : null;
}

/** Totals of what a connection received so far, and its round trip now. */
async function receiveStats(pc) {
  const out = { at: performance.now(), lost: 0, received: 0, bytes: 0, frames: 0, rttMs: 0 };
  const stats = await pc.getStats();
  let pairId = null;
  stats.forEach((r) => {
    if (r.type === 'transport' && r.selectedCandidatePairId) pairId = r.selectedCandidatePairId;
  });
  stats.forEach((r) => {
    if (r.type === 'inbound-rtp') {
      out.lost += r.packetsLost ?? 0;
      out.received += r.packetsReceived ?? 0;
      out.bytes += r.bytesReceived ?? 0;
      if (r.kind === 'video') out.frames += r.framesDecoded ?? 0;
    } else if (r.type === 'candidate-pair' && r.id === pairId) {
      out.rttMs = (r.currentRoundTripTime ?? 0) * 1000;
    }
  });
  return out;
}

/** Video frames decoded so far on a connection. */
export async function framesDecoded(pc) {
  let frames = 0;
  (await pc.getStats()).forEach((r) => {
    if (r.type === 'inbound-rtp' && r.kind === 'video') frames += r.framesDecoded ?? 0;
  });
  return frames;
}

/**
 * The full-screen call view, the same for advisor and expert: the other party's video (or a placeholder
 * when their camera is off), your own in a corner, what the call is about, the call's time, connection
 * and quality, microphone and camera toggles, full screen and hang up. While it is open the keyboard stays
 * in it: what lies under it (the header, its links) is inert.
 */
export class CallView {
  constructor({ conn, onHangup }) {
    this.conn = conn;
    this.onHangup = onHangup;
    this.call = null;
    this.startedAt = 0;
    this.connStatus = 'online';
    this.build();
    onLanguageChange(() => this.renderStatus());
    conn.addEventListener('push', (e) => {
      if (e.detail.type === 'signal') this.onSignal(e.detail);
    });
    // The server connection's state belongs in the call too: the header is under the call.
    conn.addEventListener('status', (e) => {
      this.connStatus = e.detail;
      this.renderStatus();
    });
    // A laptop that moved to another network: its old ICE candidates are gone, so ICE starts anew.
    conn.addEventListener('welcome', (e) => {
      if (e.detail.resumed) this.call?.restartIce();
    });
    window.addEventListener('online', () => this.call?.restartIce());
    navigator.connection?.addEventListener?.('change', () => this.call?.restartIce());
    window.palvelurinki.peer = () => this.call?.pc ?? null; // for diagnostics (and the browser tests)
    window.palvelurinki.call = () => this.call;
  }

  build() {
    this.remote = el('video', { id: 'remote-video', autoplay: true, playsinline: true, 'data-i18n-label': 'call.remoteVideo' });
    this.local = el('video', { id: 'local-video', autoplay: true, playsinline: true, muted: true, 'data-i18n-label': 'call.localVideo' });
    this.local.muted = true; // the attribute alone does not mute a stream set from script
    this.placeholder = el('p', { id: 'remote-placeholder', class: 'placeholder', hidden: true });
    this.micBadge = el('p', { id: 'remote-muted', class: 'badge', hidden: true });
    this.title = el('h1', { id: 'call-title' });
    this.statusLine = el('p', { id: 'call-status', role: 'status' });
    this.timer = el('p', { id: 'call-timer', class: 'timer' });
    this.quality = el('p', { id: 'call-quality', class: 'quality' });
    this.context = el('dl', { id: 'call-context', class: 'call-context' });
    // The buttons say what they will do ("Mute microphone" / "Unmute microphone").
    this.mic = el('button', { id: 'toggle-mic', type: 'button', onclick: () => this.toggleMic() });
    this.cam = el('button', { id: 'toggle-camera', type: 'button', onclick: () => this.toggleCamera() });
    const full = el('button', { id: 'fullscreen', type: 'button', 'data-i18n': 'call.fullscreen',
      onclick: () => this.section.requestFullscreen?.().catch(() => {}) });
    this.hangupButton = el('button', { id: 'hangup', type: 'button', class: 'danger', 'data-i18n': 'call.hangup',
      onclick: () => this.onHangup() });
    this.section = el('section', { id: 'call', class: 'view call', hidden: true, 'aria-labelledby': 'call-title' },
      this.remote, this.placeholder, this.micBadge, this.local,
      el('div', { class: 'call-bar' },
        el('div', { class: 'call-info' }, this.title, this.statusLine,
          el('div', { class: 'call-meta' }, this.timer, this.quality), this.context),
        el('div', { class: 'call-controls' }, this.mic, this.cam, full, this.hangupButton)));
    this.section.addEventListener('keydown', (e) => this.keepFocus(e));
    $('main').append(this.section);
    translate(this.section);
  }

  /** Tab from the last control goes to the first and Shift+Tab from the first to the last. */
  keepFocus(e) {
    if (e.key !== 'Tab') return;
    const controls = [...this.section.querySelectorAll('button, [href], input, select, textarea, [tabindex]:not([tabindex="-1"])')]
      .filter((c) => !c.disabled && !c.hidden && c.offsetParent !== null);
    if (controls.length === 0) return;
    const first = controls[0];
    const last = controls[controls.length - 1];
    if (e.shiftKey && document.activeElement === first) {
      e.preventDefault();
      last.focus();
    } else if (!e.shiftKey && document.activeElement === last) {
      e.preventDefault();
      first.focus();
    } else if (!this.section.contains(document.activeElement)) {
      e.preventDefault();
      first.focus();
    }
  }

  /** Everything outside the call view is taken out of reach (and of the accessibility tree) while it is open. */
  setOutsideInert(inert) {
    for (const node of document.body.children) {
      if (node.tagName === 'SCRIPT' || node.contains(this.section)) continue;
      node.inert = inert;
    }
    for (const node of $('main').children) {
      if (node !== this.section) node.inert = inert;
    }
  }

  /**
   * Shows the view and opens the peer connection for a call: callId and initiator as call_connected
   * says, startedAt the click the time to video is measured from (reported unless report is false).
   * context: what the call is about, [{key, value}] with value a function giving the text in the page's
   * language, shown for the whole call.
   */
  open({ callId, initiator, otherName, stream, startedAt, report = true, context = [] }) {
    this.close();
    this.startedAt = startedAt;
    this.connectedAt = performance.now();
    this.micOn = true;
    this.camOn = true;
    this.peer = { mic: true, cam: true };
    this.qualityLevel = null;
    this.state = 'new';
    this.videoMs = null;
    this.otherName = otherName;
    this.contextItems = context;
    this.local.srcObject = stream;
    applySpeaker(this.remote);
    this.call = new PeerCall({
      conn: this.conn, callId, initiator, polite: this.conn.welcome.role === 'expert',
      iceConfig: () => ({ iceServers: this.conn.iceServers(), iceTransportPolicy: this.conn.welcome.iceTransportPolicy ?? 'all' }),
      stream, remoteVideo: this.remote,
      onState: (s) => {
        this.state = s;
        this.section.dataset.connectionState = s;
        this.renderStatus();
      },
      onMedia: (lost) => {
        this.section.dataset.mediaLost = lost;
        this.renderStatus();
      },
      onFirstFrame: () => {
        this.videoMs = Math.round(performance.now() - this.startedAt);
        this.section.dataset.videoMs = this.videoMs;
        this.renderStatus();
        if (report) this.conn.request('media_report', { callId, timeToVideoMs: this.videoMs }).catch(() => {});
      },
      onPeerState: (peer) => {
        this.peer = peer;
        this.renderStatus();
      },
      onQuality: (level) => {
        this.qualityLevel = level;
        this.renderStatus();
      },
    });
    this.section.dataset.callId = callId;
    this.section.dataset.connectionState = 'new';
    delete this.section.dataset.videoMs;
    this.renderStatus();
    showView('call', false);
    this.setOutsideInert(true);
    this.tick = setInterval(() => this.renderTimer(), 1000);
    this.call.start();
    this.hangupButton.focus();
  }

  /**
   * Rejoins a call in progress after the page was reloaded: a fresh connection, offered to the other
   * side. Its video is no "time to video" of the call: nothing is reported.
   */
  rejoin(args) {
    this.open({ ...args, initiator: true, startedAt: performance.now(), report: false });
  }

  /** A "signal" push: for the call on this view, or for none that is still going. */
  onSignal(m) {
    if (this.call && m.callId === this.call.callId) this.call.onSignal(m);
  }

  renderTimer() {
    if (!this.call) return;
    const s = Math.max(0, Math.floor((performance.now() - this.connectedAt) / 1000));
    const mmss = `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
    this.timer.textContent = t('call.timer', { time: mmss });
    this.timer.dataset.seconds = s;
  }

  renderStatus() {
    this.title.textContent = t('call.with', { name: this.otherName ?? '' });
    let text = t('call.connecting');
    let problem = false;
    if (this.connStatus !== 'online') {
      text = t('call.serverLost');
      problem = true;
    } else if (this.call?.mediaLost || this.state === 'failed') {
      text = t('call.reconnecting');
      problem = true;
    } else if (this.videoMs !== null && this.videoMs !== undefined) {
      text = `${t('call.connected')} · ${t('call.videoIn', { seconds: decimal(this.videoMs / 1000, 1) })}`;
    } else if (this.state === 'connected') text = t('call.connected');
    this.statusLine.textContent = text;
    this.statusLine.classList.toggle('problem', problem);
    this.quality.textContent = this.qualityLevel ? t('call.quality', { level: t(`call.quality.${this.qualityLevel}`) }) : '';
    if (this.qualityLevel) this.quality.dataset.level = this.qualityLevel;
    this.mic.textContent = t(this.micOn === false ? 'call.unmute' : 'call.mute');
    this.cam.textContent = t(this.camOn === false ? 'call.cameraOn' : 'call.cameraOff');
    const peer = this.peer ?? { mic: true, cam: true };
    this.placeholder.hidden = peer.cam;
    this.placeholder.textContent = t('call.peerCameraOff', { name: this.otherName || t('call.otherParty') });
    this.remote.classList.toggle('off', !peer.cam);
    this.micBadge.hidden = peer.mic;
    this.micBadge.textContent = t('call.peerMuted');
    this.section.dataset.peerCam = String(peer.cam);
    this.section.dataset.peerMic = String(peer.mic);
    this.context.replaceChildren(...(this.contextItems ?? []).filter((c) => c.value())
      .flatMap((c) => [el('dt', {}, t(c.key)), el('dd', { 'data-key': c.key }, c.value())]));
    this.renderTimer();
  }

  toggleMic() {
    this.micOn = !this.micOn;
    this.call?.setMicrophone(this.micOn);
    this.renderStatus();
  }

  toggleCamera() {
    this.camOn = !this.camOn;
    this.call?.setCamera(this.camOn);
    this.renderStatus();
  }

  callId() {
    return this.call ? this.call.callId : null;
  }

  close() {
    if (this.call) this.call.close();
    const wasOpen = this.call !== null;
    this.call = null;
    clearInterval(this.tick);
    this.local.srcObject = null;
    if (wasOpen) this.setOutsideInert(false);
    if (document.fullscreenElement) document.exitFullscreen().catch(() => {});
  }
}
