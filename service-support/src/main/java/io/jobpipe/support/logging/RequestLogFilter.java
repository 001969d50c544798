package io.jobpipe.support.logging;

import io.jobpipe.support.callback.CallbackPaths;
import io.micronaut.context.propagation.slf4j.MdcPropagationContext;
import io.micronaut.core.order.Ordered;
import io.micronaut.core.propagation.MutablePropagatedContext;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;

import java.util.concurrent.TimeUnit;

/**
 * Gives every request of every service its log fields and, when enabled, its access log line.
 * <p>
 * On the way in it puts {@code requestId}, and {@code jobId} and {@code traceId} when known, into the MDC of the
 * request's propagated context. A request hops threads (Netty's event loop, the blocking pool of
 * {@code @ExecuteOn}, reactive operators); a plain {@code MDC.put} would stay on the first thread and leak into the
 * next request there. Micronaut re-applies a {@link MdcPropagationContext} on each thread the request runs on and
 * restores that thread's MDC afterwards. Lines written on threads Micronaut does not manage (a Kafka producer's
 * callback) open their own {@link LogContext}.
 * <p>
 * On the way out it echoes {@code X-Request-Id} and writes the {@link AccessLog} line (error responses pass here
 * too). It runs just after the filters of highest precedence, which may open a server span and record its trace id.
 */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
public final class RequestLogFilter implements Ordered {
    public static final int ORDER = HIGHEST_PRECEDENCE + 10;

    private final AccessLog accessLog;

    public RequestLogFilter(AccessLog accessLog) {
        this.accessLog = accessLog;
    }

    @Override
    public int getOrder() {
        return ORDER;
    }

    @RequestFilter
    public void onRequest(HttpRequest<?> request, MutablePropagatedContext propagated) {
        request.setAttribute(RequestLogAttributes.STARTED_NANOS, System.nanoTime());
        try (LogContext ignored = LogContext.open()
                .requestId(RequestLogAttributes.requestId(request))
                .jobId(RequestLogAttributes.jobId(request))
                .traceId(RequestLogAttributes.traceId(request))) {
            propagated.add(new MdcPropagationContext());
        }
    }

    @ResponseFilter
    public void onResponse(HttpRequest<?> request, MutableHttpResponse<?> response) {
        String requestId = RequestLogAttributes.requestId(request);
        // set, not add: a problem written before the filters ran may already carry it
        response.getHeaders().set(RequestIds.HEADER, requestId);
        long durationMs = request.getAttribute(RequestLogAttributes.STARTED_NANOS, Long.class)
                .map(started -> TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started))
                .orElse(-1L);
        // A callback's path holds its token, a credential: never written to a log.
        accessLog.log(request.getMethodName(), CallbackPaths.redact(request.getPath()), response.code(), durationMs,
                requestId, RequestLogAttributes.jobId(request), RequestLogAttributes.traceId(request));
    }
}
