package kz.baga.service;

import io.quarkus.test.junit.QuarkusTestProfile;

/** Its own database and warehouse copy: the render-cache tests move CURRENT and take the audit table offline. */
public class RenderCacheProfile implements QuarkusTestProfile {
}
