package kz.baga.service.security;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import io.quarkus.vertx.http.runtime.security.BasicAuthenticationMechanism;

/**
 * HTTP Basic for the JSON API, with its challenge. Quarkus makes Basic silent (no {@code WWW-Authenticate} on a
 * 401) once form sign-in is enabled; API clients need the challenge, and the pages never see Basic's.
 */
@Singleton
public class ApiBasicAuthentication {

    @Produces
    @Singleton
    BasicAuthenticationMechanism basic() {
        return new BasicAuthenticationMechanism("baga", false);
    }
}
