package kz.baga.service.web;

import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import kz.baga.service.api.ProblemMapper;
import kz.baga.service.error.BadParameterException;

/** A failed page request answered as a page in the reader's language, with the status the API would send. */
@ApplicationScoped
public class ErrorPage implements ProblemMapper.PageRenderer {

    @Inject
    PageContext page;

    @Override
    public Response render(int status, String detail, Map<String, String> headers) {
        try {
            page.lang();
        } catch (BadParameterException bad) {
            // a bad ?lang= falls back to the default, set before the throw
        }
        String key = switch (status) {
            case 400, 403, 404, 503 -> "error." + status;
            default -> status >= 500 ? "error.500" : "error";
        };
        String title = page.t(key);
        Response.ResponseBuilder rb = Response.status(status).type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"))
                .entity(Templates.error(page.page(title), status, title, detail, PageContext.home(page.account())));
        headers.forEach(rb::header);
        return rb.build();
    }
}
