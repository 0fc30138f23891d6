package org.collabgraph.neo4jimport;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.ObjectMapper;

import org.neo4j.cli.AdminTool;
import org.neo4j.cli.ExecutionContext;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.graphdb.Label;
import org.neo4j.graphdb.Node;
import org.neo4j.graphdb.Relationship;
import org.neo4j.graphdb.Transaction;

/**
 * Imports a neo4j-admin CSV snapshot with Neo4j's own importer, then dumps the new database.
 *
 * Usage: java ... Main HOME_DIR IMPORT_ARG... where HOME_DIR is a fresh, empty directory and the
 * import arguments are those of `neo4j-admin database import full` (--nodes=..., etc.) without
 * the database name (always "neo4j"). The importer's own output goes to stderr. On stdout, one
 * JSON object per line: {"node": id, "labels": [...], "props": {...}} for every node, then
 * {"rel": type, "start": id, "end": id, "props": {...}} for every relationship. Exit status is
 * the importer's when it fails.
 */
public final class Main {
    private Main() {}

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: Main HOME_DIR --nodes=... [--relationships=...] ...");
            System.exit(2);
        }
        Path home = Path.of(args[0]).toAbsolutePath();
        Path conf = home.resolve("conf");
        Files.createDirectories(conf);
        List<String> command = new ArrayList<>(List.of("database", "import", "full"));
        for (int i = 1; i < args.length; i++) {
            command.add(args[i]);
        }
        command.add("neo4j");
        PrintStream err = new PrintStream(System.err, true, StandardCharsets.UTF_8);
        ExecutionContext ctx = new ExecutionContext(home, conf, err, err, System.in,
                new org.neo4j.io.fs.DefaultFileSystemAbstraction());
        int status = AdminTool.execute(ctx, command.toArray(new String[0]));
        if (status != 0) {
            System.err.println("IMPORT_FAILED status=" + status);
            System.exit(status);
        }
        dump(home);
        System.exit(0);
    }

    private static void dump(Path home) throws Exception {
        ObjectMapper json = new ObjectMapper();
        PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
        DatabaseManagementService dbms = new DatabaseManagementServiceBuilder(home).build();
        try {
            GraphDatabaseService db = dbms.database("neo4j");
            try (Transaction tx = db.beginTx()) {
                for (Node node : tx.getAllNodes()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("node", node.getProperty("id", null));
                    List<String> labels = new ArrayList<>();
                    for (Label label : node.getLabels()) {
                        labels.add(label.name());
                    }
                    labels.sort(null);
                    row.put("labels", labels);
                    row.put("props", new TreeMap<>(node.getAllProperties()));
                    out.println(json.writeValueAsString(row));
                }
                for (Relationship rel : tx.getAllRelationships()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("rel", rel.getType().name());
                    row.put("start", rel.getStartNode().getProperty("id", null));
                    row.put("end", rel.getEndNode().getProperty("id", null));
                    row.put("props", new TreeMap<>(rel.getAllProperties()));
                    out.println(json.writeValueAsString(row));
                }
            }
        } finally {
            out.flush();
            dbms.shutdown();
        }
    }
}
