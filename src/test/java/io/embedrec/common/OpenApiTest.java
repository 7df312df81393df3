package io.embedrec.common;

import io.embedrec.catalog.ItemResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Path;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.reflect.Method;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

@QuarkusTest
class OpenApiTest {

    @Test
    void openApiDocumentsEveryV1EndpointWithASummary() throws Exception {
        JsonPath doc = given().queryParam("format", "json").get("/q/openapi").then().statusCode(200)
                .extract().jsonPath();
        Map<String, Map<String, Map<String, Object>>> paths = doc.getMap("paths");

        Set<String> documented = new TreeSet<>();
        paths.forEach((path, ops) -> {
            if (path.startsWith("/v1")) {
                ops.forEach((method, op) -> {
                    documented.add(method.toUpperCase(Locale.ROOT) + " " + path);
                    assertThat((String) op.get("summary")).as(method + " " + path).isNotBlank();
                });
            }
        });
        assertThat(documented).isEqualTo(implementedV1Endpoints());
        // the catalog as it stands today, so that a lost endpoint is noticed even if the scan above misses it
        assertThat(documented).contains("PUT /v1/items/{id}", "GET /v1/items/{id}", "DELETE /v1/items/{id}",
                "GET /v1/items", "POST /v1/items/import");
    }

    @Test
    void swaggerUiIsServed() {
        given().get("/q/swagger-ui/").then().statusCode(200).contentType(containsString("text/html"))
                .body(containsString("swagger-ui"));
    }

    /** "METHOD /path" for every resource method under /v1, found by scanning the application's compiled classes. */
    static Set<String> implementedV1Endpoints() throws IOException, URISyntaxException, ClassNotFoundException {
        java.nio.file.Path classes = java.nio.file.Path.of(
                ItemResource.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Set<String> out = new TreeSet<>();
        try (Stream<java.nio.file.Path> files = Files.walk(classes)) {
            for (java.nio.file.Path f : files.filter(p -> p.toString().endsWith(".class")).toList()) {
                String name = classes.relativize(f).toString().replace('/', '.').replaceFirst("\\.class$", "");
                Class<?> c = Class.forName(name, false, ItemResource.class.getClassLoader());
                Path base = c.getAnnotation(Path.class);
                if (base == null) {
                    continue;
                }
                for (Method m : c.getDeclaredMethods()) {
                    for (var a : m.getAnnotations()) {
                        HttpMethod http = a.annotationType().getAnnotation(HttpMethod.class);
                        if (http != null) {
                            Path sub = m.getAnnotation(Path.class);
                            String path = join(base.value(), sub == null ? "" : sub.value());
                            if (path.startsWith("/v1")) {
                                out.add(http.value() + " " + path);
                            }
                        }
                    }
                }
            }
        }
        return out;
    }

    static String join(String base, String sub) {
        String p = ("/" + base + "/" + sub).replaceAll("/+", "/");
        p = p.replaceAll("\\{(\\w+)\\s*:[^}]*}", "{$1}");
        return p.length() > 1 && p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
    }
}
