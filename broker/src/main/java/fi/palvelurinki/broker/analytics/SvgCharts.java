package fi.palvelurinki.broker.analytics;

import java.util.List;
import java.util.Locale;

/**
 * Small inline SVG charts, drawn in Java so that a report is one file that opens anywhere: no script
 * library, no network. Each bar carries a {@code <title>} tooltip with its exact value.
 */
final class SvgCharts {
    static final int WIDTH = 760;
    static final int HEIGHT = 300;
    private static final int LEFT = 60;
    private static final int RIGHT = 60;
    private static final int TOP = 48;
    private static final int BOTTOM = 64;

    /** A series of values; {@code format} renders one for the tooltip. */
    record Series(String name, String cssClass, double[] values, Unit unit) {}

    enum Unit {
        COUNT, FRACTION, NUMBER;

        String format(double v) {
            return switch (this) {
                case COUNT -> Formats.decimal(v, 1);
                case FRACTION -> Formats.percent(v);
                case NUMBER -> String.format(Locale.ROOT, "%.1f", v);
            };
        }
    }

    private SvgCharts() {}

    /**
     * Vertical bars, the series stacked; optionally a line on its own axis at the right, and a
     * horizontal target line on the bars' axis.
     */
    static String columns(String id, String title, List<String> labels, List<Series> stacked, Series line, Double target) {
        int n = labels.size();
        StringBuilder b = open(id, title, HEIGHT);
        legend(b, stacked, line);
        if (n == 0) {
            return empty(b);
        }
        Unit unit = stacked.get(0).unit();
        double max = 0;
        for (int i = 0; i < n; i++) {
            double sum = 0;
            for (Series s : stacked) {
                sum += s.values()[i];
            }
            max = Math.max(max, sum);
        }
        double top = unit == Unit.FRACTION ? 1 : niceCeiling(max);
        axis(b, top, unit, LEFT - 6, "end");
        double plotW = WIDTH - LEFT - RIGHT;
        double slot = plotW / n;
        double barW = Math.max(1, slot * 0.7);
        int every = Math.max(1, (int) Math.ceil(n / 24.0));
        for (int i = 0; i < n; i++) {
            double x = LEFT + i * slot + (slot - barW) / 2;
            double base = 0;
            for (Series s : stacked) {
                double v = s.values()[i];
                if (v > 0) {
                    double y0 = y(base, top);
                    double y1 = y(base + v, top);
                    b.append(String.format(Locale.ROOT,
                            "<rect class=\"bar %s\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\"><title>%s: %s %s</title></rect>",
                            s.cssClass(), x, y1, barW, y0 - y1, Html.escape(labels.get(i)), Html.escape(s.unit().format(v)),
                            Html.escape(s.name())));
                }
                base += v;
            }
            if (i % every == 0) {
                double cx = LEFT + i * slot + slot / 2;
                b.append(n <= 12
                        ? String.format(Locale.ROOT, "<text class=\"tick\" x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>",
                                cx, HEIGHT - BOTTOM + 16, Html.escape(labels.get(i)))
                        : String.format(Locale.ROOT, "<text class=\"tick\" x=\"%.1f\" y=\"%d\" text-anchor=\"end\" "
                                + "transform=\"rotate(-40 %.1f %d)\">%s</text>", cx, HEIGHT - BOTTOM + 14, cx,
                                HEIGHT - BOTTOM + 14, Html.escape(labels.get(i))));
            }
        }
        if (target != null) {
            double ty = y(target, top);
            b.append(String.format(Locale.ROOT, "<line class=\"target\" x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\"/>",
                    LEFT, WIDTH - RIGHT, ty, ty));
            b.append(String.format(Locale.ROOT, "<text class=\"tick\" x=\"%d\" y=\"%.1f\">target %s</text>",
                    LEFT + 4, ty - 4, Html.escape(unit.format(target))));
        }
        if (line != null) {
            double lineTop = niceCeiling(max(line.values()));
            axis(b, lineTop, line.unit(), WIDTH - RIGHT + 6, "start");
            StringBuilder points = new StringBuilder();
            for (int i = 0; i < n; i++) {
                double cx = LEFT + i * slot + slot / 2;
                double cy = y(line.values()[i], lineTop);
                points.append(String.format(Locale.ROOT, "%.1f,%.1f ", cx, cy));
                b.append(String.format(Locale.ROOT,
                        "<circle class=\"dot %s\" cx=\"%.1f\" cy=\"%.1f\" r=\"3\"><title>%s: %s %s</title></circle>",
                        line.cssClass(), cx, cy, Html.escape(labels.get(i)), Html.escape(line.unit().format(line.values()[i])),
                        Html.escape(line.name())));
            }
            b.append("<polyline class=\"line ").append(line.cssClass()).append("\" points=\"")
                    .append(points.toString().strip()).append("\"/>");
        }
        return b.append("</svg>").toString();
    }

