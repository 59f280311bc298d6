package fi.palvelurinki.broker.analytics;

import fi.palvelurinki.broker.analytics.Table.Column;
import fi.palvelurinki.broker.analytics.Table.Kind;
import java.time.Duration;
import java.time.format.TextStyle;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/** Every table of the report, built from an analysis; the HTML page and the CSV export show the same ones. */
public final class ReportTables {
    private ReportTables() {}

    private record Col(Column column, Function<FigureRow, Object> value) {}

    public static List<Table> of(JournalAnalysis a) {
        List<Col> queue = queueColumns(a.options().thresholds());
        List<Col> handle = List.of(
                col("calls", "calls", Kind.COUNT, r -> r.handle().calls()),
                col("aht_s", "AHT", Kind.SECONDS, r -> r.handle().aht()),
                col("mean_talk_s", "talk", Kind.SECONDS, r -> r.handle().meanTalk()),
                col("mean_wrap_up_s", "wrap-up", Kind.SECONDS, r -> r.handle().meanWrapUp()));
        List<Col> time = List.of(
                col("signed_in_h", "signed in h", Kind.HOURS, r -> r.time().signedIn()),
                col("mean_signed_in", "experts signed in", Kind.NUMBER, r -> r.time().meanSignedIn()),
                col("idle_h", "idle h", Kind.HOURS, r -> r.time().idle()),
                col("ringing_h", "ringing h", Kind.HOURS, r -> r.time().ringing()),
                col("talk_h", "talk h", Kind.HOURS, r -> r.time().talk()),
                col("wrap_up_h", "wrap-up h", Kind.HOURS, r -> r.time().wrapUp()),
                col("away_h", "away h", Kind.HOURS, r -> r.time().away()),
                col("occupancy", "occupancy", Kind.FRACTION, r -> r.time().occupancy()),
                col("utilization", "utilization", Kind.FRACTION, r -> r.time().utilization()));
        List<Col> offers = List.of(
                col("offers", "offers", Kind.COUNT, r -> r.time().offers()),
                col("accepted", "accepted", Kind.COUNT, r -> r.time().accepted()),
                col("declined", "declined", Kind.COUNT, r -> r.time().declined()),
                col("missed", "missed", Kind.COUNT, r -> r.time().missed()),
                col("withdrawn", "withdrawn", Kind.COUNT, r -> r.time().withdrawn()));
        List<Table> out = new ArrayList<>();
        out.add(figures(a, Dimension.TOTAL, "summary", "All rings", List.of(queue, handle, time, offers)));
        out.add(figures(a, Dimension.RING, "by_ring", "By service ring", List.of(queue, handle, time, offers)));
        out.add(figures(a, Dimension.AUTHORITY, "by_authority", "By authority", List.of(queue, handle, time, offers)));
        out.add(figures(a, Dimension.POINT, "by_point", "By service point", List.of(queue, handle)));
        out.add(figures(a, Dimension.EXPERT, "by_expert", "By expert", List.of(handle, time, offers)));
        out.add(figures(a, Dimension.HOUR_OF_DAY, "by_hour", "By hour of the day", List.of(queue, handle, time, offers)));
        out.add(figures(a, Dimension.DAY, "by_day", "By day", List.of(queue, handle, time, offers)));
        out.add(figures(a, Dimension.MONTH, "by_month", "By month", List.of(queue, handle, time, offers)));
        out.add(bookings(a, Dimension.TOTAL, "bookings", "Bookings"));
        out.add(bookings(a, Dimension.RING, "bookings_by_ring", "Bookings by service ring"));
        out.add(bookings(a, Dimension.AUTHORITY, "bookings_by_authority", "Bookings by authority"));
        out.add(bookings(a, Dimension.POINT, "bookings_by_point", "Bookings by service point"));
        out.add(bookings(a, Dimension.EXPERT, "bookings_by_expert", "Bookings by expert"));
        out.add(bookings(a, Dimension.SERVICE, "bookings_by_service", "Bookings by bookable service"));
        out.add(bookings(a, Dimension.HOUR_OF_DAY, "bookings_by_hour", "Bookings by hour of the slot's start"));
        out.add(bookings(a, Dimension.DAY, "bookings_by_day", "Bookings by day"));
        out.add(bookings(a, Dimension.MONTH, "bookings_by_month", "Bookings by month"));
        out.add(contacts(a));
        out.add(quality(a));
        out.add(outcomes(a));
        out.add(changes(a));
        out.add(callbacks(a));
        out.add(interpreterWaits(a));
        out.add(jointDecisionWaits(a));
        out.add(interpreterUse(a));
        out.add(partyCalls(a));
        out.add(staffing(a));
        out.add(waits(a));
        return List.copyOf(out);
    }

