/**
 * The Micronaut wiring every jobpipe service shares, stated once: configuration records, the factories of the
 * shared-core objects, topic provisioning, problem+json, Kafka client defaults, metrics, logging and tracing.
 * Services depend on this module and on pipeline-core, never on each other; pipeline-core knows no framework.
 */
package io.jobpipe.support;
