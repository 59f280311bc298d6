// Video for a call: the camera, the peer-to-peer WebRTC connection (SDP and trickle ICE relayed by the
// server as "signal" messages), the call view with its controls, and the time to video.
import { $, el, showView } from './page.js';
import { onLanguageChange, t, translate } from './i18n.js';

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
    stream = await navigator.mediaDevices.getUserMedia({
      video: { width: { ideal: 1280 }, height: { ideal: 720 } },
      audio: { echoCancellation: true, noiseSuppression: true },
    });
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

/**
 * One call's peer connection. The initiator (the advisor, per call_connected) makes the offer; the
 * other side answers. A side that joins a call in progress again (after reloading the page) offers
 * anew, and a side that gets an offer while it already has a remote description starts a fresh
 * connection for it: the other side has started over.
 */
export class PeerCall {
  constructor({ conn, callId, initiator, iceServers, stream, remoteVideo, onState, onFirstFrame }) {
    Object.assign(this, { conn, callId, initiator, iceServers, stream, remoteVideo, onState, onFirstFrame });
    this.pc = null;
    this.pendingCandidates = [];
    this.firstFrameSeen = false;
    this.closed = false;
  }

  start(offer = this.initiator) {
    this.newConnection();
    if (offer) this.offer();
  }

  newConnection() {
    if (this.pc) this.pc.close();
    const pc = new RTCPeerConnection({ iceServers: this.iceServers });
    this.pc = pc;
    this.pendingCandidates = [];
    this.stream.getTracks().forEach((tr) => pc.addTrack(tr, this.stream));
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
      if (pc.connectionState === 'failed' && this.initiator && !this.closed) {
        // Start over with a fresh connection; the other side answers an offer on a fresh one too.
        this.start(true);
      }
    };
  }

  async offer() {
    const pc = this.pc;
    await pc.setLocalDescription(await pc.createOffer());
    this.send({ sdp: { type: pc.localDescription.type, sdp: pc.localDescription.sdp } });
  }

  /** A "signal" push for this call. */
  async onSignal(m) {
    if (this.closed) return;
    if (m.sdp) {
      if (m.sdp.type === 'offer' && this.pc.remoteDescription) this.newConnection();
      const pc = this.pc;
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
      }
    }, 50);
  }

  setMicrophone(on) {
    this.stream.getAudioTracks().forEach((tr) => { tr.enabled = on; });
  }

  setCamera(on) {
    this.stream.getVideoTracks().forEach((tr) => { tr.enabled = on; });
  }

  close() {
    this.closed = true;
    if (this.frameTimer) clearInterval(this.frameTimer);
    if (this.pc) this.pc.close();
    this.remoteVideo.srcObject = null;
  }
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
 * The full-screen call view, the same for advisor and expert: the other party's video, your own in
 * a corner, microphone and camera toggles, full screen and hang up.
 */
export class CallView {
  constructor({ conn, onHangup }) {
    this.conn = conn;
    this.onHangup = onHangup;
    this.call = null;
    this.startedAt = 0;
    this.build();
    onLanguageChange(() => this.renderStatus());
    conn.addEventListener('push', (e) => {
      if (e.detail.type === 'signal') this.onSignal(e.detail);
    });
    window.palvelurinki.peer = () => this.call?.pc ?? null; // for diagnostics (and the browser tests)
  }

  build() {
    this.remote = el('video', { id: 'remote-video', autoplay: true, playsinline: true, 'data-i18n-label': 'call.remoteVideo' });
    this.local = el('video', { id: 'local-video', autoplay: true, playsinline: true, muted: true, 'data-i18n-label': 'call.localVideo' });
    this.local.muted = true; // the attribute alone does not mute a stream set from script
    this.title = el('h1', { id: 'call-title' });
    this.statusLine = el('p', { id: 'call-status', role: 'status' });
    // The buttons say what they will do ("Mute microphone" / "Unmute microphone").
    this.mic = el('button', { id: 'toggle-mic', type: 'button', onclick: () => this.toggleMic() });
    this.cam = el('button', { id: 'toggle-camera', type: 'button', onclick: () => this.toggleCamera() });
    const full = el('button', { id: 'fullscreen', type: 'button', 'data-i18n': 'call.fullscreen',
      onclick: () => this.section.requestFullscreen?.().catch(() => {}) });
    this.hangupButton = el('button', { id: 'hangup', type: 'button', class: 'danger', 'data-i18n': 'call.hangup',
      onclick: () => this.onHangup() });
    this.section = el('section', { id: 'call', class: 'view call', hidden: true, 'aria-labelledby': 'call-title' },
      this.remote, this.local,
      el('div', { class: 'call-bar' }, el('div', { class: 'call-info' }, this.title, this.statusLine),
        el('div', { class: 'call-controls' }, this.mic, this.cam, full, this.hangupButton)));
    $('main').append(this.section);
    translate(this.section);
  }

  /**
   * Shows the view and opens the peer connection for a call: callId and initiator as call_connected
   * says, startedAt the click the time to video is measured from (reported unless report is false).
   */
  open({ callId, initiator, otherName, stream, startedAt, report = true }) {
    this.close();
    this.startedAt = startedAt;
    this.micOn = true;
    this.camOn = true;
    this.state = 'new';
    this.videoMs = null;
    this.otherName = otherName;
    this.local.srcObject = stream;
    this.call = new PeerCall({
      conn: this.conn, callId, initiator, iceServers: this.conn.welcome.iceServers, stream, remoteVideo: this.remote,
      onState: (s) => {
        this.state = s;
        this.section.dataset.connectionState = s;
        this.renderStatus();
      },
      onFirstFrame: () => {
        this.videoMs = Math.round(performance.now() - this.startedAt);
        this.section.dataset.videoMs = this.videoMs;
        this.renderStatus();
        if (report) this.conn.request('media_report', { callId, timeToVideoMs: this.videoMs }).catch(() => {});
      },
    });
    this.section.dataset.callId = callId;
    this.section.dataset.connectionState = 'new';
    delete this.section.dataset.videoMs;
    this.renderStatus();
    showView('call', false);
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

  renderStatus() {
    this.title.textContent = t('call.with', { name: this.otherName ?? '' });
    let text = t('call.connecting');
    if (this.state === 'failed') text = t('call.failed');
    else if (this.videoMs !== null && this.videoMs !== undefined) {
      text = `${t('call.connected')} · ${t('call.videoIn', { seconds: (this.videoMs / 1000).toFixed(1) })}`;
    } else if (this.state === 'connected') text = t('call.connected');
    this.statusLine.textContent = text;
    this.mic.textContent = t(this.micOn === false ? 'call.unmute' : 'call.mute');
    this.cam.textContent = t(this.camOn === false ? 'call.cameraOn' : 'call.cameraOff');
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
    this.call = null;
    this.local.srcObject = null;
    if (document.fullscreenElement) document.exitFullscreen().catch(() => {});
  }
}
