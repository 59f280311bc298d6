package fi.palvelurinki.media.bridge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Colibri2 JSON written by Jitsi, under {@code src/test/resources/colibri2/}, used as test data (Apache License
 * 2.0, Copyright 8x8, Inc.):
 * <ul>
 *   <li>{@code jvb-create-response.json}: the answer to a conference create in jitsi-videobridge's
 *       {@code doc/rest-colibri2.md} (the bridge's own description of its REST API);</li>
 *   <li>{@code conference-modified-transport.json}, {@code update-endpoint-request.json},
 *       {@code expire-conference-request.json}, {@code create-conference-request.json}: the JSON side of the
 *       mappings "Conference-modified with transport for an endpoint and feedback sources", "Update endpoint with
 *       transport and sources", "Expire conference" and "Something that should be exercising all the fields" in
 *       jitsi-xmpp-extensions' {@code Colibri2JSONSerializerTest.kt}, which that project checks against its
 *       serializer, its deserializer and the XML form.</li>
 * </ul>
 */
final class JitsiFixtures {
    static final ObjectMapper JSON = new ObjectMapper();

    private JitsiFixtures() {
    }

    static String text(String name) {
        try (InputStream in = JitsiFixtures.class.getResourceAsStream("/colibri2/" + name)) {
            if (in == null) {
                throw new IllegalStateException("no fixture colibri2/" + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ObjectNode object(String name) {
        return (ObjectNode) tree(text(name));
    }

    static JsonNode tree(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
