package kz.baga.service.render;

import java.awt.Graphics2D;
import java.awt.geom.Rectangle2D;
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

import com.lowagie.text.Document;
import com.lowagie.text.Element;
import com.lowagie.text.Font;
import com.lowagie.text.Image;
import com.lowagie.text.PageSize;
import com.lowagie.text.Paragraph;
import com.lowagie.text.Phrase;
import com.lowagie.text.Rectangle;
import com.lowagie.text.pdf.ColumnText;
import com.lowagie.text.pdf.PdfContentByte;
import com.lowagie.text.pdf.PdfPCell;
import com.lowagie.text.pdf.PdfPTable;
import com.lowagie.text.pdf.PdfPageEventHelper;
import com.lowagie.text.pdf.PdfTemplate;
import com.lowagie.text.pdf.PdfWriter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import kz.baga.service.i18n.Lang;
import kz.baga.service.view.ViewBuilder;
import kz.baga.service.warehouse.Snapshot;
import org.jfree.chart.JFreeChart;

/**
 * PDF reports with OpenPDF: embedded DejaVu (Identity-H) so Kazakh letters survive, charts drawn as vectors
 * through a PdfTemplate, and the snapshot id and rules version in every page's footer.
 */
@ApplicationScoped
public class Pdfs {

    @Inject
    Fonts fonts;

    @Inject
    Charts charts;

    private Font f(float size, boolean bold) {
        return new Font(bold ? fonts.bold() : fonts.regular(), size);
    }

    private final class Footer extends PdfPageEventHelper {
        private final String text;

        Footer(String text) {
            this.text = text;
        }

        @Override
        public void onEndPage(PdfWriter writer, Document document) {
            PdfContentByte cb = writer.getDirectContent();
            ColumnText.showTextAligned(cb, Element.ALIGN_LEFT, new Phrase(text, f(7.5f, false)),
                    document.left(), document.bottom() - 18, 0);
            ColumnText.showTextAligned(cb, Element.ALIGN_RIGHT,
                    new Phrase(String.valueOf(writer.getPageNumber()), f(7.5f, false)),
                    document.right(), document.bottom() - 18, 0);
        }
    }

    private interface Body {
        void write(Document doc, PdfWriter writer) throws Exception;
    }