    private static Col col(String name, String heading, Kind kind, Function<FigureRow, Object> value) {
        return new Col(new Column(name, heading, kind), value);
    }

    private static List<Col> queueColumns(List<Duration> thresholds) {
        List<Col> q = new ArrayList<>(List.of(
                col("offered", "offered", Kind.COUNT, r -> r.queue().offered()),
                col("answered", "answered", Kind.COUNT, r -> r.queue().answered()),
                col("abandoned", "abandoned", Kind.COUNT, r -> r.queue().abandoned()),
                col("short_abandoned", "short abandons", Kind.COUNT, r -> r.queue().shortAbandoned()),
                col("overflowed", "overflowed", Kind.COUNT, r -> r.queue().overflowed()),
                col("still_waiting", "still waiting", Kind.COUNT, r -> r.queue().stillWaiting()),
                col("abandonment_rate", "abandon rate", Kind.FRACTION, r -> r.queue().abandonmentRate()),
                col("asa_s", "ASA", Kind.SECONDS, r -> r.queue().asa()),
                col("wait_p50_s", "wait p50", Kind.SECONDS, r -> r.queue().waitP50()),
                col("wait_p90_s", "wait p90", Kind.SECONDS, r -> r.queue().waitP90()),
                col("wait_p99_s", "wait p99", Kind.SECONDS, r -> r.queue().waitP99()),
                col("wait_max_s", "wait max", Kind.SECONDS, r -> r.queue().waitMax())));
        for (int i = 0; i < thresholds.size(); i++) {
            int index = i;
            String t = Formats.seconds(thresholds.get(i));
            q.add(col("sl_" + t + "s", "SL(" + t + " s)", Kind.FRACTION, r -> r.queue().serviceLevels().get(index)));
        }
        q.add(col("mean_time_to_abandon_s", "time to abandon", Kind.SECONDS, r -> r.queue().meanTimeToAbandon()));
        return q;
    }

    private static Table figures(JournalAnalysis a, Dimension d, String name, String title, List<List<Col>> parts) {
        List<Col> cols = new ArrayList<>();
        cols.add(col("key", d == Dimension.TOTAL ? "" : "id", Kind.TEXT, FigureRow::key));
        cols.add(col("name", "", Kind.TEXT, FigureRow::label));
        parts.forEach(cols::addAll);
        List<List<Object>> rows = new ArrayList<>();
        for (FigureRow r : a.rows(d)) {
            List<Object> row = new ArrayList<>(cols.size());
            for (Col c : cols) {
                row.add(c.value().apply(r));
            }
            rows.add(row);
        }
        return new Table(name, title, cols.stream().map(Col::column).toList(), rows);
    }

    private record BookingCol(Column column, Function<BookingRow, Object> value) {}

    private static BookingCol bcol(String name, String heading, Kind kind, Function<BookingRow, Object> value) {
        return new BookingCol(new Column(name, heading, kind), value);
    }

