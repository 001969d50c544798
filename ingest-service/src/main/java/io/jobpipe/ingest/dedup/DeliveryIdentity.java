package io.jobpipe.ingest.dedup;

/**
 * Who a delivery is: its job id and the delivery id it was derived from.
 *
 * @param deliveryId the sender's delivery id, null when there is none
 * @param recognised true when the job id was derived from the delivery id (or from the body's hash, on a connection
 *                   that deduplicates by body), so a resend gets the same one; false for a random job id, which no
 *                   resend can match
 */
public record DeliveryIdentity(String jobId, String deliveryId, boolean recognised) {
}
