package io.jobpipe.worker.agent.builtin.rules;

import dev.cel.bundle.Cel;
import dev.cel.bundle.CelFactory;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelOptions;
import dev.cel.common.CelSource;
import dev.cel.common.CelSourceLocation;
import dev.cel.common.CelValidationException;
import dev.cel.common.CelVarDecl;
import dev.cel.common.types.CelType;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import dev.cel.extensions.CelExtensions;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The language of a rule's {@code when}: CEL (cel-java), with the standard macros ({@code has}, {@code exists},
 * {@code all}, …) and the strings extension ({@code lowerAscii}, {@code split}, …), over the variables in
 * {@link #VARIABLES}. Compiling type-checks the expression (unknown variables, functions and {@code event} fields,
 * a result that cannot be a bool) and reports each problem with its line and column. A compiled {@link Condition}
 * is immutable and thread-safe: compile once, evaluate on every agent thread.
 */
public final class RuleLanguage {
    private static final CelType OBJECT = MapType.create(SimpleType.STRING, SimpleType.DYN);

    /** What a rule sees, by name: the same names as the {@code ${…}} placeholders of its actions. */
    public static final Map<String, CelType> VARIABLES = variables();

    /** Bounds a comprehension ({@code exists}, {@code all}, …) over a huge payload list. */
    private static final int MAX_ITERATIONS = 100_000;

    private static final Cel CEL = CelFactory.plannerCelBuilder()
            .setOptions(CelOptions.current().enableHeterogeneousNumericComparisons(true)
                    .comprehensionMaxIterations(MAX_ITERATIONS).build())
            .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
            .addCompilerLibraries(CelExtensions.strings())
            .addRuntimeLibraries(CelExtensions.strings())
            .addVarDeclarations(VARIABLES.entrySet().stream()
                    .map(v -> CelVarDecl.newVarDeclaration(v.getKey(), v.getValue())).toList())
            .setResultType(SimpleType.BOOL)
            .build();

    private RuleLanguage() {
    }

    private static Map<String, CelType> variables() {
        Map<String, CelType> variables = new LinkedHashMap<>();
        variables.put("event", OBJECT);
        variables.put("enrichment", OBJECT);
        variables.put("payload", SimpleType.DYN);
        variables.put("outputs", OBJECT);
        for (String text : List.of("connection", "eventType", "deliveryId", "jobId", "pipeline", "stage")) {
            variables.put(text, SimpleType.STRING);
        }
        return Map.copyOf(variables);
    }

    /**
     * Compiles {@code expression}, the {@code when} of rule {@code ruleName}.
     *
     * @throws InvalidRuleException naming the rule, with the line and column of every problem
     */
    public static Condition compile(String ruleName, String expression) {
        CelAbstractSyntaxTree ast;
        List<String> problems = new ArrayList<>();
        try {
            ast = CEL.compile(expression, "rule '" + ruleName + "'").getAst();
        } catch (CelValidationException e) {
            e.getErrors().forEach(issue -> problems.add(describe(issue.getSourceLocation(), issue.getMessage(),
                    e.getSource())));
            throw notCompiled(ruleName, problems);
        }
        EventFields.unknownIn(ast).forEach((location, field) -> problems.add(describe(location,
                "the event has no field '" + field + "'; its fields: " + EventFields.NAMES, ast.getSource())));
        if (!problems.isEmpty()) {
            throw notCompiled(ruleName, problems);
        }
        try {
            return new Condition(expression, CEL.createProgram(ast));
        } catch (CelEvaluationException e) {
            throw new InvalidRuleException("rule '" + ruleName + "': 'when' cannot be planned: " + e.getMessage());
        }
    }

    private static InvalidRuleException notCompiled(String ruleName, List<String> problems) {
        return new InvalidRuleException("rule '" + ruleName + "': 'when' does not compile: " + String.join("; ", problems));
    }

    /** {@code line 1, column 12: undeclared reference to 'foo'} followed by the line and a caret under the spot. */
    private static String describe(CelSourceLocation location, String message, CelSource source) {
        if (CelSourceLocation.NONE.equals(location)) {
            return message;
        }
        String where = "line " + location.getLine() + ", column " + (location.getColumn() + 1) + ": " + message;
        return source.getSnippet(location.getLine())
                .map(line -> where + "\n  | " + line + "\n  | " + " ".repeat(Math.max(0, location.getColumn())) + "^")
                .orElse(where);
    }

    /** A compiled {@code when}: evaluates to true or false, or fails with the reason. */
    public record Condition(String expression, CelRuntime.Program program) {

        /**
         * @param variables the {@link #VARIABLES}, as CEL values ({@link CelValues#of})
         * @throws RuleEvaluationException when the expression fails on these values (a missing key, a type that does
         *                                 not fit) or does not yield a bool
         */
        public boolean test(Map<String, Object> variables) throws RuleEvaluationException {
            Object result;
            try {
                result = program.eval(variables);
            } catch (CelEvaluationException e) {
                throw new RuleEvaluationException(e.getMessage(), e);
            }
            if (result instanceof Boolean matched) {
                return matched;
            }
            throw new RuleEvaluationException("'" + expression + "' yielded " + CelValues.describe(result)
                    + ", not true or false");
        }
    }

    /** A rule the language refuses; the message names the rule and where in its expression the problem is. */
    public static final class InvalidRuleException extends IllegalArgumentException {
        public InvalidRuleException(String message) {
            super(message);
        }
    }

    /** A condition that failed on one job's values. */
    public static final class RuleEvaluationException extends Exception {
        RuleEvaluationException(String message) {
            super(message);
        }

        RuleEvaluationException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
