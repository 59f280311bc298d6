package fi.palvelurinki.media.bridge;

/**
 * The bridge's answer for one endpoint (one party of the call).
 *
 * @param id        the endpoint id ({@link Colibri2Messages#endpointId(String)} of the party)
 * @param transport the bridge's side of the endpoint's ICE/DTLS transport: present when the endpoint was created
 *                  (or its ICE restarted), null in the answer to an update or an expiry
 * @param expired   the bridge confirmed that it expired the endpoint
 */
record BridgeEndpoint(String id, IceTransport transport, boolean expired) {
    BridgeEndpoint {
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("bridge endpoint without id");
        }
    }
}
