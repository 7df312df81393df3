package io.embedrec.common.health;

import io.embedrec.support.TestDb;
import io.embedrec.support.TcpProxy;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.Map;

/**
 * Puts a {@link TcpProxy} between the application and the test database, so a test can cut the database off and
 * bring it back. The pool is set to give up quickly, so an outage shows at once.
 */
public class DatabaseProxyResource implements QuarkusTestResourceLifecycleManager {

    private TcpProxy proxy;

    @Override
    public Map<String, String> start() {
        URI db = URI.create(TestDb.URL.substring("jdbc:".length()));
        proxy = new TcpProxy(db.getHost(), db.getPort() < 0 ? 5432 : db.getPort());
        try {
            proxy.open();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String url = "jdbc:postgresql://127.0.0.1:" + proxy.port() + db.getRawPath()
                + (db.getRawQuery() == null ? "" : "?" + db.getRawQuery());
        return Map.of(
                "quarkus.datasource.jdbc.url", url,
                "quarkus.datasource.jdbc.acquisition-timeout", "1S",
                "quarkus.datasource.jdbc.login-timeout", "1S",
                "quarkus.datasource.jdbc.min-size", "0");
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(proxy, new TestInjector.MatchesType(TcpProxy.class));
    }

    @Override
    public void stop() {
        try {
            proxy.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
