#!/usr/bin/env python3
# Makes the expert page's ring tone (pages/assets/sounds/ring.wav). Generated here rather than taken from a
# sound library, so that it carries no third-party licence: two soft 0.4 s chirps of a 480 + 620 Hz chord
# with short fades (no clicks), then silence; 8 kHz 16-bit mono, looping every 2 s.
import math
import struct
import sys
import wave

RATE = 8000
frames = []


def tone(seconds):
    n = int(RATE * seconds)
    for i in range(n):
        t = i / RATE
        envelope = min(1, i / (0.02 * RATE), (n - i) / (0.04 * RATE))
        v = 0.35 * envelope * (math.sin(2 * math.pi * 480 * t) + math.sin(2 * math.pi * 620 * t)) / 2
        frames.append(int(v * 32767))


def silence(seconds):
    frames.extend([0] * int(RATE * seconds))


tone(0.4)
silence(0.15)
tone(0.4)
silence(1.05)
out = sys.argv[1] if len(sys.argv) > 1 else 'signaling/src/main/resources/pages/assets/sounds/ring.wav'
with wave.open(out, 'wb') as w:
    w.setnchannels(1)
    w.setsampwidth(2)
    w.setframerate(RATE)
    w.writeframes(b''.join(struct.pack('<h', f) for f in frames))
