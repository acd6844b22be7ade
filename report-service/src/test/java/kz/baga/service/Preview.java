package kz.baga.service;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Rendered files (PDF, PNG, SVG) kept under {@code target/render-preview} for a person to look at. */
final class Preview {

    private Preview() {
    }

    static void save(String name, byte[] bytes) {
        try {
            Path dir = Path.of("target", "render-preview");
            Files.createDirectories(dir);
            Files.write(dir.resolve(name), bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
