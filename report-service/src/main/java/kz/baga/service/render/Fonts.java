package kz.baga.service.render;

import java.awt.Font;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

import com.lowagie.text.pdf.BaseFont;
import com.lowagie.text.pdf.FontMapper;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * DejaVu Sans (covers Cyrillic and the Kazakh letters Ә Ғ Қ Ң Ө Ұ Ү Һ І), loaded once from the classpath —
 * its licence ships beside it in {@code fonts/DejaVu-LICENSE.txt}. PDFs embed it as Identity-H; charts use the
 * same faces through AWT, and a {@link FontMapper} sends chart text drawn into a PDF to the embedded font.
 */
@ApplicationScoped
public class Fonts {

    private final Font awtRegular;
    private final Font awtBold;
    private final BaseFont regular;
    private final BaseFont bold;
    private final FontMapper mapper;

    public Fonts() {
        byte[] r = load("fonts/DejaVuSans.ttf");
        byte[] b = load("fonts/DejaVuSans-Bold.ttf");
        try {
            awtRegular = Font.createFont(Font.TRUETYPE_FONT, new java.io.ByteArrayInputStream(r));
            awtBold = Font.createFont(Font.TRUETYPE_FONT, new java.io.ByteArrayInputStream(b));
            regular = BaseFont.createFont("DejaVuSans.ttf", BaseFont.IDENTITY_H, BaseFont.EMBEDDED, true, r, null);
            bold = BaseFont.createFont("DejaVuSans-Bold.ttf", BaseFont.IDENTITY_H, BaseFont.EMBEDDED, true, b, null);
        } catch (Exception e) {
            throw new IllegalStateException("cannot load the DejaVu fonts: " + e.getMessage(), e);
        }
        mapper = new FontMapper() {
            @Override
            public BaseFont awtToPdf(Font font) {
                // a face loaded from a file keeps style PLAIN even when it is the bold one: tell them by face name,
                // or chart text is laid out with bold widths but drawn in the regular face (gaps between letters)
                return font.isBold() || font.getFontName().equals(awtBold.getFontName()) ? bold : regular;
            }

            @Override
            public Font pdfToAwt(BaseFont font, int size) {
                return (font == bold ? awtBold : awtRegular).deriveFont((float) size);
            }
        };
    }

    private static byte[] load(String resource) {
        try (InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("font resource missing: " + resource);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Font awt(boolean isBold, float size) {
        return (isBold ? awtBold : awtRegular).deriveFont(size);
    }

    public BaseFont regular() {
        return regular;
    }

    public BaseFont bold() {
        return bold;
    }

    public FontMapper mapper() {
        return mapper;
    }
}
