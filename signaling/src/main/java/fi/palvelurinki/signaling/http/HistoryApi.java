package fi.palvelurinki.signaling.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import fi.palvelurinki.broker.Broker;
import fi.palvelurinki.broker.BrokerException;
import fi.palvelurinki.broker.Command;
import fi.palvelurinki.broker.ErrorCode;
import fi.palvelurinki.broker.Reply;
import fi.palvelurinki.broker.analytics.AnalysisOptions;
import fi.palvelurinki.broker.analytics.ExpertSchedule;
import fi.palvelurinki.broker.analytics.FigureRow;
import fi.palvelurinki.broker.analytics.HtmlReport;
import fi.palvelurinki.broker.analytics.ChangeRow;
import fi.palvelurinki.broker.analytics.JournalAnalysis;
import fi.palvelurinki.broker.analytics.OutcomeRow;
import fi.palvelurinki.broker.analytics.JournalAnalyzer;
import fi.palvelurinki.broker.analytics.QueueFigures;
import fi.palvelurinki.broker.analytics.Recommendation;
import fi.palvelurinki.broker.analytics.RecordedTraffic;
import fi.palvelurinki.broker.analytics.SimulationJson;
import fi.palvelurinki.broker.analytics.Simulator;
import fi.palvelurinki.broker.journal.JournalCorruptedException;
import fi.palvelurinki.broker.journal.JournalDamage;
import fi.palvelurinki.broker.journal.JournalReader;
import fi.palvelurinki.broker.journal.JournalSource;
import fi.palvelurinki.broker.ring.OpeningHours;
import fi.palvelurinki.broker.ring.RingConfig;
import fi.palvelurinki.signaling.config.Durations;
import fi.palvelurinki.signaling.protocol.ProtocolCodec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.logging.Logger;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.Fields;

/**
 * The operator page's History view: {@code GET /api/history} (the report's charts and the staffing
 * recommendations of a period) and {@code POST /api/whatif} (recorded requests replayed against another
 * staffing). Both read the live journal read-only with {@link JournalReader#readAround}, which never writes
 * (the broker keeps appending meanwhile), reads past damage and names it: the view warns what it leaves out.
 *
 * <p>The work is bounded: periods of at most {@link #MAX_DAYS} days, one computation at a time on a worker
 * thread of its own (never the broker's or Jetty's selector), and analyses are cached by period, options and
 * the journal's length, so that paging back and forth in the view reads the journal once.
 */
final class HistoryApi {
    static final int MAX_DAYS = 93;
    static final Duration DEFAULT_THRESHOLD = Duration.ofSeconds(60);
    private static final Logger LOG = Logger.getLogger(HistoryApi.class.getName());

    private final Broker broker;
    private final JournalSource journal;
    /** Requests waiting for the worker beyond this are refused (503) rather than queued for minutes. */
    static final int MAX_WAITING = 4;
    /**
     * One at a time: an analysis reads the whole journal, and the machine also runs calls. The thread
     * ends when idle for a minute, so a server that nobody asks for history keeps none.
     */
    private final ThreadPoolExecutor worker;
    /**
     * Keyed by the journal's length too: later events still change a past period's figures (a request
     * answered after the period's end, the event count), so an analysis holds only until the next append.
     * Few entries, as each holds every wait of its period for exact percentiles (about 60 bytes a request).
     */
    private final Cache<Key, JournalAnalysis> analyses = Caffeine.newBuilder().maximumSize(4).build();

    private record Key(Instant from, Instant to, Duration threshold, double target, long journalBytes) {}

    HistoryApi(Broker broker, JournalSource journal) {
        this.broker = broker;
        this.journal = journal;
        this.worker = new ThreadPoolExecutor(1, 1, 1, TimeUnit.MINUTES, new ArrayBlockingQueue<>(MAX_WAITING), r -> {
            Thread t = new Thread(r, "history");
            t.setDaemon(true);
            return t;
        });
        worker.allowCoreThreadTimeOut(true);
    }

    private <T> CompletableFuture<T> compute(Supplier<T> work) {
        try {
            return CompletableFuture.supplyAsync(work, worker);
        } catch (RejectedExecutionException e) {
            throw new BrokerException(ErrorCode.OVERLOADED, "the History view is busy with " + MAX_WAITING
                    + " other requests; try again in a moment");
        }
    }

    static boolean handles(String[] parts) {
        return parts.length == 1 && (parts[0].equals("history") || parts[0].equals("whatif"));
    }

    /** Answers an operator's call to one of {@link #handles its routes}; false for another method. */
    boolean handle(Exchange x, String method, String[] parts) {
        if (parts[0].equals("history") && method.equals("GET")) {
            history(x);
        } else if (parts[0].equals("whatif") && method.equals("POST")) {
            x.body(this::whatIf);
        } else {
            return false;
        }
        return true;
    }

