package fi.palvelurinki.loadtest.jmh;

import fi.palvelurinki.loadtest.Payloads;
import fi.palvelurinki.signaling.protocol.ClientMessage;
import fi.palvelurinki.signaling.protocol.ProtocolCodec;
import java.util.concurrent.TimeUnit;
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
 * What the server does to a {@code signal} between Jetty's text and Jetty's send: read it, check it, and build
 * the numbered push the other party gets. {@code fastPath} is the relay's path (the envelope read with the
 * streaming parser, the payload copied as sent); {@code strictPath} is the strict reader the relay used for
 * every signal before (a tree, the payload re-encoded from it), which still reads every other message and
 * every signal the fast path leaves. The messages are the load test's (an SDP of 4,500 bytes, an ICE candidate).
 *
 * <pre>java -cp app/target/palvelurinki.jar org.openjdk.jmh.Main RelayCodecBenchmark -prof gc</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class RelayCodecBenchmark {
    @Param({"sdp", "candidate"})
    public String message;

    private String text;
    private long seq;

    @Setup
    public void setUp() {
        Payloads p = new Payloads(4500, 1);
        text = message.equals("sdp") ? p.sdp("r1", 17, "offer") : p.candidate("r2", 17, 3);
        ClientMessage.Signal fast = (ClientMessage.Signal) ProtocolCodec.parse(text);
        ClientMessage.Signal strict = (ClientMessage.Signal) ProtocolCodec.parseTree(text);
        if (fast.sdpLength() != strict.sdpLength() || fast.part() != strict.part()) {
            throw new IllegalStateException("the two paths disagree on " + message);
        }
    }

    @Benchmark
    public byte[] fastPath() {
        ClientMessage.Signal s = (ClientMessage.Signal) ProtocolCodec.parse(text);
        return s.push(++seq, "advisor", "\"advisor:anna\"");
    }

    @Benchmark
    public byte[] strictPath() {
        ClientMessage.Signal s = (ClientMessage.Signal) ProtocolCodec.parseTree(text);
        return s.push(++seq, "advisor", "\"advisor:anna\"");
    }
}
