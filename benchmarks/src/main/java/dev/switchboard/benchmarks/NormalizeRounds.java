package dev.switchboard.benchmarks;

import org.openjdk.jmh.runner.RunnerException;

/**
 * Runs {@link NormalizeBenchmark} round by round, the Jackson POJO floor and Switchboard interleaved per
 * vendor, and prints records/s with the ratio of every round: normalizing alone, and end to end (parse, the
 * connector's record building, the drift check against its contract, normalizing).
 *
 * <pre>
 * ./mvnw -B -pl benchmarks -am -DskipTests -Pjmh package -Djmh.main=dev.switchboard.benchmarks.NormalizeRounds -Djmh.args=5
 * </pre>
 */
public final class NormalizeRounds {
    private NormalizeRounds() {}

    public static void main(String[] args) throws RunnerException {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        Rounds measures = new Rounds();
        Rounds.printMachine("at the start");
        for (int r = 0; r < rounds; r++) {
            for (String[] vendor : new String[][] {
                {"hubspotContacts", "HubSpot contacts"}, {"salesforceAccounts", "Salesforce accounts"}
            }) {
                for (String[] ours : new String[][] {{"Normalized", "normalizing"}, {"EndToEnd", "end to end"}}) {
                    double[][] rate =
                            Rounds.pair(r, vendor[0] + "JacksonPojo", vendor[0] + ours[0], side -> new double[] {
                                Rounds.run(Rounds.options(NormalizeBenchmark.class, side, 3))
                                        .getPrimaryResult()
                                        .getScore()
                            });
                    // Time per record, so the ratio reads "times the floor's cost".
                    measures.add(
                            vendor[1] + ", " + ours[1] + ", time per record", "ns", 1e9 / rate[0][0], 1e9 / rate[1][0]);
                }
            }
        }
        measures.print("Jackson databind to POJOs");
        Rounds.printMachine("at the end");
    }
}
