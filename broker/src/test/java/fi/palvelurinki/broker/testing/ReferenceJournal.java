package fi.palvelurinki.broker.testing;

import fi.palvelurinki.broker.expert.Presence;
import fi.palvelurinki.broker.ring.RingConfig;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A small journal, written by a real broker, whose efficiency figures are worked out by hand in
 * {@code JournalAnalyzerTest} (and relied on by the command-line tests). Tuesday 2026-11-24, Finnish
 * time; seconds after 10:00:00:
 *
 * <pre>
 *    0  e1, e2 (ring kela) sign in
 *   60  r1 anna@mikkeli → kela, offered to e1      70  e1 accepts (wait 10 s), call c1
 *  100  r2 bo@parainen → kela, offered to e2      105  e2 declines (cooldown 60 s)
 *  165  cooldown over, r2 offered to e2 again     205  offer rings out after 40 s (e2 misses 1)
 *  220  bo cancels r2 (abandoned after 120 s)
 *  370  anna hangs up c1 (talk 300 s)             400  e1's wrap-up ends (30 s)
 *  380  r3 anna → kela, offered to e2             383  anna cancels r3 (short abandon, 3 s)
 *  500  r4 anna → kela, offered to e2 (idle longest; a decline does not reset idle time)
 *  530  e2 accepts (wait 30 s), call c2           830  e2 hangs up (talk 300 s)
 *  840  e2 ends wrap-up early (10 s)
 * 3000  e2 goes AWAY
 * 4000  r5 bo → vero: nobody signed in, still waiting at the end
 * 4200  e1 and e2 sign out (the last event, 11:10:00)
 * </pre>
 */
public final class ReferenceJournal {
    private ReferenceJournal() {}

    public static void write(Path dataDir) {
        try (JournalScript s = new JournalScript(dataDir)) {
            s.authority("kela", "Kela").authority("vero", "Verohallinto")
                    .ring(RingConfig.builder("kela", "kela").name("Kela pensions").offerTimeout(Duration.ofSeconds(40))
                            .wrapUp(Duration.ofSeconds(30)).build())
                    .ring(RingConfig.builder("vero", "vero").name("Vero").build())
                    .point("mikkeli", "Mikkeli Asiointipiste", "Mikkeli").point("parainen", "Parainen", "Parainen")
                    .advisor("anna", "mikkeli").advisor("bo", "parainen")
                    .expert("e1", "Eeva", "kela").expert("e2", "Erkki", "kela").expert("e3", "Veera", "vero");
            s.presence("e1", Presence.AVAILABLE).presence("e2", Presence.AVAILABLE);
            s.at(60);
            long r1 = s.request("anna", "kela");
            check(s.offerOf("e1"), r1);
            s.at(70);
            long c1 = s.accept("e1", r1);
            s.at(100);
            long r2 = s.request("bo", "kela");
            s.at(105).decline("e2", r2);
            s.at(165);
            check(s.offerOf("e2"), r2);
            s.at(220).cancel("bo", r2);
            s.at(370).hangUp("anna", c1);
            s.at(380);
            long r3 = s.request("anna", "kela");
            check(s.offerOf("e2"), r3);
            s.at(383).cancel("anna", r3);
            s.at(500);
            long r4 = s.request("anna", "kela");
            check(s.offerOf("e2"), r4);
            s.at(530);
            long c2 = s.accept("e2", r4);
            s.at(830).expertHangsUp("e2", c2);
            s.at(840).endWrapUp("e2");
            s.at(3000).presence("e2", Presence.AWAY);
            s.at(4000).request("bo", "vero");
            s.at(4200).presence("e1", Presence.OFFLINE).presence("e2", Presence.OFFLINE);
        }
    }

    private static void check(Long offered, long expected) {
        if (offered == null || offered != expected) {
            throw new IllegalStateException("the routing differs from the script: expected request " + expected
                    + " to ring, found " + offered);
        }
    }
}
