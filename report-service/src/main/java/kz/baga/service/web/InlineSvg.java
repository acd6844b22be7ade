package kz.baga.service.web;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A chart's SVG made to scale with the page: its fixed size becomes a viewBox, so it fits a phone's 375 px. */
final class InlineSvg {

    private static final Pattern SIZE = Pattern.compile("<svg([^>]*?)\\swidth=['\"]([\\d.]+)['\"]\\s+height=['\"]([\\d.]+)['\"]");

    private InlineSvg() {
    }

    static String responsive(String svg) {
        int start = svg.indexOf("<svg");
        String body = start > 0 ? svg.substring(start) : svg; // no XML declaration inside HTML
        Matcher m = SIZE.matcher(body);
        if (!m.find()) {
            return body;
        }
        return m.replaceFirst("<svg$1 viewBox=\"0 0 $2 $3\" class=\"chart\" role=\"img\" preserveAspectRatio=\"xMidYMid meet\"");
    }
}
