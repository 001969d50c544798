package io.jobpipe.ingest.limits;

import java.util.List;
import java.util.Locale;

/**
 * The media types a connection takes, e.g. {@code application/json}, {@code application/x-www-form-urlencoded},
 * or a range such as {@code application/*}. Parameters ({@code ; charset=utf-8}) and case do not matter; a request
 * without a {@code Content-Type} is not accepted, since nothing says how to read its body.
 */
public final class AcceptedContentTypes {
    private final List<String> types;

    public AcceptedContentTypes(List<String> types) {
        if (types.isEmpty()) {
            throw new IllegalArgumentException("a connection must accept at least one content type");
        }
        this.types = types.stream().map(AcceptedContentTypes::essence).toList();
        for (String type : this.types) {
            if (type.indexOf('/') <= 0 || type.endsWith("/")) {
                throw new IllegalArgumentException("'" + type + "' is not a media type (type/subtype)");
            }
        }
    }

    public boolean accepts(String contentType) {
        if (contentType == null || contentType.isBlank()) {
            return false;
        }
        String essence = essence(contentType);
        for (String type : types) {
            if (type.equals(essence) || type.equals("*/*")
                    || (type.endsWith("/*") && essence.startsWith(type.substring(0, type.length() - 1)))) {
                return true;
            }
        }
        return false;
    }

    public List<String> types() {
        return types;
    }

    private static String essence(String contentType) {
        int semicolon = contentType.indexOf(';');
        String type = semicolon < 0 ? contentType : contentType.substring(0, semicolon);
        return type.strip().toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return String.join(", ", types);
    }
}