    /** One horizontal bar per label, for values in 0..1. */
    static String horizontalBars(String id, String title, List<String> labels, double[] fractions, String cssClass) {
        int n = labels.size();
        int rowH = 22;
        int height = TOP + Math.max(1, n) * rowH + 30;
        int left = 170;
        StringBuilder b = open(id, title, height);
        if (n == 0) {
            b.append(String.format(Locale.ROOT, "<text class=\"empty\" x=\"%d\" y=\"%d\">no data in this period</text>",
                    left, TOP + 14));
            return b.append("</svg>").toString();
        }
        double plotW = WIDTH - left - RIGHT;
        for (int t = 0; t <= 4; t++) {
            double x = left + plotW * t / 4;
            b.append(String.format(Locale.ROOT, "<line class=\"grid\" x1=\"%.1f\" x2=\"%.1f\" y1=\"%d\" y2=\"%d\"/>",
                    x, x, TOP, TOP + n * rowH));
            b.append(String.format(Locale.ROOT, "<text class=\"tick\" x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%d %%</text>",
                    x, TOP + n * rowH + 16, t * 25));
        }
        for (int i = 0; i < n; i++) {
            double v = Double.isNaN(fractions[i]) ? 0 : Math.min(1, fractions[i]);
            int y = TOP + i * rowH;
            b.append(String.format(Locale.ROOT, "<text class=\"tick\" x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>",
                    left - 6, y + 15, Html.escape(labels.get(i))));
            b.append(String.format(Locale.ROOT,
                    "<rect class=\"bar %s\" x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\"><title>%s: %s</title></rect>",
                    cssClass, left, y + 3, plotW * v, rowH - 6, Html.escape(labels.get(i)),
                    Html.escape(Formats.percent(fractions[i]))));
        }
        return b.append("</svg>").toString();
    }

    /** Inline SVG in HTML needs no namespace declaration. */
    private static StringBuilder open(String id, String title, int height) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "<svg class=\"chart\" id=\"%s\" role=\"img\" viewBox=\"0 0 %d %d\"><title>%s</title>",
                id, WIDTH, height, Html.escape(title)));
        b.append(String.format(Locale.ROOT, "<text class=\"chart-title\" x=\"%d\" y=\"18\">%s</text>", LEFT, Html.escape(title)));
        return b;
    }

    private static void legend(StringBuilder b, List<Series> stacked, Series line) {
        double x = WIDTH - RIGHT;
        List<Series> all = new java.util.ArrayList<>(stacked);
        if (line != null) {
            all.add(line);
        }
        for (int i = all.size() - 1; i >= 0; i--) {
            Series s = all.get(i);
            x -= 14 + 7 * s.name().length();
            b.append(String.format(Locale.ROOT, "<rect class=\"key %s\" x=\"%.1f\" y=\"26\" width=\"10\" height=\"10\"/>",
                    s.cssClass(), x));
            b.append(String.format(Locale.ROOT, "<text class=\"tick\" x=\"%.1f\" y=\"35\">%s</text>", x + 13,
                    Html.escape(s.name())));
        }
    }

    private static String empty(StringBuilder b) {
        b.append(String.format(Locale.ROOT, "<text class=\"empty\" x=\"%d\" y=\"%d\">no data in this period</text>",
                WIDTH / 2 - 70, HEIGHT / 2));
        return b.append("</svg>").toString();
    }

    private static void axis(StringBuilder b, double top, Unit unit, int x, String anchor) {
        for (int t = 0; t <= 4; t++) {
            double v = top * t / 4;
            double yy = y(v, top);
            if (anchor.equals("end")) {
                b.append(String.format(Locale.ROOT, "<line class=\"grid\" x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\"/>",
                        LEFT, WIDTH - RIGHT, yy, yy));
            }
            String label = unit == Unit.FRACTION ? Math.round(v * 100) + " %" : Formats.decimal(v, 2);
            b.append(String.format(Locale.ROOT, "<text class=\"tick\" x=\"%d\" y=\"%.1f\" text-anchor=\"%s\">%s</text>",
                    x, yy + 4, anchor, label));
        }
    }

    private static double y(double v, double top) {
        return HEIGHT - BOTTOM - (HEIGHT - TOP - BOTTOM) * (top == 0 ? 0 : v / top);
    }

    private static double max(double[] values) {
        double m = 0;
        for (double v : values) {
            m = Math.max(m, v);
        }
        return m;
    }

    /** The smallest of 1, 2, 2.5, 5 × 10^k (k ≥ -2) at or above {@code v}, so that quarter ticks read well. */
    static double niceCeiling(double v) {
        if (v <= 0) {
            return 1;
        }
        double p = Math.pow(10, Math.floor(Math.log10(v)));
        for (double m : new double[] {1, 2, 2.5, 5, 10}) {
            if (m * p >= v - 1e-12) {
                return Math.max(0.01, m * p);
            }
        }
        return 10 * p;
    }
}
