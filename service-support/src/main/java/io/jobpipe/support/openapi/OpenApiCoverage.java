package io.jobpipe.support.openapi;

import io.micronaut.web.router.Router;
import io.micronaut.web.router.UriRouteInfo;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * Which of the service's own routes (controllers under {@code io.jobpipe}) its OpenAPI description lacks, as
 * {@code GET /jobs/{jobId}}. The description is generated from the controllers at compile time, so a gap means a
 * controller the generator did not see (another module's, not listed in {@code @OpenAPIInclude}).
 */
public final class OpenApiCoverage {
    private OpenApiCoverage() {
    }

    public static List<String> undescribed(Router router, byte[] description) {
        Map<String, Object> document = new Yaml(new SafeConstructor(new LoaderOptions()))
                .load(new String(description, StandardCharsets.UTF_8));
        Object pathsNode = document == null ? null : document.get("paths");
        Map<?, ?> paths = pathsNode instanceof Map<?, ?> map ? map : Map.of();
        TreeSet<String> missing = new TreeSet<>();
        router.uriRoutes()
                .filter(route -> route.getTargetMethod().getDeclaringType().getName().startsWith("io.jobpipe."))
                .forEach(route -> {
                    String path = pathOf(route);
                    Object operations = paths.get(path);
                    String method = route.getHttpMethodName().toLowerCase(Locale.ROOT);
                    // Micronaut answers HEAD with the GET route: a described GET describes its HEAD.
                    boolean described = operations instanceof Map<?, ?> ops
                            && (ops.containsKey(method) || (method.equals("head") && ops.containsKey("get")));
                    if (!described) {
                        missing.add(route.getHttpMethodName() + " " + path);
                    }
                });
        return List.copyOf(missing);
    }

    /** The route's template as OpenAPI writes it: {@code /jobs/{jobId}}, without query parts. */
    static String pathOf(UriRouteInfo<?, ?> route) {
        String template = route.getUriMatchTemplate().toPathString();
        int query = template.indexOf("{?");
        return query >= 0 ? template.substring(0, query) : template;
    }
}
