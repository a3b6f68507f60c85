package dev.switchboard.benchmarks;

import dev.switchboard.normalize.Entity;
import dev.switchboard.normalize.EntityGraph;
import dev.switchboard.normalize.EntityType;
import dev.switchboard.normalize.LinkedEntity;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The entity graph at scale (issue 15): {@value #ENTITIES} entities of a {@link SyntheticCrm}.
 *
 * <ul>
 *   <li>{@code build} against {@code buildMapBaseline}: the graph built from scratch (linking, groups, relation
 *       indexes) against putting the same entities in a {@code HashMap} by key, the least any keyed store does;
 *   <li>{@code oneChange}: one entity changed in the built graph, its email moved between two addresses so that
 *       it leaves one group and joins another each time (a regroup, not a no-op);
 *   <li>{@code relatedTickets}: a random person's tickets, {@code related(person, TICKET, 20)}; its p99 is the
 *       {@code p0.99} row of the sample-time output.
 * </ul>
 * The heap the built graph keeps (after full GCs, beyond the entities themselves, against the same baseline map)
 * is printed once per fork by {@link Built#setUp()}, as {@code graph heap}.
 */
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xms8g", "-Xmx8g"})
@Warmup(iterations = 1)
@Measurement(iterations = 3)
public class GraphScaleBenchmark {
    static final int ENTITIES = 1_000_000;

    /** The entities, made once per fork. */
    @State(Scope.Benchmark)
    public static class Data {
        @Param({"1000000"})
        public int entities;

        SyntheticCrm crm;
        List<Entity> all;
        long entityBytes;

        @Setup(Level.Trial)
        public void setUp() {
            long empty = HeapSampler.usedAfterGc();
            crm = new SyntheticCrm(entities);
            all = crm.entities();
            entityBytes = HeapSampler.usedAfterGc() - empty;
        }
    }

    /** A graph built from the data, and what the change and query benchmarks pick from. */
    @State(Scope.Benchmark)
    public static class Built {
        EntityGraph graph;
        LinkedEntity[] people;
        Entity[] flip;
        int next;
        final SplittableRandom random = new SplittableRandom(42);

        @Setup(Level.Trial)
        public void setUp(Data data) {
            long entitiesOnly = HeapSampler.usedAfterGc();
            Map<String, Entity> map = mapOf(data.all);
            long withMap = HeapSampler.usedAfterGc();
            map = null;
            long before = HeapSampler.usedAfterGc();
            graph = EntityGraph.builder().addAll(data.all).build();
            long withGraph = HeapSampler.usedAfterGc();
            List<LinkedEntity> persons = graph.groups(EntityType.PERSON);
            people = persons.toArray(LinkedEntity[]::new);
            // Contact 0 moves between its own address and contact 1's, leaving and joining groups.
            flip = new Entity[] {data.crm.contact(0, data.crm.email(1)), data.crm.contact(0, data.crm.email(0))};
            System.out.printf(
                    "%ngraph heap: %d entities (%.1f MiB themselves) in %d groups; kept beyond the entities: graph %.1f MiB"
                            + " (%.0f bytes an entity), HashMap baseline %.1f MiB, ratio %.2f%n",
                    graph.size(),
                    data.entityBytes / MIB,
                    graph.groups().size(),
                    (withGraph - before) / MIB,
                    (double) (withGraph - before) / graph.size(),
                    (withMap - entitiesOnly) / MIB,
                    (double) (withGraph - before) / (withMap - entitiesOnly));
        }
    }

    private static final double MIB = 1024 * 1024;

    static Map<String, Entity> mapOf(List<Entity> all) {
        Map<String, Entity> map = new HashMap<>();
        for (Entity e : all) {
            map.put(e.ref().key(), e);
        }
        return map;
    }

    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public EntityGraph build(Data data) {
        return EntityGraph.builder().addAll(data.all).build();
    }

    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public Map<String, Entity> buildMapBaseline(Data data) {
        return mapOf(data.all);
    }

    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public boolean oneChange(Built built) {
        return built.graph.apply(built.flip[built.next++ & 1]);
    }

    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public List<LinkedEntity> relatedTickets(Built built) {
        LinkedEntity person = built.people[built.random.nextInt(built.people.length)];
        return built.graph.related(person, EntityType.TICKET, 20);
    }
}
