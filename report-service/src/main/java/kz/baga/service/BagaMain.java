package kz.baga.service;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;
import kz.baga.service.db.EmbeddedDatabase;

/**
 * Entry point: starts the embedded PostgreSQL first when no external database is configured (the datasource
 * must know its URL before it is created), then Quarkus.
 */
@QuarkusMain
public class BagaMain {

    public static void main(String... args) throws Exception {
        System.setProperty("java.awt.headless", "true");
        EmbeddedDatabase.configureFromEnvironment();
        Quarkus.run(args);
    }
}
