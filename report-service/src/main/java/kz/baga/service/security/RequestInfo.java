package kz.baga.service.security;

import io.quarkus.security.identity.SecurityIdentity;
import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;

/** Who is asking, from where, for what: the facts an audit record needs. */
@RequestScoped
public class RequestInfo {

    @Inject
    SecurityIdentity identity;

    @Inject
    HttpServerRequest request;

    public Account account() {
        Account a = identity.getAttribute(DbIdentityProvider.ACCOUNT_ATTRIBUTE);
        if (a == null) {
            throw new io.quarkus.security.UnauthorizedException();
        }
        return a;
    }

    public String endpoint() {
        String q = request.query();
        return request.method().name() + " " + request.path() + (q == null || q.isEmpty() ? "" : "?" + q);
    }

    public String clientAddress() {
        var a = request.remoteAddress();
        return a == null ? null : a.hostAddress();
    }
}
