package io.jobpipe.runtime.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.jobpipe.core.event.Json;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** {@code --patch}: a JSON Merge Patch (RFC 7386) given inline, or as {@code @file.json}. */
final class JsonPatchConverter implements ITypeConverter<JsonNode> {
    @Override
    public JsonNode convert(String value) {
        String json = value;
        if (value.startsWith("@")) {
            Path file = Path.of(value.substring(1));
            try {
                json = Files.readString(file);
            } catch (NoSuchFileException e) {
                throw new TypeConversionException("no file " + file);
            } catch (IOException e) {
                throw new TypeConversionException("cannot read " + file + ": " + e.getMessage());
            }
        }
        try {
            JsonNode patch = Json.MAPPER.readTree(json);
            if (patch == null || patch.isMissingNode()) {
                throw new TypeConversionException("the patch is empty");
            }
            return patch;
        } catch (JsonProcessingException e) {
            throw new TypeConversionException("the patch is not JSON: " + e.getOriginalMessage());
        }
    }
}
