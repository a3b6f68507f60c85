package dev.switchboard.testkit.support;

import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;

/** Fresh databases and table names, so tests stay independent without restarting PostgreSQL. */
public final class Databases {
    private static final AtomicInteger TABLES = new AtomicInteger();

    private Databases() {}

    /** A new, empty H2 database in memory, kept until the JVM exits. */
    public static DataSource newH2() {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:mem:storage-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        return ds;
    }

    private static DataSource postgres;

    /** The shared embedded PostgreSQL, through connections reused as a pool reuses them. */
    public static synchronized DataSource postgres() {
        if (postgres == null) {
            postgres = new ReusingDataSource(EmbeddedPostgres.dataSource());
        }
        return postgres;
    }

    /**
     * {@code physical} (a data source opening a connection per call) with closed connections kept for the next
     * caller, as a pool does: for test processes of their own, such as the instances of a multi-process test.
     */
    public static DataSource pooled(DataSource physical) {
        return new ReusingDataSource(physical);
    }

    /** A table name no other test used in this JVM. */
    public static String freshTable(String prefix) {
        return prefix + "_" + TABLES.incrementAndGet();
    }

    /**
     * {@code dataSource} with every connection handed out in a transaction at {@code SERIALIZABLE}, as a pool
     * configured with {@code autoCommit=false} does: a store that relies on auto-commit must set it itself.
     */
    public static DataSource inTransactionByDefault(DataSource dataSource) {
        return (DataSource) java.lang.reflect.Proxy.newProxyInstance(
                DataSource.class.getClassLoader(), new Class<?>[] {DataSource.class}, (proxy, method, args) -> {
                    try {
                        Object result = method.invoke(dataSource, args);
                        if (result instanceof java.sql.Connection c) {
                            c.setAutoCommit(false);
                            c.setTransactionIsolation(java.sql.Connection.TRANSACTION_SERIALIZABLE);
                        }
                        return result;
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
