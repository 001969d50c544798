package io.jobpipe.core.pipeline;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/** A named, ordered list of stages. A job runs them one after the other. */
public record PipelineDefinition(String name, List<StageDefinition> stages) {

    public PipelineDefinition {
        Objects.requireNonNull(name, "name");
        stages = List.copyOf(stages);
        if (stages.isEmpty()) {
            throw new IllegalArgumentException("pipeline " + name + " has no stages");
        }
        Set<String> seen = new HashSet<>();
        for (StageDefinition stage : stages) {
            if (!seen.add(stage.name())) {
                throw new IllegalArgumentException("pipeline " + name + " lists stage " + stage.name() + " twice");
            }
        }
    }

    public StageDefinition stage(int index) {
        return stages.get(index);
    }

    public Optional<StageDefinition> stage(String stageName) {
        return stages.stream().filter(s -> s.name().equals(stageName)).findFirst();
    }

    public int indexOf(String stageName) {
        for (int i = 0; i < stages.size(); i++) {
            if (stages.get(i).name().equals(stageName)) {
                return i;
            }
        }
        return -1;
    }

    public List<String> stageNames() {
        return stages.stream().map(StageDefinition::name).toList();
    }
}
