package io.jobpipe.runtime.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Free ports for servers started by tests, picked below Linux's ephemeral range (32768–60999 by default). A port
 * from that range (what binding port 0 gives) can be taken as the local port of any outgoing connection in the
 * seconds before its server binds it: a CI run lost an orchestrator to "Address already in use" that way, while
 * the broker and its clients were busy connecting. Each port is handed out once per JVM.
 */
public final class FreePorts {
    static final int FIRST = 20_000;
    static final int LAST = 32_000;
    private static final AtomicInteger NEXT = new AtomicInteger(ThreadLocalRandom.current().nextInt(LAST - FIRST));
    private static final Set<Integer> GIVEN = ConcurrentHashMap.newKeySet();

    private FreePorts() {
    }

    public static int next() {
        for (int tries = 0; tries < LAST - FIRST; tries++) {
            int port = FIRST + Math.floorMod(NEXT.getAndIncrement(), LAST - FIRST);
            if (GIVEN.add(port) && bindable(port)) {
                return port;
            }
        }
        throw new UncheckedIOException(new IOException("no free port from " + FIRST + " to " + LAST));
    }

    /** True when a server can bind {@code port} on every address (as the services do) right now. */
    private static boolean bindable(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(port), 1);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** True when something accepts connections on {@code 127.0.0.1:port}. */
    public static boolean inUse(int port) {
        try (java.net.Socket ignored = new java.net.Socket(InetAddress.getLoopbackAddress(), port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
