package io.embedrec.common.health;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.flywaydb.core.Flyway;

/** Ready only when the database answers and every migration shipped with this build has been applied. */
@Readiness
@ApplicationScoped
public class MigrationsReadiness implements HealthCheck {

    private final Flyway flyway;

    MigrationsReadiness(Flyway flyway) {
        this.flyway = flyway;
    }

    @Override
    public HealthCheckResponse call() {
        var b = HealthCheckResponse.named("database schema");
        try {
            var info = flyway.info();
            int pending = info.pending().length;
            var current = info.current();
            b.withData("version", current == null ? "none" : current.getVersion().getVersion())
                    .withData("pending", pending);
            return pending == 0 && current != null ? b.up().build() : b.down().build();
        } catch (RuntimeException e) {
            return b.down().withData("error", "database unreachable").build();
        }
    }
}
