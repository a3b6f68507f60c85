package dev.switchboard.normalize.internal;

import java.text.Normalizer;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Names compared the way the linking needs: loosely enough that a typo, an initial or a missing middle name
 * still agrees, so that only names that are clearly different count as a disagreement.
 */
public final class Names {
    private static final Set<String> LEGAL_FORMS = Set.of(
            "inc",
            "incorporated",
            "ltd",
            "limited",
            "llc",
            "llp",
            "plc",
            "corp",
            "corporation",
            "co",
            "company",
            "gmbh",
            "ag",
            "sa",
            "sas",
            "sarl",
            "srl",
            "spa",
            "bv",
            "nv",
            "oy",
            "ab",
            "as",
            "pty",
            "kk",
            "group");

    private static final Pattern MARKS = Pattern.compile("\\p{M}+");
    private static final Pattern NOT_LETTERS = Pattern.compile("[^\\p{L}\\p{N}]+");

    private Names() {}

    /**
     * Lower case, accents and punctuation removed, {@code Doe, Jane} turned to {@code jane doe}; for an
     * organization, legal forms ({@code Inc}, {@code GmbH}) dropped. Empty when nothing is left.
     */
    public static String normalize(String name, boolean organization) {
        String s = name.strip();
        int comma = s.indexOf(',');
        if (!organization && comma > 0 && s.indexOf(',', comma + 1) < 0) {
            s = s.substring(comma + 1) + " " + s.substring(0, comma);
        }
        s = MARKS.matcher(Normalizer.normalize(s, Normalizer.Form.NFD)).replaceAll("");
        s = NOT_LETTERS.matcher(s.toLowerCase(Locale.ROOT)).replaceAll(" ").strip();
        if (organization) {
            List<String> kept = Arrays.stream(s.split(" "))
                    .filter(t -> !t.isEmpty() && !LEGAL_FORMS.contains(t))
                    .toList();
            s = kept.isEmpty() ? s : String.join(" ", kept);
        }
        return s;
    }

    /**
     * Whether two normalized names may be the same person's or organization's: equal; within one edit
     * (two for names of eight letters or more); one's words all among the other's ({@code jane} and
     * {@code jane doe}); or the same first initial and a last word within one edit ({@code j smith},
     * {@code john smyth}). An edit is an insertion, a deletion, a substitution or two letters swapped.
     */
    public static boolean agree(String a, String b) {
        if (a.equals(b)) {
            return true;
        }
        if (a.isEmpty() || b.isEmpty()) {
            return false;
        }
        int longest = Math.max(a.length(), b.length());
        if (withinEdits(a, b, longest >= 8 ? 2 : 1)) {
            return true;
        }
        List<String> ta = List.of(a.split(" "));
        List<String> tb = List.of(b.split(" "));
        if (tb.containsAll(ta) || ta.containsAll(tb)) {
            return true;
        }
        String lastA = ta.get(ta.size() - 1);
        String lastB = tb.get(tb.size() - 1);
        return ta.size() > 1
                && tb.size() > 1
                && ta.get(0).charAt(0) == tb.get(0).charAt(0)
                && (lastA.equals(lastB)
                        || (Math.min(lastA.length(), lastB.length()) >= 3 && withinEdits(lastA, lastB, 1)));
    }

    /**
     * Whether {@code a} and {@code b} are within {@code max} edits (insertions, deletions, substitutions and
     * swaps of two adjacent letters: the optimal string alignment distance).
     */
    static boolean withinEdits(String a, String b, int max) {
        if (Math.abs(a.length() - b.length()) > max) {
            return false;
        }
        int[] before = new int[b.length() + 1];
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            int rowMin = cur[0];
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                int d = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d = Math.min(d, before[j - 2] + 1);
                }
                cur[j] = d;
                rowMin = Math.min(rowMin, d);
            }
            if (rowMin > max) {
                return false;
            }
            int[] t = before;
            before = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()] <= max;
    }
}
