package io.jobpipe.worker.outbound;

import java.net.InetAddress;
import java.net.URI;

/** A URL the policy allowed, and the address it was allowed for: the one to connect to (no second lookup). */
public record CheckedTarget(URI url, InetAddress address) {
}
