package kz.baga.service.render;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Rectangle;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.text.DateFormat;
import java.text.FieldPosition;
import java.text.NumberFormat;
import java.text.ParsePosition;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.Calendar;
import java.util.Comparator;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import kz.baga.service.i18n.Lang;
import kz.baga.service.i18n.Reasons;
import kz.baga.service.view.ViewBuilder;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.StandardChartTheme;
import org.jfree.chart.axis.CategoryLabelPositions;
import org.jfree.chart.axis.DateAxis;
import org.jfree.chart.axis.DateTickUnit;
import org.jfree.chart.axis.DateTickUnitType;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.axis.TickUnits;
import org.jfree.chart.plot.IntervalMarker;
import org.jfree.chart.plot.Marker;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.ui.Layer;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.time.Day;
import org.jfree.data.time.TimeSeries;
import org.jfree.data.time.TimeSeriesCollection;
import org.jfree.svg.SVGGraphics2D;

/** JFreeChart charts with one theme (DejaVu fonts, created once), rendered to PNG, SVG or a PDF template. */
@ApplicationScoped
public class Charts {

    private static final Color PUPIL = new Color(0x1f, 0x6f, 0xb4);
    private static final Color CLASS = new Color(0xe0, 0x7b, 0x1a);

    @Inject
    Fonts fonts;

    private volatile StandardChartTheme theme;

    private StandardChartTheme theme() {
        StandardChartTheme t = theme;
        if (t == null) {
            t = new StandardChartTheme("baga");
            t.setExtraLargeFont(fonts.awt(true, 15f));
            t.setLargeFont(fonts.awt(true, 12f));
            t.setRegularFont(fonts.awt(false, 11f));
            t.setSmallFont(fonts.awt(false, 9f));
            t.setPlotBackgroundPaint(Color.WHITE);
            t.setChartBackgroundPaint(Color.WHITE);
            t.setDomainGridlinePaint(new Color(0xdd, 0xdd, 0xdd));
            t.setRangeGridlinePaint(new Color(0xdd, 0xdd, 0xdd));
            t.setBarPainter(new StandardBarPainter());
            t.setShadowVisible(false);
            theme = t;
        }
        return t;
    }

    /** The pupil's line against the class average, per period (a full-size chart with a legend). */
    public JFreeChart dynamics(List<ViewBuilder.Point> points, String title, String lang) {
        return dynamics(points, title, lang, false);
    }

