package kz.baga.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.font.PDFont;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.text.PDFTextStripper;

/** Parses a PDF back: its text, page by page, whether every font is embedded, how its headings sit. */
public final class Pdf {

    private Pdf() {
    }

    public static String text(byte[] pdf) {
        try (PDDocument doc = Loader.loadPDF(pdf)) {
            return new PDFTextStripper().getText(doc);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The text of each page, in order. */
    public static List<String> pages(byte[] pdf) {
        try (PDDocument doc = Loader.loadPDF(pdf)) {
            java.util.List<String> out = new java.util.ArrayList<>();
            PDFTextStripper s = new PDFTextStripper();
            s.setSortByPosition(true);
            for (int i = 1; i <= doc.getNumberOfPages(); i++) {
                s.setStartPage(i);
                s.setEndPage(i);
                out.add(s.getText(doc));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static boolean allFontsEmbedded(byte[] pdf) {
        try (PDDocument doc = Loader.loadPDF(pdf)) {
            for (PDPage page : doc.getPages()) {
                for (var name : page.getResources().getFontNames()) {
                    PDFont f = page.getResources().getFont(name);
                    if (!f.isEmbedded()) {
                        return false;
                    }
                }
            }
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Vector charts come in as form XObjects, not raster images. */
    public static int rasterImages(byte[] pdf) {
        try (PDDocument doc = Loader.loadPDF(pdf)) {
            int n = 0;
            for (PDPage page : doc.getPages()) {
                for (var name : page.getResources().getXObjectNames()) {
                    if (page.getResources().getXObject(name) instanceof org.apache.pdfbox.pdmodel.graphics.image.PDImageXObject) {
                        n++;
                    }
                }
            }
            return n;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Each heading shares its page with the start of what it heads ({@code headingAndStart}: heading, then the
     * first words that must follow it on the same page), e.g. a table's first header or a chart's axis label.
     */
    public static void assertHeadingsKeepTheirContent(List<String> pages, String lang,
                                                      List<String[]> headingAndStart) {
        for (String[] hs : headingAndStart) {
            boolean found = false;
            for (int i = 0; i < pages.size(); i++) {
                String page = pages.get(i);
                int h = page.indexOf(hs[0] + "\n");
                if (h < 0) {
                    h = page.indexOf(hs[0] + " ");
                }
                if (h < 0) {
                    continue;
                }
                found = true;
                assertThat(page.indexOf(hs[1], h + hs[0].length())).as("'%s' on page %d (%s) followed by '%s'",
                        hs[0], i + 1, lang, hs[1]).isGreaterThan(h);
            }
            assertThat(found).as("heading '%s' (%s)", hs[0], lang).isTrue();
        }
    }
}
