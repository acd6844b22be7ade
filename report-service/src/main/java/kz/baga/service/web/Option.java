package kz.baga.service.web;

import java.util.ArrayList;
import java.util.List;

import io.quarkus.qute.TemplateData;
import kz.baga.service.i18n.Lang;
import kz.baga.service.warehouse.Snapshot;

/** One choice of a page's select control; the lists the pages share are built here. */
@TemplateData
public record Option(String value, String label, boolean selected) {

    /** The year (term 0) and terms 1-4. */
    static List<Option> terms(String l, int selected) {
        List<Option> out = new ArrayList<>();
        out.add(new Option("0", Lang.t(l, "year.whole"), selected == 0));
        for (int i = 1; i <= 4; i++) {
            out.add(new Option(String.valueOf(i), Lang.t(l, "term.n", i), selected == i));
        }
        return out;
    }

    /** All subjects, then each marked subject of the snapshot (pass/fail ones have no marks to rank or count). */
    static List<Option> subjects(Snapshot snap, String l, String selected) {
        List<Option> out = new ArrayList<>();
        out.add(new Option("ALL", Lang.t(l, "all"), "ALL".equals(selected)));
        snap.subjects().values().stream().filter(x -> !"PASS_FAIL".equals(x.assessment()))
                .forEach(x -> out.add(new Option(x.code(), x.name(l), x.code().equals(selected))));
        return out;
    }
}
