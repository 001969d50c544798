package io.jobpipe.worker.agent.builtin.rules;

import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelSourceLocation;
import dev.cel.common.ast.CelExpr;
import io.jobpipe.worker.agent.builtin.CanonicalEvent;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The canonical event has a fixed shape, so a rule that reads {@code event.sorce} is a typo to refuse at start-up,
 * not a failure of every job. CEL sees {@code event} as a map and cannot know this; here the checked expression's
 * field selections on {@code event} are compared with {@link CanonicalEvent}'s fields.
 */
final class EventFields {
    static final Set<String> NAMES = new TreeSet<>(Arrays.stream(CanonicalEvent.class.getRecordComponents())
            .map(java.lang.reflect.RecordComponent::getName).toList());

    private EventFields() {
    }

    /** Where {@code ast} selects a field the event does not have, and that field's name. */
    static Map<CelSourceLocation, String> unknownIn(CelAbstractSyntaxTree ast) {
        Map<CelSourceLocation, String> unknown = new LinkedHashMap<>();
        List<CelExpr> pending = new ArrayList<>(List.of(ast.getExpr()));
        while (!pending.isEmpty()) {
            CelExpr expr = pending.remove(pending.size() - 1);
            if (expr.getKind() == CelExpr.ExprKind.Kind.SELECT) {
                CelExpr operand = expr.select().operand();
                String field = expr.select().field();
                if (isEventVariable(ast, operand) && !NAMES.contains(field)) {
                    unknown.put(locationOf(ast, expr), field);
                }
            }
            pending.addAll(children(expr));
        }
        return unknown;
    }

    /** The declared variable {@code event}, not a comprehension's own variable of that name. */
    private static boolean isEventVariable(CelAbstractSyntaxTree ast, CelExpr expr) {
        return expr.getKind() == CelExpr.ExprKind.Kind.IDENT && expr.ident().name().equals("event")
                && ast.getReference(expr.id()).map(reference -> reference.name().equals("event")).orElse(false);
    }

    private static CelSourceLocation locationOf(CelAbstractSyntaxTree ast, CelExpr expr) {
        Integer offset = ast.getSource().getPositionsMap().get(expr.id());
        return offset == null ? CelSourceLocation.NONE
                : ast.getSource().getOffsetLocation(offset).orElse(CelSourceLocation.NONE);
    }

    private static List<CelExpr> children(CelExpr expr) {
        List<CelExpr> children = new ArrayList<>();
        switch (expr.getKind()) {
            case SELECT -> children.add(expr.select().operand());
            case CALL -> {
                expr.call().target().ifPresent(children::add);
                children.addAll(expr.call().args());
            }
            case LIST -> children.addAll(expr.list().elements());
            case MAP -> expr.map().entries().forEach(entry -> {
                children.add(entry.key());
                children.add(entry.value());
            });
            case STRUCT -> expr.struct().entries().forEach(entry -> children.add(entry.value()));
            case COMPREHENSION -> {
                var loop = expr.comprehension();
                children.addAll(List.of(loop.iterRange(), loop.accuInit(), loop.loopCondition(), loop.loopStep(),
                        loop.result()));
            }
            default -> {
                // Constants and identifiers have no children.
            }
        }
        return children;
    }
}