    /**
     * The pupil's line against the class average, per period, with month/day labels in {@code lang} and the
     * platform switch (when the points' sources show one) as a shaded band or a dated line with a short label.
     * {@code compact}: a small multiple (one subject of a grid): small fonts, no legend, the title as caption.
     */
    public JFreeChart dynamics(List<ViewBuilder.Point> points, String title, String lang, boolean compact) {
        TimeSeries pupil = new TimeSeries(Lang.t(lang, "pupil.line"));
        TimeSeries cls = new TimeSeries(Lang.t(lang, "class.avg"));
        for (ViewBuilder.Point p : points) {
            Day d = new Day(p.periodStart().getDayOfMonth(), p.periodStart().getMonthValue(), p.periodStart().getYear());
            pupil.addOrUpdate(d, num(p.avgPct()));
            if (p.classAvgPct() != null) {
                cls.addOrUpdate(d, num(p.classAvgPct()));
            }
        }
        TimeSeriesCollection ds = new TimeSeriesCollection();
        ds.addSeries(pupil);
        ds.addSeries(cls);
        JFreeChart chart = ChartFactory.createTimeSeriesChart(title, compact ? null : Lang.t(lang, "period"),
                compact ? null : Lang.t(lang, "pct"), ds, !compact, false, false);
        theme().apply(chart);
        XYPlot plot = chart.getXYPlot();
        XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, !compact);
        r.setSeriesPaint(0, PUPIL);
        r.setSeriesPaint(1, CLASS);
        r.setSeriesStroke(0, new BasicStroke(compact ? 1.6f : 2.2f));
        r.setSeriesStroke(1, new BasicStroke(compact ? 1.1f : 1.6f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND,
                1f, compact ? new float[]{3f, 2f} : new float[]{6f, 4f}, 0f));
        plot.setRenderer(r);
        NumberAxis range = (NumberAxis) plot.getRangeAxis();
        range.setRange(0, 100);
        DateAxis domain = (DateAxis) plot.getDomainAxis();
        // monthly periods get month ticks only: a tick on the 11th would sit between two points
        boolean weekly = points.stream().anyMatch(p -> p.periodStart().getDayOfMonth() != 1);
        domain.setStandardTickUnits(tickUnits(lang, weekly));
        // room beyond the first and last point, so that the outermost tick labels are not cut at the edge
        domain.setLowerMargin(0.03);
        domain.setUpperMargin(0.03);
        chart.setPadding(compact ? new RectangleInsets(2, 2, 2, 14) : new RectangleInsets(4, 4, 4, 28));
        if (compact) {
            Font small = fonts.awt(false, 7.5f);
            domain.setTickLabelFont(small);
            range.setTickLabelFont(small);
            range.setTickUnit(new NumberTickUnit(50));
            if (chart.getTitle() != null) {
                chart.getTitle().setFont(fonts.awt(true, 8.5f));
            }
        }
        SourceSwitch sw = sourceSwitch(points);
        if (sw != null) {
            markSwitch(plot, sw, lang, compact);
        }
        return chart;
    }

    /**
     * A platform switch seen in a line's sources: {@code from} sources of the first known period that the last
     * one no longer has, {@code to} the reverse. Between {@code start} (the first period with a {@code to} source)
     * and {@code end} (the end of the last period with a {@code from} source) both were in use; {@code end} equal
     * to {@code start} means a clean cut at that date.
     */
    public record SourceSwitch(List<String> from, List<String> to, LocalDate start, LocalDate end) {

        /** "Kundelik → BilimClass" as a label in {@code lang}. */
        public String label(String lang) {
            return Lang.t(lang, "source.switch", names(from), names(to));
        }

        /** A sentence for a caption: "январь 2026: школа перешла с Kundelik на BilimClass." */
        public String note(String lang) {
            String when = Lang.monthYear(lang, YearMonth.from(start));
            return Lang.t(lang, "source.note", when.substring(0, 1).toUpperCase(Locale.ROOT) + when.substring(1),
                    names(from), names(to));
        }

        private static String names(List<String> sources) {
            return sources.stream().map(Reasons::source).collect(Collectors.joining(", "));
        }
    }

    /** The switch in these points' sources, or null (unknown sources, one platform, or no clear before/after). */
    public static SourceSwitch sourceSwitch(List<ViewBuilder.Point> points) {
        List<ViewBuilder.Point> known = points.stream().filter(p -> p.sources() != null && !p.sources().isEmpty())
                .sorted(Comparator.comparing(ViewBuilder.Point::periodStart)).toList();
        if (known.size() < 2) {
            return null;
        }
        Set<String> first = new TreeSet<>(known.get(0).sources());
        Set<String> last = new TreeSet<>(known.get(known.size() - 1).sources());
        List<String> from = first.stream().filter(x -> !last.contains(x)).toList();
        List<String> to = last.stream().filter(x -> !first.contains(x)).toList();
        if (from.isEmpty() || to.isEmpty()) {
            return null;
        }
        LocalDate start = null;
        int lastOld = -1;
        for (int i = 0; i < known.size(); i++) {
            List<String> src = known.get(i).sources();
            if (start == null && src.stream().anyMatch(to::contains)) {
                start = known.get(i).periodStart();
            }
            if (src.stream().anyMatch(from::contains)) {
                lastOld = i;
            }
        }
        // the last old period ends where the next one starts
        LocalDate end = lastOld + 1 < known.size() ? known.get(lastOld + 1).periodStart()
                : known.get(lastOld).periodStart();
        if (end.isBefore(start)) {
            end = start;
        }
        return new SourceSwitch(from, to, start, end);
    }

    private static final Color SWITCH = new Color(0x7a, 0x5c, 0xa8);

    private void markSwitch(XYPlot plot, SourceSwitch sw, String lang, boolean compact) {
        long start = millis(sw.start());
        long end = millis(sw.end());
        Marker m;
        if (end > start) {
            IntervalMarker band = new IntervalMarker(start, end);
            band.setPaint(new Color(SWITCH.getRed(), SWITCH.getGreen(), SWITCH.getBlue(), 40));
            band.setOutlinePaint(SWITCH);
            band.setOutlineStroke(new BasicStroke(0.6f));
            m = band;
        } else {
            ValueMarker line = new ValueMarker(start);
            line.setPaint(SWITCH);
            line.setStroke(new BasicStroke(1.2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 1f,
                    new float[]{4f, 3f}, 0f));
            m = line;
        }
        if (!compact) {
            // at the bottom of the plot: marks sit mostly high, the band's label would cross the lines up there
            m.setLabel(sw.label(lang));
            m.setLabelFont(fonts.awt(false, 9f));
            m.setLabelPaint(SWITCH.darker());
            m.setLabelBackgroundColor(new Color(255, 255, 255, 220)); // readable over grid lines and the band
            m.setLabelAnchor(RectangleAnchor.BOTTOM_LEFT);
            m.setLabelTextAnchor(TextAnchor.BOTTOM_LEFT);
            m.setLabelOffset(new RectangleInsets(2, 4, 4, 2));
        }
        plot.addDomainMarker(m, Layer.BACKGROUND);
    }

    private static long millis(LocalDate d) {
        return d.atStartOfDay(ZoneId.systemDefault()).toInstant().toEpochMilli();
    }

    /** Tick units of a date axis whose labels are in {@code lang}: days as "14 янв", months as "янв". */
    private static TickUnits tickUnits(String lang, boolean days) {
        TickUnits u = new TickUnits();
        DateFormat day = new LangDateFormat(lang, false);
        DateFormat month = new LangDateFormat(lang, true);
        if (days) {
            for (int n : new int[]{7, 14}) {
                u.add(new DateTickUnit(DateTickUnitType.DAY, n, day));
            }
        }
        for (int n : new int[]{1, 2, 3, 4, 6}) {
            u.add(new DateTickUnit(DateTickUnitType.MONTH, n, month));
        }
        u.add(new DateTickUnit(DateTickUnitType.YEAR, 1, new LangDateFormat(lang, true)));
        return u;
    }

    /** Formats axis dates with {@link Lang}'s month names (the JDK's would depend on the host's locale data). */
    static final class LangDateFormat extends DateFormat {
        private final String lang;
        private final boolean monthOnly;

        LangDateFormat(String lang, boolean monthOnly) {
            this.lang = lang;
            this.monthOnly = monthOnly;
            setCalendar(Calendar.getInstance());
            setNumberFormat(NumberFormat.getIntegerInstance(Locale.ROOT));
        }

        @Override
        public StringBuffer format(Date date, StringBuffer to, FieldPosition pos) {
            LocalDate d = date.toInstant().atZone(ZoneId.systemDefault()).toLocalDate();
            if (!monthOnly) {
                return to.append(Lang.dayMonth(lang, d));
            }
            // month names only: the axis picks its tick spacing from the labels' widths, which a year on some
            // labels would defeat; the title or heading carries the academic year
            return to.append(Lang.month(lang, d.getMonthValue(), false));
        }

        @Override
        public Date parse(String source, ParsePosition pos) {
            return null;
        }
    }

    public record Bar(String category, BigDecimal quality, BigDecimal success) {
    }

    /** Quality and success rate by school (suppressed cells are left out). */
    public JFreeChart quality(List<Bar> bars, String title, String lang) {
        DefaultCategoryDataset ds = new DefaultCategoryDataset();
        String q = Lang.t(lang, "quality");
        String s = Lang.t(lang, "success");
        for (Bar b : bars) {
            if (b.quality() != null) {
                ds.addValue(b.quality(), q, b.category());
            }
            if (b.success() != null) {
                ds.addValue(b.success(), s, b.category());
            }
        }
        JFreeChart chart = ChartFactory.createBarChart(title, Lang.t(lang, "school"), "%", ds,
                PlotOrientation.VERTICAL, true, false, false);
        theme().apply(chart);
        CategoryPlot plot = chart.getCategoryPlot();
        BarRenderer r = (BarRenderer) plot.getRenderer();
        r.setSeriesPaint(0, PUPIL);
        r.setSeriesPaint(1, CLASS);
        r.setItemMargin(0.05);
        ((NumberAxis) plot.getRangeAxis()).setRange(0, 100);
        if (bars.size() > 6) {
            plot.getDomainAxis().setCategoryLabelPositions(CategoryLabelPositions.UP_45);
        }
        return chart;
    }

    public byte[] png(JFreeChart chart, int width, int height) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(32 * 1024);
        try {
            ChartUtils.writeChartAsPNG(out, chart, width, height);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    public String svg(JFreeChart chart, int width, int height) {
        SVGGraphics2D g2 = new SVGGraphics2D(width, height);
        chart.draw(g2, new Rectangle(0, 0, width, height));
        return g2.getSVGDocument();
    }

    private static double num(BigDecimal v) {
        return v == null ? Double.NaN : v.doubleValue();
    }
}
