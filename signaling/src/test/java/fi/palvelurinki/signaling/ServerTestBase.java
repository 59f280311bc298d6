package fi.palvelurinki.signaling;

import com.fasterxml.jackson.databind.node.ObjectNode;
import fi.palvelurinki.signaling.auth.Role;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** A fresh server and data directory for each test. */
abstract class ServerTestBase {
    @TempDir
    Path data;
    ServerFixture f;

    @BeforeEach
    void startServer() throws Exception {
        f = new ServerFixture(data);
    }

    @AfterEach
    void stopServer() {
        f.close();
    }

    /** Both parties of a call in progress. */
    record Call(WsClient advisor, WsClient expert, long requestId, long callId) {}

    /** The expert signs in, the advisor requests a Kela call, the expert accepts. */
    Call connectedCall(String advisor, String expert) throws Exception {
        WsClient e = f.connect(Role.EXPERT, expert);
        CallFlowTest.available(e);
        WsClient a = f.connect(Role.ADVISOR, advisor);
        long id = CallFlowTest.requestCall(a, "kela", "pension", "fi", "").path("requestId").asLong();
        e.awaitType("offer");
        ObjectNode accept = e.msg("accept_offer");
        accept.put("requestId", id);
        e.request(accept);
        return new Call(a, e, id, a.awaitType("call_connected").path("callId").asLong());
    }
}
