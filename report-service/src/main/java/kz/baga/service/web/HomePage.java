package kz.baga.service.web;

import java.net.URI;

import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.security.FormAuthenticationMechanism;
import io.vertx.core.http.HttpServerRequest;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;
import kz.baga.service.security.LoginThrottle;

/** The start page (each role's home), signing in and out. */
@Path("/")
@Produces(MediaType.TEXT_HTML)
public class HomePage {

    @Inject
    PageContext ctx;

    @Inject
    SecurityIdentity identity;

    @Inject
    LoginThrottle throttle;

    @Inject
    HttpServerRequest request;

    @GET
    public Response home() {
        return Response.seeOther(URI.create(PageContext.home(ctx.account()))).build();
    }

    @GET
    @Path("login")
    public Object login(@QueryParam("error") String error) {
        if (ctx.account() != null) {
            return Response.seeOther(URI.create(PageContext.home(ctx.account()))).build();
        }
        String l = ctx.lang();
        String message = null;
        if (error != null) {
            long wait = throttle.addressWaitMillis(request.remoteAddress() == null ? null
                    : request.remoteAddress().hostAddress());
            message = wait > 0 ? PageText.t(l, "signin.throttled", (wait + 999) / 1000)
                    : "unavailable".equals(error) ? PageText.t(l, "error.503") : PageText.t(l, "signin.error");
        }
        TemplateInstance page = Templates.login(ctx.page(PageText.t(l, "signin.title")), message);
        return error == null ? page : Response.status(401).entity(page).build();
    }

    @POST
    @Path("logout")
    public Response logout() {
        if (!identity.isAnonymous()) {
            FormAuthenticationMechanism.logout(identity);
        }
        // the cookie is expired here too, whatever the identity
        return Response.seeOther(URI.create("/login"))
                .cookie(new NewCookie.Builder("baga-session").path("/").maxAge(0).value("").httpOnly(true).build())
                .build();
    }
}
