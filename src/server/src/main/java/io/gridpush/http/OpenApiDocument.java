package io.gridpush.http;

import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.util.ajax.JSON;

/**
 * The OpenAPI 3.1 description of the HTTP API, {@code GET /api/v1/openapi.json}: written by hand next to
 * this class ({@code openapi.json}), read once, served verbatim. {@code HttpApiTest} checks that every
 * path the API answers is in it.
 */
@Singleton
final class OpenApiDocument {
    private final JSON.Literal document;

    OpenApiDocument() {
        try (InputStream in = OpenApiDocument.class.getResourceAsStream("openapi.json")) {
            if (in == null) {
                throw new IllegalStateException("openapi.json is missing from the jar, next to " + OpenApiDocument.class.getName());
            }
            document = new JSON.Literal(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException x) {
            throw new UncheckedIOException(x);
        }
    }

    Object document() {
        return document;
    }
}
