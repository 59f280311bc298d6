package fi.palvelurinki.app;

import fi.palvelurinki.broker.BrokerException;
import fi.palvelurinki.broker.Notification;
import fi.palvelurinki.broker.expert.Presence;
import fi.palvelurinki.broker.ring.RingConfig;
import fi.palvelurinki.broker.testing.JournalScript;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;

/**
 * Some working days of the five pilot points and three rings, written by a real broker on a manual
 * clock with seeded randomness: experts sign in around 8, take lunch, decline or miss now and then,
 * talk for exponential times; advisors give up after exponential patience. Gives a report enough to
 * draw every chart. Deterministic for a seed.
 */
final class DemoJournal {
    static final double OFFER_TIMEOUT = 30;
    static final String[] ADVISORS = {"mikkeli-1", "kiiminki-1", "parainen-1", "pelkosenniemi-1", "saarijarvi-1"};

    private record Action(double at, long seq, Runnable run) {}

    private final JournalScript s;
    private final Random random;
    /** Per request: how long the customer will talk once answered, and who asked. */
    private final Map<Long, Double> talks = new HashMap<>();
    private final Map<Long, String> advisors = new HashMap<>();
    private final PriorityQueue<Action> actions = new PriorityQueue<>((a, b) ->
            a.at != b.at ? Double.compare(a.at, b.at) : Long.compare(a.seq, b.seq));
    private long seq;

    private DemoJournal(JournalScript s, long seed) {
        this.s = s;
        this.random = new Random(seed);
    }

    static void write(Path dataDir, int days, long seed) {
        try (JournalScript s = new JournalScript(dataDir)) {
            new DemoJournal(s, seed).run(days);
        }
    }

    private void run(int days) {
        s.authority("kela", "Kela").authority("vero", "Verohallinto").authority("dvv", "Digi- ja väestötietovirasto");
        s.ring(RingConfig.builder("kela", "kela").name("Kela").wrapUp(Duration.ofSeconds(60)).build())
                .ring(RingConfig.builder("vero", "vero").name("Vero").build())
                .ring(RingConfig.builder("dvv", "dvv").name("DVV edunvalvonta").serviceLevelThreshold(Duration.ofSeconds(120))
                        .build());
        String[][] points = {{"mikkeli", "Mikkeli"}, {"kiiminki", "Oulu Kiiminki"}, {"parainen", "Parainen"},
            {"pelkosenniemi", "Pelkosenniemi"}, {"saarijarvi", "Saarijärvi"}};
        for (String[] p : points) {
            s.point(p[0], p[1] + " Asiointipiste", p[1]).advisor(p[0] + "-1", p[0]);
        }
        s.expert("k1", "Kaisa", "kela").expert("k2", "Kalle", "kela").expert("k3", "Kirsi", "kela")
                .expert("v1", "Ville", "vero").expert("v2", "Veera", "vero", "dvv").expert("d1", "Dan", "dvv");
        List<String> experts = List.of("k1", "k2", "k3", "v1", "v2", "d1");
        for (int day = 1; day <= days; day++) {
            double eight = day * 86_400.0 - 2 * 3600;
            for (String e : experts) {
                at(eight + random.nextInt(1800), () -> s.presence(e, Presence.AVAILABLE));
                signOut(e, eight + 8 * 3600 + random.nextInt(900));
            }
            at(eight + 3.5 * 3600, () -> tryTo(() -> s.presence("k2", Presence.AWAY)));
            at(eight + 4 * 3600, () -> tryTo(() -> s.presence("k2", Presence.AVAILABLE)));
            arrivals("kela", eight, new double[] {6, 12, 10, 7, 8, 9, 6, 4}, 300);
            arrivals("vero", eight, new double[] {2, 3, 3, 2, 2, 3, 2, 1}, 420);
            arrivals("dvv", eight, new double[] {1, 2, 1, 1, 1, 2, 1, 1}, 600);
        }
        // Time moves to the next action or the next broker timer, whichever is first, so that offers
        // made by timers (after a timeout, a cooldown, a wrap-up) are answered in time too.
        while (!actions.isEmpty()) {
            double timer = s.nextTimer().orElse(Double.POSITIVE_INFINITY);
            if (timer < actions.peek().at) {
                s.at(Math.max(timer, s.now()));
            } else {
                Action a = actions.poll();
                s.at(Math.max(a.at, s.now()));
                a.run.run();
            }
            for (Notification.Offer o : s.newOffers()) {
                answer(o);
            }
        }
    }

    private void at(double t, Runnable r) {
        actions.add(new Action(t, seq++, r));
    }

    private static void tryTo(Runnable r) {
        try {
            r.run();
        } catch (BrokerException e) {
            // The world moved on (the offer was withdrawn, the call ended, the expert is busy): as in real life.
        }
    }

    private void signOut(String expert, double t) {
        at(t, () -> {
            try {
                s.presence(expert, Presence.OFFLINE);
            } catch (BrokerException inCall) {
                signOut(expert, t + 60);
            }
        });
    }

    private void arrivals(String ring, double eight, double[] perHour, double meanTalk) {
        for (int h = 0; h < perHour.length; h++) {
            double t = eight + h * 3600 + exp(3600 / perHour[h]);
            while (t < eight + (h + 1) * 3600) {
                String advisor = ADVISORS[random.nextInt(ADVISORS.length)];
                double patience = exp(400);
                at(t, () -> {
                    long id = s.request(advisor, ring);
                    at(s.now() + patience, () -> tryTo(() -> s.cancel(advisor, id)));
                    talks.put(id, exp(meanTalk));
                    advisors.put(id, advisor);
                });
                t += exp(3600 / perHour[h]);
            }
        }
    }

    private void answer(Notification.Offer o) {
        double offeredAt = s.now() - Math.max(0, OFFER_TIMEOUT - secondsUntil(o));
        double roll = random.nextDouble();
        if (roll < 0.05) {
            at(offeredAt + 2 + random.nextInt(4), () -> tryTo(() -> s.decline(o.expertId(), o.requestId())));
        } else if (roll >= 0.08) {
            at(offeredAt + 3 + random.nextInt(12), () -> tryTo(() -> {
                long call = s.accept(o.expertId(), o.requestId());
                double end = s.now() + talks.get(o.requestId());
                if (random.nextBoolean()) {
                    at(end, () -> tryTo(() -> s.hangUp(advisors.get(o.requestId()), call)));
                } else {
                    at(end, () -> tryTo(() -> s.expertHangsUp(o.expertId(), call)));
                }
                if (random.nextDouble() < 0.3) {
                    at(end + 10 + random.nextInt(30), () -> tryTo(() -> s.endWrapUp(o.expertId())));
                }
            }));
        }
    }

    private double secondsUntil(Notification.Offer o) {
        return Duration.between(s.clock.instant(), o.expiresAt()).toMillis() / 1000.0;
    }

    private double exp(double mean) {
        return -mean * Math.log(1 - random.nextDouble());
    }
}
