package org.paritysuite.harness.shard;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.paritysuite.fixtures.FixtureException;
import org.paritysuite.harness.output.AtomicOutput;

/**
 * The measured cost of each unit of work ({@link WorkUnit}), in milliseconds of wall time on one
 * thread: what a {@link ShardPlan} balances. A unit of cases costs the sum of its cases'
 * {@code timing_ms.wall}; a trajectory unit costs, per step, the sum of its trajectories'
 * {@code timing_ms.wall} divided by their steps, so that one table serves every {@code --steps}.
 *
 * <p>The file is tab-separated text: {@code #} comment lines, then the header {@code unit ms},
 * then one line per unit, e.g. {@code cases:ist597-mlp/mnist 412.5}. The committed table
 * ({@value #RESOURCE}) was measured by a full {@code parity verify --json}; {@code parity costs
 * REPORT.json --out FILE} measures one from any report (docs/sharding.md).
 *
 * <p>A unit the table does not list (a model of your own, a new zoo model) costs the greatest cost
 * the table has for a unit of its kind, or {@link #UNKNOWN_CASES_MS} / {@link #UNKNOWN_STEP_MS}
 * when it has none: overestimating an unknown unit spreads unknown work over the shards, where an
 * underestimate would let the plan pile it onto one.
 */
public final class CostTable {

    /** The committed table, measured on the zoo's full run. */
    public static final String RESOURCE = "unit-costs.tsv";

    /** The header line, tab-separated. */
    public static final String HEADER = "unit\tms";

    /** A unit of cases' cost when the table knows none: about an MLP's cases on one data set on two cores. */
    public static final double UNKNOWN_CASES_MS = 1000;

    /** A trajectory unit's cost per step when the table knows none: about an MLP's float64 and float32 step. */
    public static final double UNKNOWN_STEP_MS = 100;

    /** A table has a line per unit: the zoo's has 56, a megabyte is thousands of times more. */
    private static final long MAX_BYTES = 1L << 20;

    private final Map<String, Double> millis;

    private CostTable(Map<String, Double> millis) {
        this.millis = Collections.unmodifiableMap(new TreeMap<>(millis));
    }

