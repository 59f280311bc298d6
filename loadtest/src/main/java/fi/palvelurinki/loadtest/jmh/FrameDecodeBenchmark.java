package fi.palvelurinki.loadtest.jmh;

import fi.palvelurinki.loadtest.Payloads;
import fi.palvelurinki.signaling.ws.TextFrameHandler;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.util.Utf8StringBuilder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A text frame's payload to the message string, as the relay receives each signal: {@code jettyApi} is what
 * Jetty's API layer did for {@code Session.Listener.onWebSocketText} ({@code Utf8StringBuilder}, the decoder of
 * its {@code StringMessageSink}, byte by byte), {@code frameHandler} what {@code TextFrameHandler} does now (the
 * payload copied out of Jetty's direct buffer and decoded by the JDK, with the strict check only when U+FFFD
 * appears). The payloads are the load test's: an SDP message of 4,500 bytes and an ICE candidate.
 *
 * <pre>java -cp app/target/palvelurinki.jar org.openjdk.jmh.Main FrameDecodeBenchmark -prof gc</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class FrameDecodeBenchmark {
    @Param({"sdp", "candidate"})
    public String message;

    private ByteBuffer payload;
    private byte[] scratch;
    /** Kept across messages, as the sink keeps it (take… resets it). */
    private final Utf8StringBuilder jetty = new Utf8StringBuilder();

    @Setup
    public void setUp() {
        Payloads p = new Payloads(4500, 1);
        String text = message.equals("sdp") ? p.sdp("r1", 17, "offer") : p.candidate("r2", 17, 3);
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        // Jetty reads the network into direct buffers; the frame's payload is a slice of one.
        payload = ByteBuffer.allocateDirect(utf8.length).put(utf8).flip();
        scratch = new byte[65536];
    }

    @Benchmark
    public String jettyApi() {
        jetty.append(payload.duplicate());
        return jetty.takeCompleteString(IllegalStateException::new);
    }

    @Benchmark
    public String frameHandler() {
        int n = payload.remaining();
        payload.get(payload.position(), scratch, 0, n);
        return TextFrameHandler.decode(scratch, 0, n);
    }
}
