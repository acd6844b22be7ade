package kz.baga.service;

import io.quarkus.test.common.QuarkusTestResource;

/** Registers {@link TestDatabase} for every @QuarkusTest of the module. */
@QuarkusTestResource(TestDatabase.class)
public class TestResources {
}