    /** The committed table ({@value #RESOURCE}). */
    public static CostTable committed() {
        try (InputStream in = CostTable.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the resource " + RESOURCE + " is not on the class path");
            }
            return parse(List.of(new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n", -1)), RESOURCE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The table in {@code file}, or bad input naming {@code option}, the file and the line. */
    public static CostTable read(Path file, String option) {
        String source = option + " " + file;
        try {
            if (!Files.isRegularFile(file)) {
                throw new FixtureException(source + ": no such cost table file");
            }
            if (Files.size(file) > MAX_BYTES) {
                throw new FixtureException(source + ": larger than a cost table can be (" + MAX_BYTES + " bytes)");
            }
            return parse(Files.readAllLines(file, StandardCharsets.UTF_8), source);
        } catch (IOException e) {
            throw new FixtureException(source + ": cannot be read as UTF-8 text: " + e.getMessage());
        }
    }

    /** The table of {@code lines}; {@code source} names them in errors. */
    static CostTable parse(List<String> lines, String source) {
        Map<String, Double> millis = new TreeMap<>();
        boolean header = false;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String where = source + " line " + (i + 1) + ": ";
            if (!header) {
                if (!line.equals(HEADER)) {
                    throw new FixtureException(where + "expected the header 'unit<TAB>ms', found '" + line + "'");
                }
                header = true;
                continue;
            }
            String[] fields = line.split("\t", -1);
            if (fields.length != 2) {
                throw new FixtureException(where + "expected 2 tab-separated fields (unit, ms), found " + fields.length);
            }
            String unit = fields[0];
            if (!unit.startsWith(WorkUnit.CASES) && !unit.startsWith(WorkUnit.TRAJECTORY)) {
                throw new FixtureException(where + "unit '" + unit + "' is not of the form " + WorkUnit.CASES
                        + "MODEL/DATASET or " + WorkUnit.TRAJECTORY + "MODEL/DATASET/OPTIMIZER");
            }
            double ms;
            try {
                ms = Double.parseDouble(fields[1]);
            } catch (NumberFormatException e) {
                ms = Double.NaN;
            }
            if (!(ms > 0) || Double.isInfinite(ms)) {
                throw new FixtureException(where + "the cost of " + unit + " must be a finite number of ms > 0,"
                        + " found '" + fields[1] + "'");
            }
            if (millis.put(unit, ms) != null) {
                throw new FixtureException(where + "unit " + unit + " is listed twice");
            }
        }
        if (!header) {
            throw new FixtureException(source + ": no header 'unit<TAB>ms'; expected a cost table (docs/sharding.md)");
        }
        return new CostTable(millis);
    }

    /**
     * The table measured by a report of {@code parity verify --json} (or a merged one): every case's
     * and trajectory's {@code timing_ms.wall}, summed per unit ({@link CostTable}); {@code source}
     * names the report in errors.
     */
    public static CostTable measuredBy(JsonNode report, String source) {
        Map<String, Double> millis = new TreeMap<>();
        for (JsonNode c : report.path("cases")) {
            millis.merge(WorkUnit.casesId(c.path("model").asText(), c.path("dataset").asText()),
                    wall(c, source), Double::sum);
        }
        for (JsonNode t : report.path("trajectories")) {
            String model = t.path("model").asText();
            String dataset = t.path("dataset").asText();
            String id = t.path("id").asText();
            String prefix = model + "/" + dataset + "/";
            String suffix = "/" + t.path("precision").asText();
            int steps = t.path("steps").asInt();
            if (!id.startsWith(prefix) || !id.endsWith(suffix) || steps < 1) {
                throw new FixtureException(source + ": trajectory '" + id + "' does not match its model, data set,"
                        + " precision and steps; expected a report of parity verify --json");
            }
            String optimizer = id.substring(prefix.length(), id.length() - suffix.length());
            millis.merge(WorkUnit.trajectoryId(model, dataset, optimizer), wall(t, source) / steps, Double::sum);
        }
        if (millis.isEmpty()) {
            throw new FixtureException(source + ": has no cases and no trajectories to measure costs from");
        }
        return new CostTable(millis);
    }

    private static double wall(JsonNode node, String source) {
        JsonNode wall = node.path("timing_ms").path("wall");
        if (!wall.isNumber() || !(wall.asDouble() > 0)) {
            throw new FixtureException(source + ": " + node.path("id").asText() + " has no timing_ms.wall > 0;"
                    + " expected a report written by this parity verify --json");
        }
        return wall.asDouble();
    }

    /** The planned cost of {@code unit} in ms: its listed cost (times its steps) or the fallback ({@link CostTable}). */
    public double cost(WorkUnit unit) {
        boolean trajectory = unit.id().startsWith(WorkUnit.TRAJECTORY);
        Double listed = millis.get(unit.id());
        double perUnit = listed != null ? listed : millis.entrySet().stream()
                .filter(e -> e.getKey().startsWith(WorkUnit.TRAJECTORY) == trajectory)
                .mapToDouble(Map.Entry::getValue).max()
                .orElse(trajectory ? UNKNOWN_STEP_MS : UNKNOWN_CASES_MS);
        return trajectory ? perUnit * unit.steps() : perUnit;
    }

    /** Whether the table lists {@code unit} (else it is costed by the fallback). */
    public boolean lists(WorkUnit unit) {
        return millis.containsKey(unit.id());
    }

    /** Every unit's cost in ms (per step for trajectories), by unit id. */
    public Map<String, Double> millis() {
        return millis;
    }

    /** Writes the table to {@code file}, all or nothing, {@code comment} first (each line prefixed with #). */
    public void write(Path file, String comment) {
        StringBuilder text = new StringBuilder();
        comment.lines().forEach(l -> text.append("# ").append(l).append('\n'));
        text.append(HEADER).append('\n');
        millis.forEach((unit, ms) -> text.append(unit).append('\t').append(String.format(Locale.ROOT, "%.1f", ms))
                .append('\n'));
        byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
        AtomicOutput.writeFile(file, "the cost table", out -> out.write(bytes));
    }
}
