package fi.palvelurinki.broker.journal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Strings are written as they always were: a big-endian length, then the JDK's UTF-8 bytes. */
class ByteWriterTest {

    private static byte[] asBefore(String s) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        DataOutputStream data = new DataOutputStream(out);
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        data.writeInt(b.length);
        data.write(b);
        return out.toByteArray();
    }

    @Test
    void writesTheSameBytesForAsciiAndAnythingElse() throws IOException {
        String[] samples = {"", "x17", "point-149-a1", "OFFER_MADE", "Hämeenlinna", "Åland ÄÖ", "日本語", "emoji 😀",
            "unpaired \uD800 surrogate", "a\u007F\u0080b", "\u0000"};
        for (String s : samples) {
            // A small buffer first, so that growing mid-string is covered too.
            ByteWriter w = new ByteWriter(2);
            w.putByte(7);
            w.putString(s);
            w.putByte(9);
            byte[] written = Arrays.copyOf(w.array(), w.position());
            byte[] expected = asBefore(s);
            assertThat(written[0]).isEqualTo((byte) 7);
            assertThat(Arrays.copyOfRange(written, 1, written.length - 1)).as(s).isEqualTo(expected);
            assertThat(written[written.length - 1]).isEqualTo((byte) 9);
        }
        ByteWriter w = new ByteWriter(4);
        w.putString(null);
        assertThat(Arrays.copyOf(w.array(), w.position())).containsExactly(-1, -1, -1, -1);
    }
}
