package io.jobpipe.status.api;

import io.jobpipe.core.event.JobStatus;
import io.jobpipe.status.store.JobFilter;
import io.micronaut.http.HttpParameters;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * The query parameters that filter jobs, the same for {@code GET /jobs}, the firehose and the CSV exports:
 * {@code state} (one or several, comma-separated), {@code pipeline}, {@code connection}, {@code stage},
 * {@code errorClass}, {@code since}/{@code until} (ISO-8601 instants bounding the creation time) and {@code q}
 * (words of the subject). A bad value is a 400 naming the parameter, never an empty result.
 */
public final class JobFilterParams {
    static final int MAX_TEXT = 200;

    private JobFilterParams() {
    }

    public static JobFilter parse(HttpParameters query) {
        Instant since = instant("since", query.get("since"));
        Instant until = instant("until", query.get("until"));
        if (since != null && until != null && !since.isBefore(until)) {
            throw StatusProblems.badParameter("until", "until must be after since");
        }
        return new JobFilter(states("state", query.get("state")), text(query, "pipeline"), text(query, "connection"),
                text(query, "stage"), text(query, "errorClass"), since, until, search(query.get("q")));
    }

    /** {@code value}'s comma-separated job states (any case), for the query parameter {@code parameter}. */
    static Set<JobStatus> states(String parameter, String value) {
        Set<JobStatus> states = EnumSet.noneOf(JobStatus.class);
        if (value == null || value.isBlank()) {
            return states;
        }
        for (String name : value.split(",")) {
            if (name.isBlank()) {
                continue;
            }
            try {
                states.add(JobStatus.valueOf(name.trim().toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw StatusProblems.badParameter(parameter, parameter + " must be one or more (comma-separated) of "
                        + Arrays.toString(JobStatus.values()) + ", got '" + name.trim() + "'");
            }
        }
        return states;
    }

    private static String search(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        if (value.length() > MAX_TEXT) {
            throw StatusProblems.badParameter("q", "q must be at most " + MAX_TEXT + " characters");
        }
        int words = JobFilter.words(value).size();
        if (words > JobFilter.MAX_WORDS) {
            throw StatusProblems.badParameter("q", "q must have at most " + JobFilter.MAX_WORDS + " words, got " + words);
        }
        return value.trim();
    }

    private static String text(HttpParameters query, String name) {
        String value = query.get(name);
        if (value == null || value.isBlank()) {
            return null;
        }
        if (value.length() > MAX_TEXT) {
            throw StatusProblems.badParameter(name, name + " must be at most " + MAX_TEXT + " characters");
        }
        return value.trim();
    }

    private static Instant instant(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(value.trim());
        } catch (DateTimeParseException e) {
            throw StatusProblems.badParameter(name, name + " must be an ISO-8601 instant such as 2026-01-31T00:00:00Z");
        }
    }
}
