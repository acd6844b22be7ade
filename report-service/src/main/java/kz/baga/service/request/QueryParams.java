package kz.baga.service.request;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

import kz.baga.service.error.BadParameterException;
import kz.baga.service.warehouse.Snapshot;

/**
 * Validation of the query parameters the API and the pages share; every failure is a {@link BadParameterException}
 * naming the parameter.
 */
public final class QueryParams {

    private QueryParams() {
    }

    /** term 0 (the year) to 4; {@code null} when absent and {@code dflt} is null. */
    public static Integer term(String param, Integer dflt) {
        if (param == null || param.isBlank()) {
            return dflt;
        }
        try {
            int t = Integer.parseInt(param.trim());
            if (t < 0 || t > 4) {
                throw new BadParameterException("term", "term must be 0 (the year) to 4 (got " + t + ")");
            }
            return t;
        } catch (NumberFormatException e) {
            throw new BadParameterException("term", "term must be a number 0-4 (got '" + param + "')");
        }
    }

    /** A subject code of the snapshot, or {@code ALL} where {@code allowAll}. */
    public static String subject(String param, Snapshot snap, boolean allowAll, String dflt) {
        if (param == null || param.isBlank()) {
            if (dflt == null) {
                throw new BadParameterException("subject", "subject is required (a code such as ALG)");
            }
            return dflt;
        }
        String s = param.trim();
        if ((allowAll && s.equals("ALL")) || snap.subjects().containsKey(s)) {
            return s;
        }
        throw new BadParameterException("subject", "unknown subject '" + param + "'");
    }

    /** An optional whole number within {@code min..max}; anything else is a 400 naming the parameter. */
    public static Integer integer(String param, String name, int min, int max) {
        if (param == null || param.isBlank()) {
            return null;
        }
        try {
            int v = Integer.parseInt(param.trim());
            if (v >= min && v <= max) {
                return v;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new BadParameterException(name, name + " must be a whole number " + min + "-" + max + " (got '"
                + param + "')");
    }

    public static Integer grade(String param) {
        if (param == null || param.isBlank()) {
            return null;
        }
        try {
            int g = Integer.parseInt(param.trim());
            if (g < 0 || g > 11) {
                throw new BadParameterException("grade", "grade must be 0 (all) to 11 (got " + g + ")");
            }
            return g;
        } catch (NumberFormatException e) {
            throw new BadParameterException("grade", "grade must be a number 0-11 (got '" + param + "')");
        }
    }

    /** An ISO date (a day; {@code to} then means the end of that day) or an ISO instant. */
    public static Instant instant(String v, String name, boolean endOfDay) {
        try {
            if (v.length() == 10) {
                LocalDate d = LocalDate.parse(v);
                return (endOfDay ? d.plusDays(1) : d).atStartOfDay().toInstant(ZoneOffset.UTC);
            }
            return Instant.parse(v);
        } catch (DateTimeParseException e) {
            throw new BadParameterException(name, name + " must be a date (2026-01-31) or an instant "
                    + "(2026-01-31T10:00:00Z), got '" + v + "'");
        }
    }
}
