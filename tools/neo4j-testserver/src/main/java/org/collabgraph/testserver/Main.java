package org.collabgraph.testserver;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;

import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.harness.Neo4j;
import org.neo4j.harness.Neo4jBuilders;

/**
 * Starts an in-process Neo4j for tests.
 *
 * Usage: java ... Main [port] [workdir]. Port 0 picks a free one. The Bolt URI is printed as
 * "BOLT_URI=bolt://127.0.0.1:PORT" once the server accepts connections. The server stops when
 * standard input reaches end-of-file, so a test runner that dies never leaves a JVM behind.
 */
public final class Main {
    private Main() {}

    public static void main(String[] args) throws IOException {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 0;
        Path workdir = args.length > 1 ? Path.of(args[1]) : Files.createTempDirectory("neo4j-testserver");
        long started = System.nanoTime();
        Neo4j neo4j = Neo4jBuilders.newInProcessBuilder(workdir)
                .withDisabledServer()
                .withConfig(BoltConnector.enabled, true)
                .withConfig(BoltConnector.listen_address, new SocketAddress("127.0.0.1", port))
                .withConfig(HttpConnector.enabled, false)
                .withConfig(GraphDatabaseSettings.auth_enabled, false)
                .build();
        long millis = (System.nanoTime() - started) / 1_000_000;
        System.out.println("BOLT_URI=" + neo4j.boltURI());
        System.out.println("STARTUP_MS=" + millis);
        System.out.flush();

        Runtime.getRuntime().addShutdownHook(new Thread(neo4j::close));
        InputStream in = System.in;
        byte[] buffer = new byte[256];
        while (in.read(buffer) >= 0) {
            // Ignore anything written; only end-of-file matters.
        }
        neo4j.close();
        System.exit(0);
    }
}
