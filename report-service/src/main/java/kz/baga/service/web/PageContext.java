package kz.baga.service.web;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.quarkus.security.identity.SecurityIdentity;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import kz.baga.service.error.BadParameterException;
import kz.baga.service.i18n.Lang;
import kz.baga.service.security.Account;
import kz.baga.service.security.DbIdentityProvider;
import kz.baga.service.security.Roles;
import kz.baga.service.warehouse.Snapshot;
import kz.baga.service.warehouse.SnapshotRegistry;

/**
 * The page request's language and frame. The language is {@code ?lang=} (kept in a cookie from then on), else
 * that cookie, else Accept-Language, else Russian.
 */
@RequestScoped
public class PageContext {

    public static final String LANG_COOKIE = "baga-lang";

    @Inject
    SecurityIdentity identity;

    @Inject
    HttpServerRequest request;

    @Inject
    SnapshotRegistry snapshots;

    private String lang;

    public String lang() {
        if (lang == null) {
            lang = resolve();
        }
        return lang;
    }

    private String resolve() {
        String param = request.getParam("lang");
        if (param != null && !param.isBlank()) {
            String l = param.trim().toLowerCase(Locale.ROOT);
            if (!Lang.SUPPORTED.contains(l)) {
                lang = "ru"; // the error page itself needs a language
                throw new BadParameterException("lang", "lang must be one of kk, ru, en (got '" + param + "')");
            }
            request.response().addCookie(Cookie.cookie(LANG_COOKIE, l).setPath("/").setMaxAge(365L * 24 * 3600)
                    .setSameSite(CookieSameSite.LAX).setHttpOnly(true).setSecure(request.isSSL()));
            return l;
        }
        Cookie c = request.getCookie(LANG_COOKIE);
        if (c != null && Lang.SUPPORTED.contains(c.getValue())) {
            return c.getValue();
        }
        List<Locale> acceptable = new ArrayList<>();
        String header = request.getHeader("Accept-Language");
        if (header != null) {
            try {
                for (Locale.LanguageRange r : Locale.LanguageRange.parse(header)) {
                    acceptable.add(Locale.forLanguageTag(r.getRange()));
                }
            } catch (IllegalArgumentException ignored) {
                // a malformed header counts as none
            }
        }
        return Lang.resolve(null, acceptable);
    }

    /** A page word in the request's language. */
    public String t(String key) {
        return PageText.t(lang(), key);
    }

    /** The signed-in account, or null on the sign-in page. */
    public Account account() {
        return identity == null || identity.isAnonymous() ? null
                : identity.getAttribute(DbIdentityProvider.ACCOUNT_ATTRIBUTE);
    }

    /** Where each role starts. */
    public static String home(Account a) {
        if (a == null) {
            return "/login";
        }
        return switch (a.role()) {
            case Roles.PARENT -> "/children";
            case Roles.SCHOOL -> "/schools/" + a.schoolId() + "/medal-candidates";
            case Roles.DEPARTMENT -> "/districts/" + a.districtId();
            case Roles.AUDITOR -> "/audit";
            case Roles.ADMIN -> "/admin";
            default -> "/login";
        };
    }

    public Page page(String title) {
        String l = lang();
        Account a = account();
        Snapshot snap = snapshots.currentOrNull();
        return new Page(l, title, a == null ? null : a.username(), a == null ? null : a.role(), nav(a, l),
                langs(l), snap == null ? null : snap.id(), snap == null ? null : snap.rulesVersion());
    }

    private List<Page.Link> nav(Account a, String l) {
        List<Page.Link> out = new ArrayList<>();
        if (a == null) {
            return out;
        }
        String path = request.path();
        switch (a.role()) {
            case Roles.PARENT -> out.add(link("/children", PageText.t(l, "children"), path));
            case Roles.SCHOOL -> {
                String base = "/schools/" + a.schoolId();
                out.add(link(base + "/medal-candidates", PageText.t(l, "medal.candidates"), path));
                out.add(link(base + "/classes", PageText.t(l, "classes"), path));
                out.add(link(base + "/reconciliation", PageText.t(l, "reconciliation"), path));
            }
            case Roles.DEPARTMENT -> out.add(link("/districts/" + a.districtId(), PageText.t(l, "indicators"), path));
            case Roles.AUDITOR -> out.add(link("/audit", PageText.t(l, "audit"), path));
            case Roles.ADMIN -> out.add(link("/admin", PageText.t(l, "admin"), path));
            default -> {
            }
        }
        return out;
    }

    private static Page.Link link(String href, String label, String path) {
        return new Page.Link(href, label, path.equals(href) || path.startsWith(href + "/"));
    }

    /** The same page in each language: the query is kept, {@code lang} replaced. */
    private List<Page.Link> langs(String current) {
        StringBuilder q = new StringBuilder();
        String query = request.query();
        if (query != null) {
            for (String part : query.split("&")) {
                if (!part.isEmpty() && !part.startsWith("lang=")) {
                    q.append(part).append('&');
                }
            }
        }
        List<Page.Link> out = new ArrayList<>();
        for (String[] l : new String[][]{{"kk", "Қазақша"}, {"ru", "Русский"}, {"en", "English"}}) {
            out.add(new Page.Link(request.path() + "?" + q + "lang=" + l[0], l[1], l[0].equals(current)));
        }
        return out;
    }
}