    // ------------------------------------------------------------------ history

    private void history(Exchange x) {
        Fields q = Request.extractQueryParameters(x.request, StandardCharsets.UTF_8);
        for (String name : q.getNames()) {
            if (!Set.of("from", "to", "ring", "threshold", "target").contains(name)) {
                throw BrokerException.invalid("unknown query parameter '" + name + "'; known: from, to, ring, threshold,"
                        + " target");
            }
        }
        Instant[] period = period(x.requiredParam("from"), x.requiredParam("to"));
        String ring = q.getValue("ring");
        Duration threshold = q.getValue("threshold") == null ? DEFAULT_THRESHOLD : threshold(q.getValue("threshold"));
        double target = q.getValue("target") == null ? AnalysisOptions.DEFAULT_TARGET : target(q.getValue("target"));
        AnalysisOptions options = new AnalysisOptions(period[0], period[1], AnalysisOptions.DEFAULT_GRACE,
                List.of(threshold), target);
        x.answer(knownRings(ring == null ? List.of() : List.of(ring)).thenCompose(known -> compute(
                () -> historyJson(x.param("from"), x.param("to"), ring, options))));
    }

    private ObjectNode historyJson(String fromDate, String toDate, String ring, AnalysisOptions options) {
        long started = System.nanoTime();
        long bytes = journalBytes();
        Key key = new Key(options.from(), options.to(), options.thresholds().get(0), options.target(), bytes);
        boolean[] computed = {false};
        JournalAnalysis a = analyses.get(key, k -> {
            computed[0] = true;
            return analyze(options);
        });
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("from", fromDate);
        o.put("to", toDate);
        if (ring == null) {
            o.putNull("ring");
        } else {
            o.put("ring", ring);
        }
        o.put("threshold", Durations.format(options.thresholds().get(0)));
        o.put("thresholdSeconds", options.thresholds().get(0).toSeconds());
        o.put("target", options.target());
        o.put("events", a.events());
        o.set("unread", unread(a.damage()));
        o.put("journalBytes", bytes);
        o.put("empty", a.empty());
        if (!a.empty()) {
            FigureRow t = a.total();
            QueueFigures qf = t.queue();
            ObjectNode s = o.putObject("summary");
            s.put("offered", qf.offered());
            s.put("answered", qf.answered());
            s.put("abandoned", qf.abandoned());
            s.put("shortAbandoned", qf.shortAbandoned());
            number(s, "abandonRate", qf.abandonmentRate());
            number(s, "serviceLevel", qf.serviceLevels().get(0));
            seconds(s, "asaSeconds", qf.asa());
            seconds(s, "waitP90Seconds", qf.waitP90());
            seconds(s, "ahtSeconds", t.handle().aht());
            number(s, "occupancy", t.time().occupancy());
        }
        o.put("chartsHtml", a.empty() ? "" : HtmlReport.charts(a));
        ArrayNode list = o.putArray("recommendations");
        for (Recommendation r : HtmlReport.ranked(a.staffing())) {
            if (ring == null || r.ringId().equals(ring)) {
                list.add(recommendation(r));
            }
        }
        ArrayNode outcomes = o.putArray("outcomes");
        for (OutcomeRow r : a.outcomes()) {
            if (ring == null || !r.by().equals("ring") || r.key().equals(ring)) {
                ObjectNode x = outcomes.addObject();
                x.put("by", r.by());
                x.put("key", r.key());
                x.put("name", r.label());
                x.put("calls", r.calls());
                x.put("resolved", r.resolved());
                number(x, "firstContactResolution", r.firstContactResolution());
            }
        }
        ArrayNode changes = o.putArray("changes");
        for (ChangeRow c : a.changes()) {
            if (ring == null || !c.subject().equals("ring") || c.id().equals(ring)) {
                ObjectNode x = changes.addObject();
                x.put("at", c.at().toString());
                x.put("actor", c.actor());
                x.put("subject", c.subject());
                x.put("id", c.id());
                x.put("name", c.name());
                x.put("what", c.what());
            }
        }
        o.put("cached", !computed[0]);
        long millis = (System.nanoTime() - started) / 1_000_000;
        o.put("computeMillis", millis);
        if (computed[0]) {
            LOG.info(() -> "history " + fromDate + ".." + toDate + ": " + a.events() + " events, " + bytes
                    + " journal bytes read in " + millis + " ms");
        }
        return o;
    }

