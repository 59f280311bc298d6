package fi.palvelurinki.signaling.session;

import fi.palvelurinki.signaling.auth.Principal;
import java.nio.charset.StandardCharsets;

/**
 * What a client's session is beyond one WebSocket: its sequence numbers and the messages it was sent,
 * kept so that a dropped connection can resume within the grace period and receive what it missed.
 * Thread-safe: the broker thread pushes, Jetty threads reply.
 */
public final class ClientSession {
    private final String resumeToken;
    private final Principal principal;
    private final ResumeBuffer sent;
    private long nextSeq = 1;
    private Connection connection;
    private volatile boolean watchingRings;

    ClientSession(String resumeToken, Principal principal, int bufferLimit) {
        this.resumeToken = resumeToken;
        this.principal = principal;
        this.sent = new ResumeBuffer(bufferLimit);
    }

    public String resumeToken() {
        return resumeToken;
    }

    public Principal principal() {
        return principal;
    }

    String userKey() {
        return SessionRegistry.userKey(principal.role(), principal.user());
    }

    boolean watchingRings() {
        return watchingRings;
    }

    void watchRings() {
        watchingRings = true;
    }

    /**
     * Numbers a message and sends it (or keeps it for a resume, when detached). {@code body} is a JSON
     * object without {@code seq}; the sequence number is put first.
     *
     * @return the message's sequence number
     */
    public long send(String body) {
        return sendNumbered(seq -> numbered(seq, body).getBytes(StandardCharsets.UTF_8));
    }

    /** {@code body} with {@code "seq":seq} put first, in one copy. */
    public static String numbered(long seq, String body) {
        return new StringBuilder(body.length() + 28).append("{\"seq\":").append(seq).append(',')
                .append(body, 1, body.length()).toString();
    }

    /**
     * As {@link #send}, the message's frame (its text as UTF-8) built by {@code utf8} from its sequence number.
     *
     * @return the message's sequence number
     */
    public synchronized long sendNumbered(java.util.function.LongFunction<byte[]> utf8) {
        long seq = nextSeq++;
        byte[] t = utf8.apply(seq);
        sent.add(seq, t);
        if (connection != null) {
            connection.sendUtf8(t);
        }
        return seq;
    }

    /**
     * Forgets the messages up to {@code lastSeq}, which the client says it has: without this the buffer
     * stays full at its limit for every session, and kept SDPs outlive young collections.
     *
     * @return false, forgetting nothing, when {@code lastSeq} was never sent
     */
    synchronized boolean acknowledge(long lastSeq) {
        if (lastSeq >= nextSeq) {
            return false;
        }
        sent.acknowledge(lastSeq);
        return true;
    }

    /**
     * Attaches a connection and sends it what came after {@code lastSeq}. Fails (attaching nothing) when
     * some of those messages are no longer kept.
     */
    synchronized boolean resume(Connection c, long lastSeq) {
        if (lastSeq >= nextSeq) {
            return false;
        }
        long firstKept = sent.isEmpty() ? nextSeq : sent.firstSeq();
        if (lastSeq + 1 < firstKept) {
            return false;
        }
        if (connection != null && connection != c) {
            connection.replaced();
        }
        connection = c;
        sent.forEachAfter(lastSeq, c::sendUtf8);
        return true;
    }

    synchronized void attach(Connection c) {
        connection = c;
    }

    /** @return whether {@code c} was this session's connection */
    synchronized boolean detach(Connection c) {
        if (connection != c) {
            return false;
        }
        connection = null;
        return true;
    }

    /** The user opened a new session elsewhere that replaces this one: its connection is closed with 4409. */
    void takenOver() {
        Connection c;
        synchronized (this) {
            c = connection;
            connection = null;
        }
        if (c != null) {
            c.close(TAKEN_OVER, "taken over by another device");
        }
    }

    /** The close code of a connection whose session another device took over. */
    static final int TAKEN_OVER = 4409;

    synchronized boolean attached() {
        return connection != null;
    }
}
