package dev.gameday.review;

import dev.gameday.exercise.Catalog.Version;
import dev.gameday.exercise.Model.Exercise;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A rubric's version: the first 12 hex digits of the SHA-256 of its criteria as JSON (ids, titles, values, weights,
 * descriptions, levels with descriptors and anchors). Editing anything a reviewer scores against gives a new version;
 * editing the brief or the evidence of the exercise does not.
 */
public final class RubricVersions {
  private static final Map<Long, String> BY_EXERCISE_VERSION = new ConcurrentHashMap<>();

  private RubricVersions() {
  }

  public static String of(Version v) {
    return BY_EXERCISE_VERSION.computeIfAbsent(v.id(), id -> of(v.exercise()));
  }

  public static String of(Exercise e) {
    JsonArray rubric = new JsonArray(e.rubric().stream().map(JsonObject::mapFrom).toList());
    byte[] hash = dev.gameday.web.Tokens.sha256(rubric.encode().getBytes(StandardCharsets.UTF_8));
    return HexFormat.of().formatHex(hash).substring(0, 12);
  }
}
