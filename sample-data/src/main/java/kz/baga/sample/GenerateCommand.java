package kz.baga.sample;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.TreeSet;

/**
 * {@code baga generate}: writes a synthetic district in Baga's input layout (docs/pipeline.md, "Input layout").
 * The same arguments give the same bytes.
 */
public final class GenerateCommand {

    static final String PREFIX = "baga generate: ";

    static final String USAGE = String.join("\n",
            "usage: baga generate --out DIR [--schools N] [--seed S] [--year YYYY-YYYY]",
            "                     [--classes-per-grade K] [--grades LIST] [--pupils MIN-MAX] [--bad-rate R]",
            "",
            "Writes a synthetic district (schools.csv, students.csv, subjects.csv, events/, sources/kundelik/)",
            "into DIR. The same arguments always give byte-identical files.",
            "",
            "  --out DIR              output folder (created if missing; generated files are overwritten)",
            "  --schools N            number of schools, 1-9999 (default 3)",
            "  --seed S               random seed, a whole number (default 2026)",
            "  --year YYYY-YYYY       the current academic year, e.g. 2025-2026 (default 2025-2026)",
            "  --classes-per-grade K  classes per grade level and school, 1-15 (default 2)",
            "  --grades LIST          grade levels: a range and/or a comma list, e.g. 2-11, 9-11, 5,9,10,11 (default 2-11)",
            "  --pupils MIN-MAX       pupils per class, 1-60 (default 25-30)",
            "  --bad-rate R           share of canonical events followed by a bad row, 0-0.5 (default 0.001)",
            "  --help                 print this help");

    private GenerateCommand() {
    }

    public static void main(String[] args) {
        int code = run(args, System.out, System.err);
        System.out.flush();
        if (code != 0) {
            System.exit(code);
        }
    }

    /** Runs the command; returns the exit status (0 ok, 2 bad arguments, 1 failure while writing). */
    static int run(String[] args, PrintStream out, PrintStream err) {
        Options options;
        try {
            options = parse(args);
        } catch (HelpRequested e) {
            out.println(USAGE);
            return 0;
        } catch (BadArgument e) {
            err.println(PREFIX + e.getMessage());
            return 2;
        }
        long start = System.nanoTime();
        try {
            Generator.Summary s = new Generator(options, err).generate();
            double seconds = (System.nanoTime() - start) / 1e9;
            if (s.badRows() > 0) {
                StringBuilder types = new StringBuilder();
                Generator.BadType[] all = Generator.BadType.values();
                for (int i = 0; i < all.length; i++) {
                    types.append(i == 0 ? "" : ", ").append(all[i].name()).append(' ').append(s.badByType()[i]);
                }
                err.println(PREFIX + "bad rows by type: " + types);
            }
            out.println(String.format(Locale.ROOT,
                    "generated %d schools, %d pupils, %d events (bilimclass %d, kundelik %d; %d corrections, %d bad rows,"
                            + " %d kundelik term marks off their works), %d bytes in %s (%.1f s, %.0f events/s)",
                    s.schools(), s.pupils(), s.events(), s.bilimclassEvents(), s.kundelikEvents(), s.corrections(),
                    s.badRows(), s.kundelikConflicts(), s.bytes(), options.out(), seconds, s.events() / Math.max(seconds, 1e-9)));
            return 0;
        } catch (IOException | UncheckedIOException e) {
            err.println(PREFIX + "cannot write to " + options.out() + ": " + e.getMessage()
                    + " (check that the folder is writable and the disk has space)");
            return 1;
        }
    }

    static final class BadArgument extends Exception {
        BadArgument(String message) {
            super(message);
        }
    }

    static final class HelpRequested extends Exception {
        HelpRequested() {
            super("help");
        }
    }

