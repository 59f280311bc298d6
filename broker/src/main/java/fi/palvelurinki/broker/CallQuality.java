package fi.palvelurinki.broker;

/**
 * What one party's page measured of a call's incoming media over one reporting interval (WebRTC
 * {@code getStats}). Bounded so that a broken or hostile page cannot record nonsense.
 *
 * @param rttMs         round-trip time of the selected candidate pair, 0-60,000 ms
 * @param lossPermille  packets lost of those expected in the interval, 0-1,000 ‰
 * @param bitrateKbps   bits received per second in the interval, audio and video, 0-100,000 kbit/s
 * @param framesDecoded video frames decoded in the interval, at most 120 per second of it
 * @param intervalMs    the interval, 1-120 s
 */
public record CallQuality(int rttMs, int lossPermille, int bitrateKbps, int framesDecoded, int intervalMs) {
    /** A report is poor at or past any of these (docs/metrics.md). */
    public static final int POOR_RTT_MS = 400;
    public static final int POOR_LOSS_PERMILLE = 50;
    public static final double POOR_FRAMES_PER_SECOND = 10;

    public CallQuality {
        between("rttMs", rttMs, 0, 60_000);
        between("lossPermille", lossPermille, 0, 1000);
        between("bitrateKbps", bitrateKbps, 0, 100_000);
        between("intervalMs", intervalMs, 1000, 120_000);
        between("framesDecoded", framesDecoded, 0, intervalMs * 120 / 1000);
    }

    public double framesPerSecond() {
        return framesDecoded * 1000.0 / intervalMs;
    }

    /** Speech breaks up (delay, loss) or the picture stutters. */
    public boolean poor() {
        return rttMs >= POOR_RTT_MS || lossPermille >= POOR_LOSS_PERMILLE || framesPerSecond() < POOR_FRAMES_PER_SECOND;
    }

    private static void between(String what, int v, int min, int max) {
        if (v < min || v > max) {
            throw BrokerException.invalid(what + " must be " + min + "-" + max + ", got " + v);
        }
    }
}
