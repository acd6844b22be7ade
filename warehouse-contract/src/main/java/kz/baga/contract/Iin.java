package kz.baga.contract;

import java.time.DateTimeException;
import java.time.LocalDate;

/**
 * The Kazakh individual identification number (ИИН): {@code YYMMDD}, a century-and-sex digit, four serial
 * digits and a check digit (docs/rules.md §7). The pipeline validates IINs with Spark expressions; this class is
 * the reference implementation used by the generator and by the tests that pin those expressions.
 */
public final class Iin {

    private static final int[] SECOND_WEIGHTS = {3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2};

    private Iin() {
    }

    /** The check digit for the first 11 digits, or -1 when no check digit exists (the number can't be valid). */
    public static int checkDigit(String first11) {
        int c = weighted(first11, null);
        if (c == 10) {
            c = weighted(first11, SECOND_WEIGHTS);
        }
        return c == 10 ? -1 : c;
    }

    private static int weighted(String digits, int[] weights) {
        int sum = 0;
        for (int i = 0; i < 11; i++) {
            int d = digits.charAt(i) - '0';
            sum += d * (weights == null ? i + 1 : weights[i]);
        }
        return sum % 11;
    }

    /** The birth date encoded in a 12-digit IIN, or {@code null} if it is not a real calendar date. */
    public static LocalDate birthDate(String iin) {
        // ASCII digits only: Character.isDigit would accept other scripts' digits (e.g. Arabic-Indic).
        if (iin == null || iin.length() != 12 || !iin.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return null;
        }
        int century = iin.charAt(6) - '0';
        int base;
        switch (century) {
            case 1, 2 -> base = 1800;
            case 3, 4 -> base = 1900;
            case 5, 6 -> base = 2000;
            default -> {
                return null;
            }
        }
        try {
            return LocalDate.of(base + Integer.parseInt(iin.substring(0, 2)),
                    Integer.parseInt(iin.substring(2, 4)), Integer.parseInt(iin.substring(4, 6)));
        } catch (DateTimeException e) {
            return null;
        }
    }

    /** Valid ⇔ 12 digits, a real birth date with a known century digit, and a matching check digit. */
    public static boolean isValid(String iin) {
        if (birthDate(iin) == null) {
            return false;
        }
        int c = checkDigit(iin.substring(0, 11));
        return c >= 0 && c == iin.charAt(11) - '0';
    }

    /** Sex from the century digit: odd = male. */
    public static String sex(String iin) {
        return ((iin.charAt(6) - '0') % 2 == 1) ? "M" : "F";
    }

    /**
     * Builds a valid IIN for a birth date, sex and serial number, or {@code null} if this serial has no valid
     * check digit (about 1 in 11 serials; take the next one).
     */
    public static String of(LocalDate birthDate, boolean male, int serial) {
        int year = birthDate.getYear();
        int centuryDigit = switch (year / 100) {
            case 18 -> male ? 1 : 2;
            case 19 -> male ? 3 : 4;
            case 20 -> male ? 5 : 6;
            default -> throw new IllegalArgumentException("birth year out of range: " + year);
        };
        String first11 = String.format("%02d%02d%02d%d%04d", year % 100, birthDate.getMonthValue(),
                birthDate.getDayOfMonth(), centuryDigit, serial % 10000);
        int c = checkDigit(first11);
        return c < 0 ? null : first11 + c;
    }
}
