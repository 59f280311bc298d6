package fi.palvelurinki.broker.analytics;

import java.util.Arrays;

/** Experts signed in for each hour of the day (Finnish time), the same every day. */
public final class ExpertSchedule {
    private final int[] byHour;

    private ExpertSchedule(int[] byHour) {
        this.byHour = byHour;
    }

    public static ExpertSchedule constant(int experts) {
        check(experts, "");
        int[] h = new int[24];
        Arrays.fill(h, experts);
        return new ExpertSchedule(h);
    }

    /**
     * Reads {@code 4} (all day) or hour ranges such as {@code 8-12=4,12-16=3}; hours not named have no
     * expert. A range {@code a-b} covers a:00 to b:00.
     */
    public static ExpertSchedule parse(String text) {
        String t = text == null ? "" : text.strip();
        if (t.matches("\\d+")) {
            return constant(Integer.parseInt(t));
        }
        int[] h = new int[24];
        boolean[] named = new boolean[24];
        for (String part : t.split(",")) {
            String p = part.strip();
            if (!p.matches("\\d{1,2}-\\d{1,2}=\\d+")) {
                throw new IllegalArgumentException("cannot read experts '" + text + "': write a number (4) or hour ranges"
                        + " with a number each (8-12=4,12-16=3)");
            }
            String[] range = p.substring(0, p.indexOf('=')).split("-");
            int from = Integer.parseInt(range[0]);
            int to = Integer.parseInt(range[1]);
            int n = Integer.parseInt(p.substring(p.indexOf('=') + 1));
            if (from >= to || to > 24) {
                throw new IllegalArgumentException("hour range " + from + "-" + to + " must run forward within 0-24");
            }
            check(n, " in " + p);
            for (int i = from; i < to; i++) {
                if (named[i]) {
                    throw new IllegalArgumentException("hour " + i + " is named twice in '" + text + "'");
                }
                named[i] = true;
                h[i] = n;
            }
        }
        return new ExpertSchedule(h);
    }

    private static void check(int experts, String where) {
        if (experts < 0 || experts > 100_000) {
            throw new IllegalArgumentException("experts must be 0-100000" + where + ", got " + experts);
        }
    }

    public int at(int hourOfDay) {
        return byHour[hourOfDay];
    }

    /** Nobody at any hour: waiting customers would wait for ever. */
    boolean empty() {
        return Arrays.stream(byHour).allMatch(n -> n == 0);
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        int i = 0;
        while (i < 24) {
            int j = i;
            while (j < 24 && byHour[j] == byHour[i]) {
                j++;
            }
            if (i == 0 && j == 24) {
                return Integer.toString(byHour[0]);
            }
            if (byHour[i] > 0) {
                b.append(b.length() == 0 ? "" : ",").append(i).append('-').append(j).append('=').append(byHour[i]);
            }
            i = j;
        }
        return b.length() == 0 ? "0" : b.toString();
    }
}
