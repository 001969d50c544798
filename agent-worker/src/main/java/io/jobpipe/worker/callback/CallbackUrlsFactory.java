package io.jobpipe.worker.callback;

import io.jobpipe.support.callback.CallbackSecretProperties;
import io.jobpipe.worker.config.CallbackProperties;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Factory;

import java.net.InetAddress;
import java.time.Clock;

/** Wires {@link CallbackUrls} from {@code jobpipe.worker.callbacks.*} and the shared {@code jobpipe.callbacks.secret}. */
@Factory
public class CallbackUrlsFactory {

    /** Built at start-up, so a bad public base URL or callback secret stops the worker before it takes any work. */
    @Context
    CallbackUrls callbackUrls(CallbackProperties callbacks, CallbackSecretProperties secrets, Clock clock) {
        return CallbackUrls.configure(callbacks, secrets, InetAddress::getAllByName, clock);
    }
}