    private static final List<BookingCol> BOOKING_COLUMNS = List.of(
            bcol("bookings", "bookings", Kind.COUNT, BookingRow::bookings),
            bcol("completed", "completed", Kind.COUNT, BookingRow::completed),
            bcol("no_shows_point", "no-shows point", Kind.COUNT, BookingRow::noShowsPoint),
            bcol("no_shows_expert", "no-shows expert", Kind.COUNT, BookingRow::noShowsExpert),
            bcol("no_shows_customer", "no-shows customer (home)", Kind.COUNT, BookingRow::noShowsCustomer),
            bcol("no_show_rate", "no-show rate", Kind.FRACTION, BookingRow::noShowRate),
            bcol("cancelled", "cancelled", Kind.COUNT, BookingRow::cancelled),
            bcol("late_cancelled", "late cancels", Kind.COUNT, BookingRow::lateCancelled),
            bcol("mean_notice_s", "mean notice", Kind.SECONDS, BookingRow::meanNotice),
            bcol("rescheduled", "reschedules", Kind.COUNT, BookingRow::rescheduled),
            bcol("open", "open", Kind.COUNT, BookingRow::open),
            bcol("booked_min", "booked min", Kind.NUMBER, BookingRow::bookedMinutes),
            bcol("used_min", "used min", Kind.NUMBER, BookingRow::usedMinutes),
            bcol("waste_min", "waste min", Kind.NUMBER, BookingRow::wasteMinutes),
            bcol("advisor_late", "late starts point", Kind.COUNT, BookingRow::advisorLate),
            bcol("mean_advisor_late_s", "point late by", Kind.SECONDS, BookingRow::meanAdvisorLate),
            bcol("expert_late", "late starts expert", Kind.COUNT, BookingRow::expertLate),
            bcol("mean_expert_late_s", "expert late by", Kind.SECONDS, BookingRow::meanExpertLate),
            bcol("ended_early", "ended early", Kind.COUNT, BookingRow::endedEarly),
            bcol("freed_min", "freed min", Kind.NUMBER, BookingRow::freedMinutes),
            bcol("backfilled_min", "backfilled min", Kind.NUMBER, BookingRow::backfilledMinutes),
            bcol("backfill_rate", "backfill rate", Kind.FRACTION, BookingRow::backfillRate),
            bcol("at_point", "at a point", Kind.COUNT, BookingRow::atPoint),
            bcol("from_home", "from home", Kind.COUNT, BookingRow::fromHome),
            bcol("customer_late", "late joins customer", Kind.COUNT, BookingRow::customerLate),
            bcol("mean_customer_late_s", "customer late by", Kind.SECONDS, BookingRow::meanCustomerLate),
            bcol("camera_failures", "device check: camera", Kind.COUNT, BookingRow::cameraFailures),
            bcol("microphone_failures", "device check: microphone", Kind.COUNT, BookingRow::microphoneFailures));

    private static Table bookings(JournalAnalysis a, Dimension d, String name, String title) {
        List<BookingCol> cols = new ArrayList<>();
        cols.add(bcol("key", d == Dimension.TOTAL ? "" : "id", Kind.TEXT, BookingRow::key));
        cols.add(bcol("name", "", Kind.TEXT, BookingRow::label));
        cols.addAll(BOOKING_COLUMNS);
        List<List<Object>> rows = new ArrayList<>();
        for (BookingRow r : a.bookings(d)) {
            List<Object> row = new ArrayList<>(cols.size());
            for (BookingCol c : cols) {
                row.add(c.value().apply(r));
            }
            rows.add(row);
        }
        return new Table(name, title, cols.stream().map(BookingCol::column).toList(), rows);
    }

    private static Table contacts(JournalAnalysis a) {
        List<Column> cols = List.of(new Column("authority", "authority id", Kind.TEXT),
                new Column("authority_name", "authority", Kind.TEXT), new Column("point", "point id", Kind.TEXT),
                new Column("point_name", "service point", Kind.TEXT), new Column("municipality", "municipality", Kind.TEXT),
                new Column("month", "month", Kind.TEXT), new Column("offered", "requests", Kind.COUNT),
                new Column("contacts", "contacts (answered)", Kind.COUNT));
        List<List<Object>> rows = new ArrayList<>();
        for (ContactRow c : a.contacts()) {
            rows.add(List.of(c.authorityId(), c.authorityName(), c.pointId(), c.pointName(), c.municipality(), c.month(),
                    c.offered(), c.contacts()));
        }
        return new Table("contacts", "Remote-service contacts per authority, service point and month", cols, rows);
    }

