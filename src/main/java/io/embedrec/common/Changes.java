package io.embedrec.common;

import io.agroal.api.AgroalDataSource;
import io.agroal.api.configuration.AgroalConnectionFactoryConfiguration;
import io.agroal.api.security.SimplePassword;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import org.jboss.logging.Logger;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Tells in-memory caches when the tables they copy changed, on this instance and on every other one sharing the
 * database: a trigger on each cached table sends {@code NOTIFY embedrec_changes, '<topic>'} (PostgreSQL delivers it
 * when the writing transaction commits, whoever wrote: this service, another instance, an operator in psql), and one
 * connection per instance listens. A cache keeps what it read under the topic's {@link #version} and reads again
 * when the version moved.
 *
 * <p>Bounds: a write through this instance is visible to its next request (the writer calls {@link #changed} and the
 * version moves when the transaction commits); on other instances, once the notification arrives (milliseconds on
 * one network). While the listening connection is down, notifications could be missed, so {@link #version} is -1 and
 * caches read through to the database; after it reconnects every version moves.
 */
@ApplicationScoped
public class Changes {

    /** A cached table, by the payload its trigger sends. */
    public enum Topic {
        SPACES, API_KEYS, RULE_SETS, EXPERIMENTS;

        String payload() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    static final String CHANNEL = "embedrec_changes";
    private static final Logger LOG = Logger.getLogger(Changes.class);
    /** How often the idle listener checks its connection (a dead peer may never close the socket). */
    private static final int PING_MILLIS = 10_000;

    private final Map<Topic, AtomicLong> versions = new EnumMap<>(Topic.class);
    private final Map<Topic, List<Runnable>> listeners = new EnumMap<>(Topic.class);
    private final AgroalConnectionFactoryConfiguration database;
    private final TransactionSynchronizationRegistry transactions;
    private volatile boolean listening;
    private volatile boolean running;
    private volatile Connection connection;
    private Thread listener;

    Changes(AgroalDataSource dataSource, TransactionSynchronizationRegistry transactions) {
        this.database = dataSource.getConfiguration().connectionPoolConfiguration().connectionFactoryConfiguration();
        this.transactions = transactions;
        for (Topic t : Topic.values()) {
            versions.put(t, new AtomicLong());
            listeners.put(t, new CopyOnWriteArrayList<>());
        }
    }

    /**
     * Runs {@code reload} on the listening thread whenever the topic's table changed elsewhere (a notification
     * arrived) and after the listening connection was (re)established: for a cache that must be loaded ahead of its
     * readers (read on threads that may not block on the database).
     */
    public void onChange(Topic topic, Runnable reload) {
        listeners.get(topic).add(reload);
    }

    /**
     * A copy of a table kept in memory: {@link Cache#get} serves it while the topic's version is the one it was read
     * under, reads it again after any change (here or on another instance), and reads through on every call while
     * changes cannot be heard.
     */
    public <T> Cache<T> cache(Topic topic, java.util.function.Supplier<T> load) {
        return new Cache<>(this, topic, load);
    }

    /** See {@link #cache}. */
    public static final class Cache<T> {
        private record Snapshot<T>(long version, T value) {
        }

        private final Changes changes;
        private final Topic topic;
        private final java.util.function.Supplier<T> load;
        private volatile Snapshot<T> snapshot;

        private Cache(Changes changes, Topic topic, java.util.function.Supplier<T> load) {
            this.changes = changes;
            this.topic = topic;
            this.load = load;
        }

        public T get() {
            long version = changes.version(topic);
            Snapshot<T> s = snapshot;
            if (version >= 0 && s != null && s.version() == version) {
                return s.value();
            }
            T fresh = load.get();
            if (version >= 0) {
                snapshot = new Snapshot<>(version, fresh);
            }
            return fresh;
        }
    }

    /** The topic's version while notifications are heard, or -1 (then nothing may be served from a cache). */
    public long version(Topic topic) {
        return listening ? versions.get(topic).get() : -1;
    }

    /**
     * The caller changed the topic's table in its transaction: this instance's caches move on when it commits
     * (other instances hear the table's trigger). Outside a transaction, at once.
     */
    public void changed(Topic topic) {
        if (transactions.getTransactionStatus() == Status.STATUS_ACTIVE) {
            transactions.registerInterposedSynchronization(new Synchronization() {
                @Override
                public void beforeCompletion() {
                }

                @Override
                public void afterCompletion(int status) {
                    if (status == Status.STATUS_COMMITTED) {
                        bump(topic);
                    }
                }
            });
        } else {
            bump(topic);
        }
    }

    void bump(Topic topic) {
        versions.get(topic).incrementAndGet();
    }

    void start(@Observes StartupEvent start) {
        running = true;
        listener = new Thread(this::listen, "embedrec-changes");
        listener.setDaemon(true);
        listener.start();
    }

    void stop(@Observes ShutdownEvent stop) throws InterruptedException {
        running = false;
        Connection c = connection;
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // closing anyway
            }
        }
        listener.join(2000);
    }

    private void listen() {
        long backoff = 100;
        while (running) {
            try (Connection c = connect()) {
                connection = c;
                try (Statement s = c.createStatement()) {
                    s.execute("LISTEN " + CHANNEL);
                }
                // whatever changed while nobody listened is unknown: every cache reads again
                for (Topic t : Topic.values()) {
                    bump(t);
                    notifyListeners(t);
                }
                listening = true;
                backoff = 100;
                PGConnection pg = c.unwrap(PGConnection.class);
                while (running) {
                    PGNotification[] heard = pg.getNotifications(PING_MILLIS);
                    if (heard == null || heard.length == 0) {
                        try (Statement s = c.createStatement()) {
                            s.execute("SELECT 1");
                        }
                        continue;
                    }
                    for (PGNotification n : heard) {
                        topic(n.getParameter()).ifPresent(t -> {
                            bump(t);
                            notifyListeners(t);
                        });
                    }
                }
            } catch (SQLException | RuntimeException e) {
                listening = false;
                if (running) {
                    LOG.warnf("not hearing table changes (%s); caches read the database until reconnected",
                            e.getMessage());
                    try {
                        Thread.sleep(backoff);
                    } catch (InterruptedException interrupted) {
                        return;
                    }
                    backoff = Math.min(5000, backoff * 2);
                }
            } finally {
                listening = false;
                connection = null;
            }
        }
    }

    private void notifyListeners(Topic topic) {
        for (Runnable r : listeners.get(topic)) {
            try {
                r.run();
            } catch (RuntimeException e) {
                LOG.warnf("reloading %s after a change failed: %s", topic.payload(), e.getMessage());
            }
        }
    }

    private static java.util.Optional<Topic> topic(String payload) {
        for (Topic t : Topic.values()) {
            if (t.payload().equals(payload)) {
                return java.util.Optional.of(t);
            }
        }
        return java.util.Optional.empty();
    }

    /** Its own connection, not the pool's: it is held for the life of the instance. */
    private Connection connect() throws SQLException {
        Properties p = new Properties();
        p.putAll(database.jdbcProperties());
        if (database.principal() != null) {
            p.setProperty("user", database.principal().getName());
        }
        for (Object credential : database.credentials()) {
            if (credential instanceof SimplePassword password) {
                p.setProperty("password", password.getWord());
            }
        }
        p.setProperty("ApplicationName", "embedrec-changes");
        p.setProperty("tcpKeepAlive", "true");
        return DriverManager.getConnection(database.jdbcUrl(), p);
    }
}
