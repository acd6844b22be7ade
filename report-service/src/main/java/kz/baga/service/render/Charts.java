package kz.baga.service.render;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Rectangle;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import kz.baga.service.api.Views;
import kz.baga.service.i18n.Lang;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.StandardChartTheme;
import org.jfree.chart.axis.CategoryLabelPositions;
import org.jfree.chart.axis.NumberAxis;
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

    /** The pupil's line against the class average, per period. */
    public JFreeChart dynamics(List<Views.Point> points, String title, String lang) {
        TimeSeries pupil = new TimeSeries(Lang.t(lang, "pupil.line"));
        TimeSeries cls = new TimeSeries(Lang.t(lang, "class.avg"));
        for (Views.Point p : points) {
            Day d = new Day(p.periodStart().getDayOfMonth(), p.periodStart().getMonthValue(), p.periodStart().getYear());
            pupil.addOrUpdate(d, num(p.avgPct()));
            if (p.classAvgPct() != null) {
                cls.addOrUpdate(d, num(p.classAvgPct()));
            }
        }
        TimeSeriesCollection ds = new TimeSeriesCollection();
        ds.addSeries(pupil);
        ds.addSeries(cls);
        JFreeChart chart = ChartFactory.createTimeSeriesChart(title, Lang.t(lang, "period"), Lang.t(lang, "pct"), ds,
                true, false, false);
        theme().apply(chart);
        XYPlot plot = chart.getXYPlot();
        XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, true);
        r.setSeriesPaint(0, PUPIL);
        r.setSeriesPaint(1, CLASS);
        r.setSeriesStroke(0, new BasicStroke(2.2f));
        r.setSeriesStroke(1, new BasicStroke(1.6f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND, 1f,
                new float[]{6f, 4f}, 0f));
        plot.setRenderer(r);
        NumberAxis range = (NumberAxis) plot.getRangeAxis();
        range.setRange(0, 100);
        return chart;
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