    private static Table quality(JournalAnalysis a) {
        List<Column> cols = List.of(new Column("point", "point id", Kind.TEXT),
                new Column("point_name", "service point", Kind.TEXT), new Column("hour", "hour (Finnish time)", Kind.TEXT),
                new Column("calls", "calls with quality reports", Kind.COUNT),
                new Column("poor_calls", "calls with poor quality", Kind.COUNT),
                new Column("poor_share", "share poor", Kind.FRACTION),
                new Column("mean_rtt_ms", "mean round trip, ms", Kind.NUMBER),
                new Column("mean_loss_pct", "mean packet loss, %", Kind.NUMBER));
        List<List<Object>> rows = new ArrayList<>();
        for (QualityRow q : a.quality()) {
            rows.add(java.util.Arrays.asList(q.pointId(), q.pointName(), q.hour(), q.calls(), q.poorCalls(), q.poorShare(),
                    q.meanRttMs(), q.meanLossPct()));
        }
        return new Table("call_quality", "Call quality per service point and hour of the day (share of calls with poor "
                + "quality)", cols, rows);
    }

    private static Table outcomes(JournalAnalysis a) {
        List<Column> cols = List.of(new Column("by", "by", Kind.TEXT), new Column("key", "id", Kind.TEXT),
                new Column("name", "name", Kind.TEXT), new Column("calls", "calls with an outcome", Kind.COUNT),
                new Column("resolved", "resolved at first contact", Kind.COUNT),
                new Column("fcr", "first-contact resolution", Kind.FRACTION),
                new Column("outcomes", "outcomes", Kind.TEXT));
        List<List<Object>> rows = new ArrayList<>();
        for (OutcomeRow o : a.outcomes()) {
            StringBuilder each = new StringBuilder();
            o.outcomes().entrySet().stream().sorted(java.util.Map.Entry.comparingByKey()).forEach(e -> each
                    .append(each.isEmpty() ? "" : ", ").append(e.getKey()).append(' ').append(e.getValue()));
            rows.add(java.util.Arrays.asList(o.by(), o.key(), o.label(), o.calls(), o.resolved(),
                    o.firstContactResolution(), each.toString()));
        }
        return new Table("first_contact_resolution", "First-contact resolution per ring, topic and service point "
                + "(the experts' recorded outcomes)", cols, rows);
    }

    private static Table changes(JournalAnalysis a) {
        List<Column> cols = List.of(new Column("at", "when (UTC)", Kind.TEXT), new Column("actor", "by", Kind.TEXT),
                new Column("subject", "what", Kind.TEXT), new Column("id", "id", Kind.TEXT),
                new Column("name", "name", Kind.TEXT), new Column("change", "change", Kind.TEXT));
        List<List<Object>> rows = new ArrayList<>();
        for (ChangeRow c : a.changes()) {
            rows.add(List.of(c.at().toString(), c.actor(), c.subject(), c.id(), c.name(), c.what()));
        }
        return new Table("changes", "Changes of rings' settings and experts' rings (operators)", cols, rows);
    }

    private static Table callbacks(JournalAnalysis a) {
        List<Column> cols = List.of(new Column("key", "ring id", Kind.TEXT), new Column("name", "ring", Kind.TEXT),
                new Column("requested", "call-backs", Kind.COUNT), new Column("answered", "answered", Kind.COUNT),
                new Column("answered_1st", "at 1st ring", Kind.COUNT), new Column("answered_2nd", "at 2nd ring", Kind.COUNT),
                new Column("answered_later", "later", Kind.COUNT), new Column("failed", "failed", Kind.COUNT),
                new Column("cancelled", "cancelled", Kind.COUNT),
                new Column("unanswered_rings", "rings not answered", Kind.COUNT),
                new Column("lost_ringing_s", "expert time ringing in vain", Kind.SECONDS),
                new Column("callback_asa_s", "ASA call-backs", Kind.SECONDS),
                new Column("live_asa_s", "ASA live requests", Kind.SECONDS));
        List<List<Object>> rows = new ArrayList<>();
        for (CallbackRow c : a.callbacks()) {
            rows.add(java.util.Arrays.asList(c.key(), c.name(), c.requested(), c.answered(), c.answeredFirst(),
                    c.answeredSecond(), c.answeredLater(), c.failed(), c.cancelled(), c.unansweredRings(), c.lostRinging(),
                    c.callbackAsa(), c.liveAsa()));
        }
        return new Table("callbacks", "Call-backs per ring: on which ring the point answered, failures, expert time "
                + "lost ringing, and waits against live requests", cols, rows);
    }