    private byte[] render(Snapshot snap, String lang, boolean landscape, Body body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64 * 1024);
        Document doc = new Document(landscape ? PageSize.A4.rotate() : PageSize.A4, 36, 36, 36, 48);
        try {
            PdfWriter writer = PdfWriter.getInstance(doc, out);
            writer.setPageEvent(new Footer(Lang.t(lang, "footer", snap.id(), snap.rulesVersion())));
            doc.addCreator("Baga report-service");
            doc.open();
            body.write(doc, writer);
            doc.close();
        } catch (Exception e) {
            throw new IllegalStateException("PDF rendering failed: " + e.getMessage(), e);
        }
        return out.toByteArray();
    }

    /** Draws a chart as vectors into a template and returns it as an image element. */
    private Image vector(PdfWriter writer, JFreeChart chart, float w, float h) throws Exception {
        PdfTemplate tp = writer.getDirectContent().createTemplate(w, h);
        Graphics2D g2 = tp.createGraphics(w, h, fonts.mapper());
        chart.draw(g2, new Rectangle2D.Double(0, 0, w, h));
        g2.dispose();
        Image img = Image.getInstance(tp);
        img.setAlignment(Element.ALIGN_CENTER);
        return img;
    }

    private PdfPCell cell(String text, Font font, boolean header) {
        PdfPCell c = new PdfPCell(new Phrase(text == null ? "" : text, font));
        c.setPadding(3);
        if (header) {
            c.setGrayFill(0.9f);
        }
        return c;
    }

    private static final float HEADER_SIZE = 8.5f;
    private static final float PADDING = 3;

    /**
     * A table as wide as the page's text with a header row. Column widths follow {@code weights}, but no column is
     * narrower than the longest word of its header, so headers wrap between words, never inside one.
     */
    private PdfPTable table(Document doc, float[] weights, String... headers) {
        float[] widths = fitWidths(doc.right() - doc.left(), weights, headers);
        PdfPTable t = new PdfPTable(widths.length);
        try {
            t.setTotalWidth(widths);
        } catch (com.lowagie.text.DocumentException e) {
            throw new IllegalStateException(e);
        }
        t.setLockedWidth(true);
        t.setSpacingBefore(6);
        t.setSpacingAfter(8);
        t.setHeaderRows(1);
        for (String h : headers) {
            t.addCell(cell(h, f(HEADER_SIZE, true), true));
        }
        return t;
    }

    /** Widths in points: proportional to {@code weights}, each at least its header's longest word. */
    float[] fitWidths(float total, float[] weights, String[] headers) {
        int n = weights.length;
        float[] min = new float[n];
        for (int i = 0; i < n; i++) {
            float word = 0;
            for (String w : headers[i].split("\\s+")) {
                word = Math.max(word, fonts.bold().getWidthPoint(w, HEADER_SIZE));
            }
            min[i] = word + 2 * PADDING + 2;
        }
        float[] w = new float[n];
        boolean[] fixed = new boolean[n];
        // columns below their minimum are fixed at it; the rest share what is left by weight, until none is below
        for (boolean changed = true; changed; ) {
            changed = false;
            float left = total;
            float weight = 0;
            for (int i = 0; i < n; i++) {
                if (fixed[i]) {
                    left -= min[i];
                } else {
                    weight += weights[i];
                }
            }
            for (int i = 0; i < n; i++) {
                w[i] = fixed[i] ? min[i] : Math.max(0, left) * weights[i] / weight;
                if (!fixed[i] && w[i] < min[i]) {
                    fixed[i] = true;
                    changed = true;
                }
            }
        }
        return w;
    }

    private static final float HEADING_SIZE = 12;

    private Paragraph heading(String text) {
        Paragraph p = new Paragraph(text, f(HEADING_SIZE, true));
        p.setSpacingBefore(8);
        return p;
    }

    /** What a heading takes on the page: its spacing before and one line. */
    private static float headingHeight() {
        return 8 + HEADING_SIZE * 1.5f;
    }

    /**
     * Keep-with-next: starts a new page unless {@code needed} points fit above the bottom margin, so a heading is
     * never left at a page's foot without the start of what it heads.
     */
    private static void keepSpace(Document doc, PdfWriter writer, float needed) {
        if (writer.getVerticalPosition(true) - needed < doc.bottom()) {
            doc.newPage();
        }
    }

    /** A heading followed by a table, kept together with the table's header and first rows. */
    private void section(Document doc, PdfWriter writer, String title, PdfPTable t) throws Exception {
        float start = t.spacingBefore();
        for (int i = 0; i < Math.min(t.size(), 3); i++) {
            start += t.getRowHeight(i);
        }
        keepSpace(doc, writer, headingHeight() + start);
        doc.add(heading(title));
        doc.add(t);
    }

    // ---------------------------------------------------------------- pupil term report

    public record PupilReport(Snapshot snapshot, String lang, String schoolName, ViewBuilder.Grades grades,
                              ViewBuilder.Analytics analytics, int term, List<ViewBuilder.Point> overallDynamics) {
    }

    public byte[] pupilReport(PupilReport r) {
        String lang = r.lang();
        return render(r.snapshot(), lang, false, (doc, writer) -> {
            ViewBuilder.Grades g = r.grades();
            doc.add(new Paragraph(Lang.t(lang, "pupil.report"), f(16, true)));
            String termText = r.term() == 0 ? Lang.t(lang, "year.whole") : Lang.t(lang, "term.n", r.term());
            doc.add(new Paragraph(Lang.t(lang, "pupil") + ": " + nz(g.name()) + "    " + Lang.t(lang, "class") + ": "
                    + nz(g.classLabel()), f(10.5f, false)));
            doc.add(new Paragraph(Lang.t(lang, "school") + ": " + nz(r.schoolName()) + "    " + Lang.t(lang, "year")
                    + ": " + g.academicYear() + "    " + Lang.t(lang, "term") + ": " + termText, f(10.5f, false)));

            PdfPTable t = table(doc, new float[]{4, 1, 1, 1, 1, 1.3f, 1.3f}, Lang.t(lang, "subject"),
                    Lang.t(lang, "term.n", 1), Lang.t(lang, "term.n", 2), Lang.t(lang, "term.n", 3),
                    Lang.t(lang, "term.n", 4), Lang.t(lang, "annual"), Lang.t(lang, "final"));
            Font cellFont = f(9, false);
            Font strong = f(9, true);
            for (ViewBuilder.SubjectMarks s : g.subjects()) {
                t.addCell(cell(s.subjectName(), cellFont, false));
                for (int term = 1; term <= 4; term++) {
                    final int tt = term;
                    String mark = s.terms().stream().filter(m -> m.term() == tt).map(m -> String.valueOf(m.mark()))
                            .findFirst().orElse("–");
                    t.addCell(cell(mark, term == r.term() ? strong : cellFont, false));
                }
                t.addCell(cell(s.annual() == null ? "–" : String.valueOf(s.annual().mark()), cellFont, false));
                t.addCell(cell(s.annual() == null || s.annual().finalMark() == null ? "–"
                        : String.valueOf(s.annual().finalMark()), cellFont, false));
            }
            section(doc, writer, Lang.t(lang, "marks"), t);

            ViewBuilder.Analytics a = r.analytics();
            List<Paragraph> places = new ArrayList<>();
            for (ViewBuilder.Place p : a.places()) {
                if (!"ALL".equals(p.subjectCode()) || (p.term() != r.term() && p.term() != 0)) {
                    continue;
                }
                String when = p.term() == 0 ? Lang.t(lang, "year.whole") : Lang.t(lang, "term.n", p.term());
                places.add(new Paragraph(when + ": " + Lang.t(lang, "place.of", p.rank(), p.classSize()) + " · "
                        + Lang.t(lang, "avg.mark") + " " + fmt(p.avgMark(), lang) + " · " + Lang.t(lang, "class.avg") + " "
                        + fmt(p.classAvgMark(), lang), f(10, false)));
            }
            keepSpace(doc, writer, headingHeight() + 15 * Math.max(1, places.size()));
            doc.add(heading(Lang.t(lang, "place")));
            for (Paragraph p : places) {
                doc.add(p);
            }

            if (a.medals().isEmpty()) {
                keepSpace(doc, writer, headingHeight() + 15);
                doc.add(heading(Lang.t(lang, "medals")));
                doc.add(new Paragraph(Lang.t(lang, "none"), f(10, false)));
            } else {
                PdfPTable mt = table(doc, new float[]{2.2f, 1.6f, 6}, Lang.t(lang, "award"), Lang.t(lang, "status"),
                        Lang.t(lang, "reasons"));
                for (ViewBuilder.MedalStatus m : a.medals()) {
                    mt.addCell(cell(Lang.t(lang, "award." + m.award()), cellFont, false));
                    mt.addCell(cell(Lang.t(lang, "status." + m.status()), strong, false));
                    mt.addCell(cell(abbreviate(m.reasons(), 600), f(7.5f, false), false));
                }
                section(doc, writer, Lang.t(lang, "medals"), mt);
            }

            if (!r.overallDynamics().isEmpty()) {
                float width = doc.right() - doc.left();
                float height = 230;
                Charts.SourceSwitch sw = Charts.sourceSwitch(r.overallDynamics());
                keepSpace(doc, writer, headingHeight() + height + (sw == null ? 0 : 14));
                doc.add(heading(Lang.t(lang, "dynamics") + " · " + g.academicYear()));
                doc.add(vector(writer, charts.dynamics(r.overallDynamics(), null, lang), width, height));
                if (sw != null) {
                    doc.add(new Paragraph(sw.note(lang), f(8, false)));
                }
                // one small chart per subject: which subject moves shows at a glance, without a dozen crossing lines
                if (!a.dynamics().isEmpty()) {
                    PdfPTable grid = new PdfPTable(3);
                    grid.setTotalWidth(width);
                    grid.setLockedWidth(true);
                    grid.setSpacingBefore(4);
                    float cw = width / 3;
                    float ch = 110;
                    for (ViewBuilder.SubjectDynamics sd : a.dynamics()) {
                        PdfPCell c = new PdfPCell(vector(writer, charts.dynamics(sd.points(), sd.subjectName(), lang,
                                true), cw - 4, ch), false);
                        c.setBorder(Rectangle.NO_BORDER);
                        c.setPadding(2);
                        grid.addCell(c);
                    }
                    grid.getDefaultCell().setBorder(Rectangle.NO_BORDER);
                    grid.completeRow();
                    keepSpace(doc, writer, headingHeight() + ch + 8);
                    doc.add(heading(Lang.t(lang, "by.subject.dynamics")));
                    doc.add(new Paragraph(Lang.t(lang, "pupil.line") + " — " + Lang.t(lang, "solid") + ", "
                            + Lang.t(lang, "class.avg").toLowerCase(java.util.Locale.ROOT) + " — "
                            + Lang.t(lang, "dashed"), f(8, false)));
                    doc.add(grid);
                }
            }
        });
    }

    // ---------------------------------------------------------------- medal candidates

    public byte[] medalCandidates(Snapshot snap, String lang, String schoolName, String year,
                                  List<ViewBuilder.Candidate> candidates) {
        return render(snap, lang, true, (doc, writer) -> {
            doc.add(new Paragraph(Lang.t(lang, "medal.candidates"), f(16, true)));
            doc.add(new Paragraph(Lang.t(lang, "school") + ": " + nz(schoolName) + "    " + Lang.t(lang, "year") + ": "
                    + year, f(10.5f, false)));
            PdfPTable t = table(doc, new float[]{3.2f, 0.9f, 2.2f, 1.6f, 8}, Lang.t(lang, "pupil"), Lang.t(lang, "class"),
                    Lang.t(lang, "award"), Lang.t(lang, "status"), Lang.t(lang, "reasons"));
            Font font = f(8.5f, false);
            for (ViewBuilder.Candidate c : candidates) {
                t.addCell(cell(c.name(), font, false));
                t.addCell(cell(c.classLabel(), font, false));
                t.addCell(cell(Lang.t(lang, "award." + c.award()), font, false));
                t.addCell(cell(Lang.t(lang, "status." + c.status()), f(8.5f, true), false));
                t.addCell(cell(abbreviate(c.reasons(), 500), f(7.5f, false), false));
            }
            doc.add(t);
        });
    }

    // ---------------------------------------------------------------- district report

    public record DistrictReport(Snapshot snapshot, String lang, String districtName, String year, int term,
                                 ViewBuilder.Indicators current, ViewBuilder.Indicators previous) {
    }

    public byte[] districtReport(DistrictReport r) {
        String lang = r.lang();
        return render(r.snapshot(), lang, true, (doc, writer) -> {
            doc.add(new Paragraph(Lang.t(lang, "district.report") + ": " + nz(r.districtName()), f(16, true)));
            String termText = r.term() == 0 ? Lang.t(lang, "year.whole") : Lang.t(lang, "term.n", r.term());
            doc.add(new Paragraph(Lang.t(lang, "year") + ": " + r.year() + "    " + Lang.t(lang, "term") + ": "
                    + termText, f(10.5f, false)));
            doc.add(new Paragraph(Lang.t(lang, "suppressed.note"), f(8, false)));

            // by school: all grades, all subjects
            List<ViewBuilder.IndicatorRow> bySchool = r.current().schools().stream()
                    .filter(x -> x.gradeLevel() == 0 && "ALL".equals(x.subjectCode())).toList();
            Map<String, ViewBuilder.IndicatorRow> prevBySchool = new LinkedHashMap<>();
            if (r.previous() != null) {
                r.previous().schools().stream().filter(x -> x.gradeLevel() == 0 && "ALL".equals(x.subjectCode()))
                        .forEach(x -> prevBySchool.put(x.schoolId(), x));
            }
            PdfPTable ts = indicatorTable(doc, lang, Lang.t(lang, "school"));
            for (ViewBuilder.IndicatorRow x : bySchool) {
                indicatorRow(lang, ts, nz(x.schoolName()) + " (" + x.schoolId() + ")", x, prevBySchool.get(x.schoolId()));
            }
            section(doc, writer, Lang.t(lang, "by.school"), ts);

            List<Charts.Bar> bars = new ArrayList<>();
            for (ViewBuilder.IndicatorRow x : bySchool) {
                bars.add(new Charts.Bar(x.schoolId(), x.qualityRate(), x.successRate()));
            }
            if (!bars.isEmpty()) {
                keepSpace(doc, writer, 250);
                doc.add(vector(writer, charts.quality(bars, Lang.t(lang, "quality.chart"), lang), 700, 250));
            }

            // district by grade level (all subjects) and by subject (all grades)
            Map<Integer, ViewBuilder.IndicatorRow> prevGrade = new TreeMap<>();
            Map<String, ViewBuilder.IndicatorRow> prevSubject = new TreeMap<>();
            if (r.previous() != null) {
                for (ViewBuilder.IndicatorRow x : r.previous().district()) {
                    if ("ALL".equals(x.subjectCode())) {
                        prevGrade.put(x.gradeLevel(), x);
                    }
                    if (x.gradeLevel() == 0) {
                        prevSubject.put(x.subjectCode(), x);
                    }
                }
            }
            PdfPTable tg = indicatorTable(doc, lang, Lang.t(lang, "grade"));
            r.current().district().stream().filter(x -> "ALL".equals(x.subjectCode()))
                    .sorted(Comparator.comparingInt(ViewBuilder.IndicatorRow::gradeLevel))
                    .forEach(x -> indicatorRow(lang, tg, x.gradeLevel() == 0 ? Lang.t(lang, "all")
                            : String.valueOf(x.gradeLevel()), x, prevGrade.get(x.gradeLevel())));
            section(doc, writer, Lang.t(lang, "by.grade"), tg);

            PdfPTable tsub = indicatorTable(doc, lang, Lang.t(lang, "subject"));
            r.current().district().stream().filter(x -> x.gradeLevel() == 0 && !"ALL".equals(x.subjectCode()))
                    .sorted(Comparator.comparing(x -> r.snapshot().subjectName(x.subjectCode(), lang)))
                    .forEach(x -> indicatorRow(lang, tsub, r.snapshot().subjectName(x.subjectCode(), lang), x,
                            prevSubject.get(x.subjectCode())));
            section(doc, writer, Lang.t(lang, "by.subject"), tsub);
        });
    }

    private PdfPTable indicatorTable(Document doc, String lang, String first) {
        return table(doc, new float[]{4.5f, 1.2f, 1.4f, 1.4f, 1.2f, 1.2f, 1.4f}, first, Lang.t(lang, "pupils.n"),
                Lang.t(lang, "quality"), Lang.t(lang, "success"), Lang.t(lang, "sou"), Lang.t(lang, "avg.mark"),
                Lang.t(lang, "change"));
    }

    private void indicatorRow(String lang, PdfPTable t, String label, ViewBuilder.IndicatorRow x,
                              ViewBuilder.IndicatorRow prev) {
        Font font = f(8.5f, false);
        t.addCell(cell(label, font, false));
        if (x.suppressed()) {
            for (int i = 0; i < 5; i++) {
                t.addCell(cell("<5", font, false));
            }
            t.addCell(cell("–", font, false));
            return;
        }
        t.addCell(cell(String.valueOf(x.n()), font, false));
        t.addCell(cell(fmt(x.qualityRate(), lang), font, false));
        t.addCell(cell(fmt(x.successRate(), lang), font, false));
        t.addCell(cell(fmt(x.sou(), lang), font, false));
        t.addCell(cell(fmt(x.avgMark(), lang), font, false));
        String change = "–";
        if (prev != null && !prev.suppressed() && prev.qualityRate() != null && x.qualityRate() != null) {
            BigDecimal d = x.qualityRate().subtract(prev.qualityRate()).setScale(2, RoundingMode.HALF_UP);
            change = (d.signum() > 0 ? "+" : "") + fmt(d, lang);
        }
        t.addCell(cell(change, font, false));
    }

    /** Two decimals, with a decimal comma in kk and ru. */
    private static String fmt(BigDecimal v, String lang) {
        if (v == null) {
            return "–";
        }
        String text = v.setScale(2, RoundingMode.HALF_UP).toPlainString();
        return "en".equals(lang) ? text : text.replace('.', ',');
    }

    private static String nz(String s) {
        return Objects.requireNonNullElse(s, "");
    }

    private static String abbreviate(String s, int max) {
        if (s == null) {
            return "";
        }
        return s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }

    static Rectangle a4() {
        return PageSize.A4;
    }
}