    private JournalAnalysis analyze(AnalysisOptions options) {
        try {
            return JournalAnalyzer.analyze(journal, options, JournalReader.Progress.NONE);
        } catch (JournalCorruptedException e) {
            throw new BrokerException(ErrorCode.UNAVAILABLE, "the journal cannot be read: " + e.getMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ObjectNode recommendation(Recommendation r) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("ring", r.ringId());
        o.put("ringName", r.ringName());
        o.put("day", r.day().getValue());
        o.put("hour", r.hour());
        o.put("hoursObserved", r.hoursObserved());
        o.put("arrivals", r.arrivals());
        number(o, "arrivalsPerHour", r.arrivalsPerHour());
        number(o, "ahtSeconds", r.ahtSeconds());
        o.put("ahtBasis", r.ahtBasis());
        number(o, "thresholdSeconds", r.thresholdSeconds());
        o.put("target", r.target());
        o.put("recommended", r.recommended());
        number(o, "expectedServiceLevel", r.expectedServiceLevel());
        number(o, "meanSignedIn", r.meanSignedIn());
        number(o, "occupancy", r.occupancy());
        number(o, "measuredServiceLevel", r.measuredServiceLevel());
        o.put("sentence", r.sentence());
        return o;
    }

    // ------------------------------------------------------------------ what-if

    private CompletableFuture<ObjectNode> whatIf(JsonNode body) {
        if (!body.isObject()) {
            throw BrokerException.invalid("the body must be a JSON object: from, to, rings, experts, bookedToInstant, seed");
        }
        Set<String> known = Set.of("from", "to", "rings", "experts", "bookedToInstant", "seed");
        for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!known.contains(f)) {
                throw BrokerException.invalid("unknown what-if field '" + f + "'; known: " + new TreeSet<>(known));
            }
        }
        Instant[] period = period(HttpApi.text(body, "from"), HttpApi.text(body, "to"));
        JsonNode ringsNode = body.get("rings");
        if (ringsNode == null || !ringsNode.isArray() || ringsNode.isEmpty()) {
            throw BrokerException.invalid("\"rings\" must be a non-empty list of ring ids (several are pooled into one queue)");
        }
        Set<String> rings = new LinkedHashSet<>();
        for (JsonNode r : ringsNode) {
            if (!r.isTextual() || r.asText().isBlank()) {
                throw BrokerException.invalid("\"rings\" must be a non-empty list of ring ids");
            }
            rings.add(r.asText());
        }
        String expertsText = HttpApi.text(body, "experts");
        ExpertSchedule schedule;
        try {
            schedule = ExpertSchedule.parse(expertsText);
        } catch (IllegalArgumentException e) {
            throw BrokerException.invalid("\"experts\": " + e.getMessage());
        }
        double share = 0;
        if (body.has("bookedToInstant")) {
            JsonNode s = body.get("bookedToInstant");
            if (!s.isNumber() || !(s.asDouble() >= 0 && s.asDouble() <= 1)) {
                throw BrokerException.invalid("\"bookedToInstant\" must be a share from 0 to 1, e.g. 0.5");
            }
            share = s.asDouble();
        }
        long seed = 1;
        if (body.has("seed")) {
            if (!body.get("seed").canConvertToLong() || !body.get("seed").isIntegralNumber()) {
                throw BrokerException.invalid("\"seed\" must be a whole number");
            }
            seed = body.get("seed").asLong();
        }
        AnalysisOptions options = new AnalysisOptions(period[0], period[1], AnalysisOptions.DEFAULT_GRACE,
                AnalysisOptions.DEFAULT_THRESHOLDS, AnalysisOptions.DEFAULT_TARGET);
        Simulator.Config config = new Simulator.Config(schedule, 0, 0, share, seed, options.shortAbandonGrace(),
                options.thresholds());
        long s = seed;
        return knownRings(List.copyOf(rings)).thenCompose(r -> compute(
                () -> simulate(rings, options, config, s, expertsText)));
    }

