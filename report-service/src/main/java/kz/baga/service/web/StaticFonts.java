package kz.baga.service.web;

import java.io.IOException;
import java.io.InputStream;
import java.util.Set;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Response;
import kz.baga.service.error.NotFoundException;

/** The pages' font, the DejaVu files the PDFs embed: every reader sees ӘҒҚҢӨҰҮҺІ, and nothing comes from a CDN. */
@Path("/static/fonts")
public class StaticFonts {

    private static final Set<String> FONTS = Set.of("DejaVuSans.ttf", "DejaVuSans-Bold.ttf");

    @GET
    @Path("/{name}")
    @Produces("font/ttf")
    public Response font(@PathParam("name") String name) throws IOException {
        if (!FONTS.contains(name)) {
            throw new NotFoundException("no font " + name);
        }
        try (InputStream in = StaticFonts.class.getResourceAsStream("/fonts/" + name)) {
            return Response.ok(in.readAllBytes(), "font/ttf").header("Cache-Control", "public, max-age=604800").build();
        }
    }
}
