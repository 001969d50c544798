package io.jobpipe.ingest.request;

/**
 * Case-insensitive read access to request headers: keeps header rules and signature schemes free of
 * any HTTP framework, so they are tested with a plain map.
 */
@FunctionalInterface
public interface HeaderLookup {
    /** The first value of header {@code name}, or null when absent. */
    String get(String name);
}