    static Options parse(String[] args) throws BadArgument, HelpRequested {
        Path out = null;
        int schools = 3;
        long seed = 2026;
        int firstYear = 2025;
        int classes = 2;
        int[] grades = range(2, 11);
        int pupilsMin = 25;
        int pupilsMax = 30;
        double badRate = 0.001;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--help") || a.equals("-h")) {
                throw new HelpRequested();
            }
            String name = a;
            String value;
            int eq = a.indexOf('=');
            if (a.startsWith("--") && eq > 0) {
                name = a.substring(0, eq);
                value = a.substring(eq + 1);
            } else {
                value = null;
            }
            if (!name.startsWith("--")) {
                throw new BadArgument("unexpected argument '" + a + "'; options start with --, see --help");
            }
            if (!isKnown(name)) {
                throw new BadArgument("unknown option '" + name + "'; run with --help for the list of options");
            }
            if (value == null) {
                if (i + 1 >= args.length) {
                    throw new BadArgument("option " + name + " needs a value, e.g. " + example(name));
                }
                value = args[++i];
            }
            switch (name) {
                case "--out" -> {
                    if (value.isBlank()) {
                        throw new BadArgument("--out needs a folder path, e.g. --out /tmp/district");
                    }
                    out = Path.of(value);
                }
                case "--schools" -> schools = intIn(name, value, 1, 9999);
                case "--seed" -> {
                    try {
                        seed = Long.parseLong(value.trim());
                    } catch (NumberFormatException e) {
                        throw new BadArgument("--seed must be a whole number, got '" + value + "'; e.g. --seed 2026");
                    }
                }
                case "--year" -> firstYear = year(value);
                case "--classes-per-grade" -> classes = intIn(name, value, 1, Generator.CLASS_LETTERS.length);
                case "--grades" -> grades = grades(value);
                case "--pupils" -> {
                    int[] r = pupils(value);
                    pupilsMin = r[0];
                    pupilsMax = r[1];
                }
                case "--bad-rate" -> badRate = rate(value);
                default -> throw new BadArgument("unknown option '" + name + "'; run with --help");
            }
        }
        if (out == null) {
            throw new BadArgument("missing --out DIR; say where to write the district, e.g. --out /tmp/district");
        }
        if (Files.exists(out) && !Files.isDirectory(out)) {
            throw new BadArgument("--out " + out + " is a file, not a folder; give a folder path");
        }
        return new Options(out, schools, seed, firstYear, classes, grades, pupilsMin, pupilsMax, badRate);
    }

    private static boolean isKnown(String name) {
        return switch (name) {
            case "--out", "--schools", "--seed", "--year", "--classes-per-grade", "--grades", "--pupils",
                    "--bad-rate" -> true;
            default -> false;
        };
    }

    private static String example(String name) {
        return switch (name) {
            case "--out" -> "--out /tmp/district";
            case "--schools" -> "--schools 3";
            case "--seed" -> "--seed 2026";
            case "--year" -> "--year 2025-2026";
            case "--classes-per-grade" -> "--classes-per-grade 2";
            case "--grades" -> "--grades 2-11";
            case "--pupils" -> "--pupils 25-30";
            default -> "--bad-rate 0.001";
        };
    }

    private static int intIn(String name, String value, int lo, int hi) throws BadArgument {
        int v;
        try {
            v = Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new BadArgument(name + " must be a whole number from " + lo + " to " + hi + ", got '" + value + "'");
        }
        if (v < lo || v > hi) {
            throw new BadArgument(name + " must be from " + lo + " to " + hi + ", got " + v);
        }
        return v;
    }

    private static int year(String value) throws BadArgument {
        String v = value.trim();
        String hint = "; use two consecutive years like --year 2025-2026";
        if (!v.matches("\\d{4}-\\d{4}")) {
            throw new BadArgument("--year must look like 2025-2026, got '" + value + "'" + hint);
        }
        int y1 = Integer.parseInt(v.substring(0, 4));
        int y2 = Integer.parseInt(v.substring(5));
        if (y2 != y1 + 1) {
            throw new BadArgument("--year " + v + " is not two consecutive years" + hint);
        }
        if (y1 < 2010 || y1 > 2090) {
            throw new BadArgument("--year must start between 2010 and 2090, got " + v + hint);
        }
        return y1;
    }

    private static int[] grades(String value) throws BadArgument {
        TreeSet<Integer> set = new TreeSet<>();
        String hint = "; use grade levels 1-11 as a range or comma list, e.g. --grades 2-11 or --grades 5,9,10,11";
        for (String part : value.split(",", -1)) {
            String p = part.trim();
            try {
                if (p.matches("\\d+-\\d+")) {
                    int a = Integer.parseInt(p.substring(0, p.indexOf('-')));
                    int b = Integer.parseInt(p.substring(p.indexOf('-') + 1));
                    if (a > b || a < 1 || b > 11) {
                        throw new BadArgument("--grades range '" + p + "' is not within 1-11 or is reversed" + hint);
                    }
                    for (int g = a; g <= b; g++) {
                        set.add(g);
                    }
                } else if (p.matches("\\d+")) {
                    int g = Integer.parseInt(p);
                    if (g < 1 || g > 11) {
                        throw new BadArgument("--grades has grade " + g + " outside 1-11" + hint);
                    }
                    set.add(g);
                } else {
                    throw new BadArgument("--grades cannot read '" + p + "' in '" + value + "'" + hint);
                }
            } catch (NumberFormatException e) {
                throw new BadArgument("--grades cannot read '" + p + "'" + hint);
            }
        }
        return set.stream().mapToInt(Integer::intValue).toArray();
    }

    private static int[] pupils(String value) throws BadArgument {
        String v = value.trim();
        String hint = "; give a class-size range within 1-60 like --pupils 25-30";
        int lo;
        int hi;
        try {
            if (v.matches("\\d+-\\d+")) {
                lo = Integer.parseInt(v.substring(0, v.indexOf('-')));
                hi = Integer.parseInt(v.substring(v.indexOf('-') + 1));
            } else if (v.matches("\\d+")) {
                lo = hi = Integer.parseInt(v);
            } else {
                throw new BadArgument("--pupils must look like 25-30, got '" + value + "'" + hint);
            }
        } catch (NumberFormatException e) {
            throw new BadArgument("--pupils must look like 25-30, got '" + value + "'" + hint);
        }
        if (lo < 1 || hi > 60 || lo > hi) {
            throw new BadArgument("--pupils " + v + " is out of range or reversed" + hint);
        }
        return new int[] {lo, hi};
    }

    private static double rate(String value) throws BadArgument {
        double r;
        try {
            r = Double.parseDouble(value.trim());
        } catch (NumberFormatException e) {
            throw new BadArgument("--bad-rate must be a number from 0 to 0.5, got '" + value + "'; e.g. --bad-rate 0.001");
        }
        if (!(r >= 0 && r <= 0.5)) {
            throw new BadArgument("--bad-rate must be from 0 to 0.5, got " + value + "; e.g. --bad-rate 0.001");
        }
        return r;
    }

    static int[] range(int a, int b) {
        int[] r = new int[b - a + 1];
        for (int i = 0; i < r.length; i++) {
            r[i] = a + i;
        }
        return r;
    }
}
