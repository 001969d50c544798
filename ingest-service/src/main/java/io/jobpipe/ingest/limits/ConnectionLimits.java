package io.jobpipe.ingest.limits;

/** One connection's limits with the defaults filled in. */
public record ConnectionLimits(AcceptedContentTypes contentTypes, long maxBodyBytes, Rate rate, Rate clientRate) {
}