    private static Table interpreterWaits(JournalAnalysis a) {
        List<Column> cols = List.of(new Column("key", "language pair", Kind.TEXT),
                new Column("service_language", "service language", Kind.TEXT),
                new Column("language", "interpreted", Kind.TEXT), new Column("needs", "needs", Kind.COUNT),
                new Column("joint", "with the request", Kind.COUNT), new Column("during_call", "during a call", Kind.COUNT),
                new Column("met", "interpreter joined", Kind.COUNT), new Column("unmet", "unmet", Kind.COUNT),
                new Column("open", "still open", Kind.COUNT), new Column("unmet_share", "unmet share", Kind.FRACTION),
                new Column("wait_p50_s", "wait p50", Kind.SECONDS), new Column("wait_p90_s", "wait p90", Kind.SECONDS),
                new Column("mean_unmet_wait_s", "time to unmet", Kind.SECONDS));
        List<List<Object>> rows = new ArrayList<>();
        for (InterpreterWaitRow w : a.interpreters().waits()) {
            rows.add(java.util.Arrays.asList(w.key(), w.serviceLanguage(), w.language(), w.needs(), w.joint(),
                    w.duringCall(), w.met(), w.unmet(), w.open(), w.unmetShare(), w.waitP50(), w.waitP90(),
                    w.meanUnmetWait()));
        }
        return new Table("interpreter_waits", "Interpreter waits per language pair (need → interpreter joined)", cols,
                rows);
    }

    private static Table jointDecisionWaits(JournalAnalysis a) {
        List<Column> cols = List.of(new Column("held", "held party", Kind.TEXT), new Column("holds", "holds", Kind.COUNT),
                new Column("to_call", "ended in a call", Kind.COUNT), new Column("released", "released", Kind.COUNT),
                new Column("still_held", "still held", Kind.COUNT), new Column("held_total_s", "held in all", Kind.SECONDS),
                new Column("held_p50_s", "held p50", Kind.SECONDS), new Column("held_p90_s", "held p90", Kind.SECONDS));
        List<List<Object>> rows = new ArrayList<>();
        for (HoldRow h : a.interpreters().holds()) {
            rows.add(java.util.Arrays.asList(h.held(), h.holds(), h.toCall(), h.released(), h.stillHeld(), h.total(),
                    h.median(), h.p90()));
        }
        return new Table("joint_decision_waits", "Joint-decision waits: time accepted parties were held for the second "
                + "resource", cols, rows);
    }

    private static Table interpreterUse(JournalAnalysis a) {
        List<Column> cols = List.of(new Column("key", "language pair", Kind.TEXT), new Column("rings", "rings", Kind.TEXT),
                new Column("interpreters", "interpreters", Kind.COUNT), new Column("needs", "needs", Kind.COUNT),
                new Column("signed_in_h", "signed in h", Kind.HOURS),
                new Column("mean_signed_in", "interpreters signed in", Kind.NUMBER),
                new Column("offered_h", "offered h", Kind.HOURS), new Column("in_call_h", "in call h", Kind.HOURS),
                new Column("busy_h", "busy h", Kind.HOURS), new Column("utilization", "utilization", Kind.FRACTION));
        List<List<Object>> rows = new ArrayList<>();
        for (InterpreterUseRow u : a.interpreters().use()) {
            rows.add(java.util.Arrays.asList(u.key(), u.rings(), u.interpreters(), u.needs(), u.signedIn(),
                    u.meanSignedIn(), u.offered(), u.inCall(), u.busy(), u.utilization()));
        }
        return new Table("interpreter_utilization", "Interpreters' utilization per language pair (busy in offers and "
                + "calls / signed in)", cols, rows);
    }

