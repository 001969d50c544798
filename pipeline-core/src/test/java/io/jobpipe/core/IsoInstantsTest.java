package io.jobpipe.core;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.jobpipe.core.event.IsoInstants;
import io.jobpipe.core.event.Json;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/** The fast instant path must be indistinguishable from Jackson's JSR-310 module with the ISO formatter. */
class IsoInstantsTest {
    /** The mapper events used before the fast path: the reference. */
    private static final ObjectMapper REFERENCE = JsonMapper.builder().addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE).build();

    @Test
    void shouldWriteAndReadEveryInstantExactlyAsTheIsoFormatterDoes() {
        SplittableRandom random = new SplittableRandom(42);
        List<Instant> instants = new ArrayList<>(List.of(Instant.EPOCH, Instant.parse("2024-02-29T23:59:59.999999999Z"),
                Instant.parse("0000-01-01T00:00:00Z"), Instant.parse("9999-12-31T23:59:59.5Z"),
                Instant.parse("1969-12-31T23:59:59.000001Z"), Instant.parse("+10000-01-01T00:00:00Z"), Instant.MIN,
                Instant.MAX));
        for (int i = 0; i < 20_000; i++) {
            long seconds = random.nextLong(-62_167_219_200L, 253_402_300_800L);
            int nanos = switch (i % 4) {
                case 0 -> 0;
                case 1 -> random.nextInt(1000) * 1_000_000;
                case 2 -> random.nextInt(1_000_000) * 1_000;
                default -> random.nextInt(1_000_000_000);
            };
            instants.add(Instant.ofEpochSecond(seconds, nanos));
        }
        for (Instant instant : instants) {
            String iso = DateTimeFormatter.ISO_INSTANT.format(instant);
            assertThat(IsoInstants.format(instant)).isEqualTo(iso);
            Instant parsed = IsoInstants.parseCanonical(iso);
            if (parsed != null) {
                assertThat(parsed).as(iso).isEqualTo(instant);
            }
        }
    }

    @Test
    void shouldReadTheCanonicalShapeOfEveryFractionLengthItself() {
        assertThat(IsoInstants.parseCanonical("2026-12-03T02:33:18Z")).isEqualTo(Instant.parse("2026-12-03T02:33:18Z"));
        for (String fraction : List.of("5", "12", "123", "1234", "12345", "123456", "1234567", "12345678", "123456789")) {
            String text = "2026-12-03T02:33:18." + fraction + "Z";
            assertThat(IsoInstants.parseCanonical(text)).as(text).isEqualTo(Instant.parse(text));
        }
    }

    @Test
    void shouldLeaveEveryOtherShapeToTheFormatter() {
        for (String text : List.of("2026-12-03T02:33:18", "2026-12-03T02:33:18.Z", "2026-12-03t02:33:18z",
                "2026-12-03T02:33:18.1234567890Z", "2026-12-03T03:33:18+01:00", "2026-02-30T00:00:00Z",
                "2026-13-01T00:00:00Z", "2026-12-03T24:00:00Z", "2016-12-31T23:59:60Z", "+2026-12-03T02:33:18Z",
                "2026-12-03 02:33:18Z", "2026-1a-03T02:33:18Z", "")) {
            assertThat(IsoInstants.parseCanonical(text)).as(text).isNull();
        }
    }

    /** Through the events' mapper: the same instants, the same refusals, the same text as the JSR-310 module alone. */
    @Test
    void shouldReadAndWriteEventsJsonAsTheJsr310ModuleDoes() throws Exception {
        for (String text : List.of("2026-12-03T02:33:18.123Z", "2026-12-03T02:33:18Z", "2016-12-31T23:59:60Z",
                "2026-12-03T03:33:18+01:00", "2026-02-30T00:00:00Z", "not a time", "+10000-01-01T00:00:00Z")) {
            String json = "\"" + text + "\"";
            Object expected = readOrError(REFERENCE, json);
            Object actual = readOrError(Json.MAPPER, json);
            assertThat(actual).as(text).isEqualTo(expected);
        }
        assertThat(Json.MAPPER.readValue("1700000000.5", Instant.class))
                .isEqualTo(REFERENCE.readValue("1700000000.5", Instant.class));
        Instant instant = Instant.parse("2026-12-03T02:33:18.120Z");
        assertThat(Json.MAPPER.writeValueAsString(instant)).isEqualTo(REFERENCE.writeValueAsString(instant))
                .isEqualTo("\"2026-12-03T02:33:18.120Z\"");
    }

    private static Object readOrError(ObjectMapper mapper, String json) {
        try {
            return mapper.readValue(json, Instant.class);
        } catch (Exception e) {
            return "refused";
        }
    }
}