    private ObjectNode simulate(Set<String> rings, AnalysisOptions options, Simulator.Config config, long seed,
            String experts) {
        long started = System.nanoTime();
        RecordedTraffic t;
        try {
            t = RecordedTraffic.read(journal, rings, options, null, seed, JournalReader.Progress.NONE);
        } catch (IllegalArgumentException e) {
            // e.g. a ring configured since, of which the journal has no record yet
            throw BrokerException.invalid(e.getMessage());
        } catch (JournalCorruptedException e) {
            throw new BrokerException(ErrorCode.UNAVAILABLE, "the journal cannot be read: " + e.getMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (t.arrivals().isEmpty()) {
            throw BrokerException.invalid("ring" + (rings.size() > 1 ? "s " : " ") + String.join(", ", rings)
                    + " had no requests in the period");
        }
        // The recorded mean ringing, as simulate does when no --answer-delay is given.
        Simulator.Config c = new Simulator.Config(config.experts(), t.answerDelaySeconds(), config.bookedSlotSeconds(),
                config.bookedToInstantShare(), config.seed(), config.shortAbandonGrace(), config.thresholds());
        Simulator.Result r = Simulator.run(t.arrivals().iterator(), c);
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        ArrayNode rs = o.putArray("rings");
        rings.forEach(rs::add);
        o.put("experts", experts);
        o.put("seed", seed);
        o.put("bookedToInstant", config.bookedToInstantShare());
        o.put("requests", t.arrivals().size());
        o.set("unread", unread(t.unread().stream().filter(d -> !d.torn()).toList()));
        o.put("booked", r.booked());
        o.put("movedToInstant", r.movedToInstant());
        number(o, "meanPatienceSeconds", t.meanPatienceSeconds());
        number(o, "answerDelaySeconds", t.answerDelaySeconds());
        o.set("recorded", json(SimulationJson.figures(t.recorded(), null, options.thresholds())));
        o.set("simulated", json(SimulationJson.figures(r.queue(), r, options.thresholds())));
        o.put("computeMillis", (System.nanoTime() - started) / 1_000_000);
        return o;
    }

    /** The shared text of {@code simulate --json} as a tree, to nest in this reply. */
    private static JsonNode json(String text) {
        try {
            return ProtocolCodec.mapper().readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ------------------------------------------------------------------ input

    /** From and to are Finnish calendar days, both included: [from 00:00, the day after to 00:00). */
    static Instant[] period(String from, String to) {
        LocalDate f = date("from", from);
        LocalDate t = date("to", to);
        if (t.isBefore(f)) {
            throw BrokerException.invalid("the period is empty: 'to' " + t + " is before 'from' " + f);
        }
        long days = ChronoUnit.DAYS.between(f, t) + 1;
        if (days > MAX_DAYS) {
            throw BrokerException.invalid("the period is " + days + " days; at most " + MAX_DAYS + " are computed at a time");
        }
        return new Instant[] {f.atStartOfDay(OpeningHours.ZONE).toInstant(),
                t.plusDays(1).atStartOfDay(OpeningHours.ZONE).toInstant()};
    }

    private static LocalDate date(String name, String text) {
        try {
            return LocalDate.parse(text);
        } catch (DateTimeParseException e) {
            throw BrokerException.invalid("'" + name + "' must be a date YYYY-MM-DD, got '" + text + "'");
        }
    }

    private static Duration threshold(String text) {
        Duration d;
        try {
            d = Durations.parse(text);
        } catch (IllegalArgumentException e) {
            throw BrokerException.invalid("'threshold': " + e.getMessage());
        }
        if (d.isZero() || d.compareTo(Duration.ofHours(1)) > 0) {
            throw BrokerException.invalid("'threshold' must be more than 0 s and at most 1 h, got " + text);
        }
        return d;
    }

    private static double target(String text) {
        double v;
        try {
            v = Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw BrokerException.invalid("'target' must be a share between 0 and 1, e.g. 0.8; got '" + text + "'");
        }
        if (!(v > 0 && v < 1)) {
            throw BrokerException.invalid("'target' must be a share between 0 and 1, e.g. 0.8; got '" + text + "'");
        }
        return v;
    }

    /** A ring the broker does not know is a bad argument (400): the route exists, the parameter is wrong. */
    private CompletableFuture<List<RingConfig>> knownRings(List<String> ids) {
        return broker.submit(new Command.GetDirectory()).thenApply(d -> {
            List<RingConfig> rings = ((Reply.Directory) d).rings();
            for (String id : ids) {
                if (rings.stream().noneMatch(r -> r.id().equals(id))) {
                    throw BrokerException.invalid("unknown ring '" + id + "'; known: "
                            + rings.stream().map(RingConfig::id).sorted().toList());
                }
            }
            return rings;
        });
    }

    /** The journal's size (segment bytes, or events in PostgreSQL): it grows with every event, so it keys the cache. */
    private long journalBytes() {
        return journal.size();
    }

    /**
     * The damage the figures leave out, for the view to warn about. An unfinished last write is left out of
     * this list: on a running server it is usually a write in progress, and it was never acknowledged.
     */
    private static ArrayNode unread(List<JournalDamage> damage) {
        ArrayNode list = JsonNodeFactory.instance.arrayNode();
        for (JournalDamage d : damage) {
            ObjectNode u = list.addObject();
            u.put("segment", d.segment().getFileName().toString());
            u.put("offset", d.offset());
            u.put("bytes", d.bytes());
            u.put("fromSeq", d.fromSeq());
            if (d.toSeq() < 0) {
                u.putNull("toSeq");
            } else {
                u.put("toSeq", d.toSeq());
            }
            u.put("reason", d.reason());
            u.put("text", d.seqs() + " — " + d.where());
        }
        return list;
    }

    private static void number(ObjectNode o, String field, double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            o.putNull(field);
        } else {
            o.put(field, v);
        }
    }

    private static void seconds(ObjectNode o, String field, Duration d) {
        if (d == null) {
            o.putNull(field);
        } else {
            o.put(field, d.toMillis() / 1000.0);
        }
    }
}
