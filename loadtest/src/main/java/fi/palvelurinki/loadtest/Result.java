package fi.palvelurinki.loadtest;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * The figures of one run. {@link #line()} is the machine-readable last line:
 * {@code RESULT scenario=… click_to_ring_p50_ms=… click_to_ring_p99_ms=… relay_p99_ms=…
 * baseline_relay_p99_ms=… relay_ratio_p99=… sessions=… heap_per_session_kb=… errors=…} followed by further
 * figures; a figure the scenario does not measure is {@code -}.
 */
public record Result(String scenario, Map<String, String> fields, long errors) {

    public String line() {
        StringBuilder b = new StringBuilder("RESULT scenario=").append(scenario);
        fields.forEach((k, v) -> b.append(' ').append(k).append('=').append(v));
        return b.toString();
    }

    static String num(double v) {
        return Double.isNaN(v) || Double.isInfinite(v) ? "-" : String.format(Locale.ROOT, "%.2f", v);
    }

    /** Collects the figures as the phases finish. */
    static final class Builder {
        private final String scenario;
        private final Map<String, String> f = new LinkedHashMap<>();
        private long errors;
        private final Map<String, String> extra = new LinkedHashMap<>();

        Builder(String scenario) {
            this.scenario = scenario;
            for (String k : new String[] {"click_to_ring_p50_ms", "click_to_ring_p99_ms", "relay_p99_ms",
                    "baseline_relay_p99_ms", "relay_ratio_p99", "sessions", "heap_per_session_kb", "errors"}) {
                f.put(k, "-");
            }
        }

        Builder sessions(int n) {
            f.put("sessions", Integer.toString(n));
            return this;
        }

        Builder heapPerSessionKb(double kb) {
            f.put("heap_per_session_kb", num(kb));
            return this;
        }

        void heldHeapPerSessionKb(double kb) {
            extra.put("heap_per_session_after_hold_kb", num(kb));
        }

        private double baselineSmallP50 = Double.NaN;

        void relay(double benchCeiling, double bareCeiling, double rate, Histogram bench, Histogram benchSmall,
                Histogram bare, Histogram ws) {
            double wsP99 = Stats.ms(ws, 99);
            double benchP99 = Stats.ms(bench, 99);
            f.put("relay_p99_ms", num(wsP99));
            f.put("baseline_relay_p99_ms", num(benchP99));
            f.put("relay_ratio_p99", num(wsP99 / benchP99));
            baselineSmallP50 = Stats.ms(benchSmall, 50);
            extra.put("relay_rate_msg_s", num(rate));
            extra.put("relay_ceiling_msg_s", num(benchCeiling));
            extra.put("bare_ceiling_msg_s", num(bareCeiling));
            // The server's relay against the bare Netty relay on the same CPU, in the same run (issue 20's target).
            extra.put("relay_ceiling_ratio", Double.isNaN(bareCeiling) || bareCeiling <= 0 ? "-"
                    : String.format(java.util.Locale.ROOT, "%.3f", benchCeiling / bareCeiling));
            extra.put("relay_p50_ms", num(Stats.ms(ws, 50)));
            extra.put("baseline_relay_p50_ms", num(Stats.ms(bench, 50)));
            extra.put("baseline_one_hop_p50_ms", num(baselineSmallP50));
            extra.put("bare_relay_p99_ms", bare == null ? "-" : num(Stats.ms(bare, 99)));
        }

        void calls(Histogram clickToRing, Histogram availableToOffer, Histogram acceptToConnected, Histogram relayInCalls,
                double messagesPerSecond) {
            f.put("click_to_ring_p50_ms", num(Stats.ms(clickToRing, 50)));
            f.put("click_to_ring_p99_ms", num(Stats.ms(clickToRing, 99)));
            extra.put("click_to_ring_ratio_p50", num(Stats.ms(clickToRing, 50) / baselineSmallP50));
            extra.put("click_to_ring_max_ms", num(Stats.maxMs(clickToRing)));
            extra.put("ready_to_offer_p50_ms", num(Stats.ms(availableToOffer, 50)));
            extra.put("ready_to_offer_p99_ms", num(Stats.ms(availableToOffer, 99)));
            extra.put("accept_to_connected_p99_ms", num(Stats.ms(acceptToConnected, 99)));
            extra.put("call_relay_p99_ms", num(Stats.ms(relayInCalls, 99)));
            extra.put("msgs_per_s", num(messagesPerSecond));
        }

        void storm(int clients, long lost, Histogram resume) {
            extra.put("storm_clients", Integer.toString(clients));
            extra.put("lost_requests", Long.toString(lost));
            extra.put("resume_p50_ms", num(Stats.ms(resume, 50)));
            extra.put("resume_p99_ms", num(Stats.ms(resume, 99)));
        }

        void bookings(Histogram booking) {
            extra.put("booking_p99_ms", num(Stats.ms(booking, 99)));
        }

        void restart(double recoveryMs, double recoveryP50Ms, double restartMs, double firstAckMs, int back, int clients,
                long callsAfter, Ledger.Outcome o) {
            extra.put("recovery_ms", num(recoveryMs));
            extra.put("lost_acknowledged", Integer.toString(o.lost()));
            extra.put("recovery_p50_ms", num(recoveryP50Ms));
            extra.put("restart_ms", num(restartMs));
            extra.put("first_ack_ms", num(firstAckMs));
            clientsBackAndAcknowledged(back, clients, o);
            extra.put("calls_after_restart", Long.toString(callsAfter));
        }

        /**
         * The failover scenario's figures: the issue's {@code failover_ms}, {@code lost_acknowledged} and
         * {@code calls_survived} first, then the rest as the restart scenario has them.
         */
        void failover(double failoverMs, long survived, int connectedAtKill, double recoveryMs, double recoveryP50Ms,
                double takeoverMs, double firstAckMs, int back, int clients, long callsAfter, Ledger.Outcome o) {
            extra.put("failover_ms", num(failoverMs));
            extra.put("lost_acknowledged", Integer.toString(o.lost()));
            extra.put("calls_survived", Long.toString(survived));
            extra.put("calls_at_kill", Integer.toString(connectedAtKill));
            extra.put("takeover_ms", num(takeoverMs));
            extra.put("recovery_ms", num(recoveryMs));
            extra.put("recovery_p50_ms", num(recoveryP50Ms));
            extra.put("first_ack_ms", num(firstAckMs));
            clientsBackAndAcknowledged(back, clients, o);
            extra.put("calls_after_failover", Long.toString(callsAfter));
        }

        /** Who came back after a kill, and what the killed server had acknowledged (restart and failover alike). */
        private void clientsBackAndAcknowledged(int back, int clients, Ledger.Outcome o) {
            extra.put("clients_back", Integer.toString(back));
            extra.put("clients", Integer.toString(clients));
            extra.put("acked_requests", Integer.toString(o.requests()));
            extra.put("acked_open_requests", Integer.toString(o.openAtKill()));
            extra.put("acked_calls", Integer.toString(o.calls()));
            extra.put("acked_bookings", Integer.toString(o.bookings()));
        }

        /** Calls connected when the server was killed that went on and ended by a hang-up, of those connected. */
        void callsSurvived(long survived, int connectedAtKill) {
            extra.put("calls_survived", Long.toString(survived));
            extra.put("calls_at_kill", Integer.toString(connectedAtKill));
        }

        void messages(long sent, long received) {
            extra.put("messages_total", Long.toString(sent + received));
        }

        void errors(long n) {
            errors = n;
            f.put("errors", Long.toString(n));
        }

        Result build() {
            Map<String, String> all = new LinkedHashMap<>(f);
            all.putAll(extra);
            return new Result(scenario, all, errors);
        }
    }
}
