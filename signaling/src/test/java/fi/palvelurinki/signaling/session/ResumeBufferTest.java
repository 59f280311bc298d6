package fi.palvelurinki.signaling.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The ring a session keeps for a resume: what it hands back after a {@code lastSeq}, and what it lets go. */
class ResumeBufferTest {

    private static byte[] msg(long seq, int length) {
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) {
            b[i] = (byte) ('a' + (seq + i) % 26);
        }
        return b;
    }

    private static List<String> after(ResumeBuffer r, long lastSeq) {
        List<String> out = new ArrayList<>();
        r.forEachAfter(lastSeq, b -> out.add(new String(b, StandardCharsets.US_ASCII)));
        return out;
    }

    @Test
    void handsBackEveryMessageAfterLastSeqInOrderAcrossTheRingsEnd() {
        ResumeBuffer r = new ResumeBuffer(512);
        List<String> sent = new ArrayList<>();
        // Sizes that do not divide the ring, acknowledged as a client's pings would: records wrap around its end.
        for (long seq = 1; seq <= 2_000; seq++) {
            byte[] m = msg(seq, (int) (37 + seq * 7919 % 700));
            r.add(seq, m);
            sent.add(new String(m, StandardCharsets.US_ASCII));
            if (seq % 50 == 0) {
                long acked = seq - 20;
                r.acknowledge(acked);
                assertThat(r.firstSeq()).isEqualTo(acked + 1);
                assertThat(after(r, acked)).containsExactlyElementsOf(sent.subList((int) acked, (int) seq));
                assertThat(after(r, seq - 3)).containsExactlyElementsOf(sent.subList((int) seq - 3, (int) seq));
            }
        }
    }

    @Test
    void keepsAtMostMaxMessagesDroppingTheOldest() {
        ResumeBuffer r = new ResumeBuffer(16);
        for (long seq = 1; seq <= 40; seq++) {
            r.add(seq, msg(seq, 10));
        }
        assertThat(r.firstSeq()).isEqualTo(25);
        assertThat(after(r, 0)).hasSize(16);
    }

    @Test
    void keepsAtMostMaxBytesDroppingTheOldest() {
        ResumeBuffer r = new ResumeBuffer(1_000_000);
        int size = 4_500;
        for (long seq = 1; seq <= 200; seq++) {
            r.add(seq, msg(seq, size));
        }
        long kept = ResumeBuffer.MAX_BYTES / (size + 12);
        assertThat(r.firstSeq()).isEqualTo(200 - kept + 1);
        List<String> back = after(r, 0);
        assertThat(back).hasSize((int) kept);
        assertThat(back.get(back.size() - 1)).isEqualTo(new String(msg(200, size), StandardCharsets.US_ASCII));
    }

    @Test
    void aMessageLargerThanTheRingEmptiesIt() {
        ResumeBuffer r = new ResumeBuffer(512);
        r.add(1, msg(1, 100));
        r.add(2, msg(2, ResumeBuffer.MAX_BYTES));
        assertThat(r.isEmpty()).as("a resume from before 2 could not be served: nothing older is kept").isTrue();
        r.add(3, msg(3, 100));
        assertThat(r.firstSeq()).isEqualTo(3);
    }

    @Test
    void everythingAcknowledgedLeavesItEmptyAndUsableAgain() {
        ResumeBuffer r = new ResumeBuffer(512);
        r.add(1, msg(1, 300));
        r.add(2, msg(2, 300));
        r.acknowledge(1);
        assertThat(r.firstSeq()).isEqualTo(2);
        r.acknowledge(2);
        assertThat(r.isEmpty()).isTrue();
        assertThat(r.firstSeq()).isEqualTo(-1);
        assertThat(after(r, 0)).isEmpty();
        r.add(3, msg(3, 5));
        assertThat(after(r, 2)).containsExactly(new String(msg(3, 5), StandardCharsets.US_ASCII));
    }
}
