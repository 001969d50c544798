package io.jobpipe.status.store;

import io.jobpipe.core.event.JobStatus;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Which jobs a listing or an export holds: every given field must match, null (or no states) matches anything.
 * Pure; {@link JobFilterSql} turns it into SQL.
 *
 * @param states     the job's current state is one of these; empty for any
 * @param stage      the job's current stage (where a failed or dead-lettered job stopped)
 * @param errorClass the error type the job rests in ({@code Cancelled} for a cancelled job)
 * @param since      inclusive lower bound of the job's creation time
 * @param until      exclusive upper bound of the same
 * @param text       words the subject must contain, each as a word or the start of one, in any order and case
 */
public record JobFilter(Set<JobStatus> states, String pipeline, String connection, String stage, String errorClass,
                        Instant since, Instant until, String text) {
    public static final JobFilter ALL = new JobFilter(Set.of(), null, null, null, null, null, null, null);
    /** A search of more words than this is refused: each word is a condition on the index. */
    public static final int MAX_WORDS = 16;

    public JobFilter {
        states = states == null ? Set.of() : Set.copyOf(states);
        if (since != null && until != null && !since.isBefore(until)) {
            throw new IllegalArgumentException("until must be after since");
        }
    }

    /**
     * The subject search as a PostgreSQL {@code tsquery} of the {@code simple} configuration: each word of the text
     * (letters and digits; everything else separates words) lowercased as a prefix, all required, e.g. "Fix login"
     * → {@code fix:* & login:*}. Null when the text has no word. Only letters, digits, {@code :*} and {@code &}
     * reach the query, so no user text can change its syntax.
     */
    public String searchQuery() {
        List<String> words = words(text);
        if (words.isEmpty()) {
            return null;
        }
        List<String> terms = new ArrayList<>(words.size());
        for (String word : words) {
            terms.add(word + ":*");
        }
        return String.join(" & ", terms);
    }

    /** The words of a search text: maximal runs of letters and digits, lowercased. */
    public static List<String> words(String text) {
        List<String> words = new ArrayList<>();
        if (text == null) {
            return words;
        }
        StringBuilder word = new StringBuilder();
        text.codePoints().forEach(c -> {
            if (Character.isLetterOrDigit(c)) {
                word.appendCodePoint(c);
            } else if (word.length() > 0) {
                words.add(word.toString().toLowerCase(Locale.ROOT));
                word.setLength(0);
            }
        });
        if (word.length() > 0) {
            words.add(word.toString().toLowerCase(Locale.ROOT));
        }
        return words;
    }
}
