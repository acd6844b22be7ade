package kz.baga.service.web;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.List;
import java.util.Locale;

import io.quarkus.qute.TemplateData;

/**
 * What every page's frame needs: the language and its words, who is signed in, the navigation, the language
 * switch and the footer's snapshot and rules version.
 */
@TemplateData
public record Page(String lang, String title, String username, String role, List<Link> nav, List<Link> langs,
                   String snapshotId, String rulesVersion) {

    /** A link of the navigation or the language switch; {@code current} marks the page or language shown. */
    @TemplateData
    public record Link(String href, String label, boolean current) {
    }

    public String t(String key) {
        return PageText.t(lang, key);
    }

    public String t(String key, Object arg) {
        return PageText.t(lang, key, arg);
    }

    public String t(String key, Object a, Object b) {
        return PageText.t(lang, key, a, b);
    }

    public boolean signedIn() {
        return username != null;
    }

    /** A number as people read it in the page's language: a decimal comma in kk and ru, one decimal at most. */
    public String num(BigDecimal v) {
        if (v == null) {
            return "–";
        }
        DecimalFormat f = new DecimalFormat("0.#", DecimalFormatSymbols.getInstance("en".equals(lang)
                ? Locale.ENGLISH : Locale.forLanguageTag("ru")));
        return f.format(v.setScale(1, RoundingMode.HALF_UP));
    }

    /** A signed change, e.g. +2,5 or −1. */
    public String delta(BigDecimal v) {
        if (v == null) {
            return "–";
        }
        String s = num(v.abs());
        return v.signum() > 0 ? "+" + s : v.signum() < 0 ? "−" + s : s;
    }

    public String num(Long v) {
        return v == null ? "–" : v.toString();
    }
}