    private static Table partyCalls(JournalAnalysis a) {
        List<Column> cols = List.of(new Column("by", "by", Kind.TEXT), new Column("key", "id", Kind.TEXT),
                new Column("name", "name", Kind.TEXT), new Column("calls", "calls", Kind.COUNT),
                new Column("with_interpreter", "with an interpreter", Kind.COUNT),
                new Column("interpreter_share", "share with an interpreter", Kind.FRACTION),
                new Column("with_second_authority", "with a second authority", Kind.COUNT),
                new Column("three_parties", "three parties", Kind.COUNT),
                new Column("four_parties", "four parties", Kind.COUNT));
        List<List<Object>> rows = new ArrayList<>();
        for (PartyCallRow c : a.interpreters().calls()) {
            rows.add(java.util.Arrays.asList(c.by(), c.key(), c.label(), c.calls(), c.withInterpreter(),
                    c.interpreterShare(), c.withSecondAuthority(), c.threeParties(), c.fourParties()));
        }
        return new Table("calls_with_interpreters", "Calls with an interpreter or a second authority, and calls of "
                + "three or four parties, per authority and service point", cols, rows);
    }

    private static Table staffing(JournalAnalysis a) {
        List<Column> cols = List.of(new Column("ring", "ring id", Kind.TEXT), new Column("ring_name", "ring", Kind.TEXT),
                new Column("day", "day", Kind.TEXT), new Column("hour", "hour", Kind.TEXT),
                new Column("hours_observed", "hours seen", Kind.NUMBER), new Column("arrivals", "arrivals", Kind.COUNT),
                new Column("arrivals_per_hour", "arrivals / h", Kind.NUMBER), new Column("aht_s", "AHT used", Kind.SECONDS),
                new Column("aht_basis", "AHT from", Kind.TEXT), new Column("threshold_s", "threshold", Kind.SECONDS),
                new Column("target", "target", Kind.FRACTION), new Column("recommended", "experts needed", Kind.COUNT),
                new Column("expected_sl", "expected SL", Kind.FRACTION), new Column("mean_signed_in", "experts had", Kind.NUMBER),
                new Column("occupancy", "occupancy", Kind.FRACTION), new Column("measured_sl", "measured SL", Kind.FRACTION));
        List<List<Object>> rows = new ArrayList<>();
        for (Recommendation r : a.staffing()) {
            rows.add(List.of(r.ringId(), r.ringName(), r.day().getDisplayName(TextStyle.FULL, Locale.ENGLISH),
                    String.format(Locale.ROOT, "%02d-%02d", r.hour(), r.hour() + 1), r.hoursObserved(), r.arrivals(),
                    r.arrivalsPerHour(), Duration.ofMillis(Math.round(r.ahtSeconds() * 1000)), r.ahtBasis(),
                    Duration.ofMillis(Math.round(r.thresholdSeconds() * 1000)), r.target(), (long) r.recommended(),
                    r.expectedServiceLevel(), r.meanSignedIn(), r.occupancy(), r.measuredServiceLevel()));
        }
        return new Table("staffing", "Staffing recommendations per ring and hour of the week (Erlang C)", cols, rows);
    }

    private static Table waits(JournalAnalysis a) {
        List<Column> cols = List.of(new Column("from_s", "from", Kind.SECONDS), new Column("to_s", "to", Kind.SECONDS),
                new Column("answered", "answered", Kind.COUNT), new Column("abandoned", "abandoned", Kind.COUNT));
        List<List<Object>> rows = new ArrayList<>();
        for (WaitBucket b : a.waits()) {
            List<Object> row = new ArrayList<>();
            row.add(b.from());
            row.add(b.to());
            row.add(b.answered());
            row.add(b.abandoned());
            rows.add(row);
        }
        return new Table("wait_distribution", "Wait-time distribution", cols, rows);
    }
}
