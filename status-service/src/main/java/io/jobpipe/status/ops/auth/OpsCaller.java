package io.jobpipe.status.ops.auth;

/**
 * Who sent an ops request: the name of the token it presented, and that token's role.
 * Commands it sends say {@link #requestedBy()}.
 */
public record OpsCaller(String name, OpsRole role) {

    /** {@code ops:<token name>}: the {@code requestedBy} of the commands this caller sends. */
    public String requestedBy() {
        return "ops:" + name;
    }
}
