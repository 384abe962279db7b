package dev.gameday.exercise;

import dev.gameday.exercise.Model.Problem;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The shared world of a track ({@code exercises/world.yaml}): people and their roles, service figures, the
 * calendar and the ids each exercise owns. Each exercise declares what it uses in a {@code world:} section of
 * its exercise.yaml; {@link #checkExercise} compares the declaration with the world and scans the exercise's
 * brief and Markdown evidence for people and ids it does not declare.
 */
final class World {
  private final String file;
  private final Map<String, String> people = new LinkedHashMap<>();
  private final Map<String, String> ids = new LinkedHashMap<>();
  private final Map<String, String> figures = new LinkedHashMap<>();
  private final Map<String, String> calendar = new HashMap<>(); // exercise -> date

  private World(String file) {
    this.file = file;
  }

  /** Parses world.yaml; returns null (no world checks) when text is null. */
  static World parse(String text, String file, List<Problem> problems) {
    if (text == null) {
      return null;
    }
    Yaml root = Yaml.parse(text, file, problems);
    if (root == null) {
      return null;
    }
    World w = new World(file);
    Yaml people = root.get("people");
    if (people == null) {
      root.problem("missing 'people' (name: role)");
    } else {
      for (String name : people.keys()) {
        w.people.put(name, people.get(name).scalar());
      }
    }
    Yaml ids = root.get("ids");
    if (ids != null) {
      for (String id : ids.keys()) {
        w.ids.put(id, ids.get(id).scalar());
      }
    }
    Yaml services = root.get("services");
    if (services != null) {
      for (String service : services.keys()) {
        Yaml s = services.get(service);
        for (String key : s.keys()) {
          if (!key.equals("what")) {
            w.figures.put(service + "." + key, s.get(key).scalar());
          }
        }
      }
    }
    Map<String, Yaml> byDate = new HashMap<>();
    for (Yaml entry : root.list("calendar", true)) {
      String date = entry.str("date", 20);
      String exercise = entry.str("exercise", 64);
      if (date == null || exercise == null) {
        continue;
      }
      Yaml other = byDate.putIfAbsent(date, entry);
      if (other != null) {
        entry.problem("two exercises on " + date + " (" + other.get("exercise").scalar() + " and " + exercise
            + "): a track keeps one world, so each day belongs to one exercise");
      }
      w.calendar.put(exercise, date);
    }
    return w;
  }

  private static String norm(String v) {
    return v == null ? "" : v.replace(",", "").replace(" ", "").toLowerCase(Locale.ROOT);
  }

  /**
   * Checks one exercise against the world.
   *
   * @param texts display name of the brief and each Markdown/text evidence file to its text
   */
  void checkExercise(String exerciseId, Yaml meta, String metaFile, Map<String, String> texts, List<Problem> problems) {
    Yaml decl = meta.get("world");
    if (decl == null) {
      problems.add(new Problem(metaFile, 1, "missing 'world' (date, people, ids, figures): every exercise declares what it uses of "
          + file));
      return;
    }
    String date = decl.str("date", 20);
    String expected = calendar.get(exerciseId);
    if (date != null && !date.equals(expected)) {
      decl.get("date").problem("date " + date + " is not this exercise's day in " + file
          + (expected == null ? " (it has no calendar entry)" : " (" + expected + ")"));
    }
    Map<String, String> declaredPeople = new HashMap<>();
    Yaml people = decl.get("people");
    if (people != null) {
      for (String name : people.keys()) {
        String role = people.get(name).scalar();
        declaredPeople.put(name, role);
        String worldRole = this.people.get(name);
        if (worldRole == null) {
          people.get(name).problem(name + " is not one of the people in " + file);
        } else if (!worldRole.equals(role)) {
          people.get(name).problem(name + " is '" + role + "' here but '" + worldRole + "' in " + file);
        }
      }
    }
    Yaml ids = decl.get("ids");
    if (ids != null) {
      for (Yaml id : decl.list("ids", false)) {
        String owner = this.ids.get(id.scalar());
        if (owner == null) {
          id.problem("id " + id.scalar() + " is not listed under ids in " + file);
        } else if (!owner.equals(exerciseId)) {
          id.problem("id " + id.scalar() + " belongs to " + owner + " in " + file);
        }
      }
    }
    Yaml figs = decl.get("figures");
    if (figs != null) {
      for (String key : figs.keys()) {
        String value = figs.get(key).scalar();
        String worldValue = figures.get(key);
        if (worldValue == null) {
          figs.get(key).problem(key + " is not a figure of " + file + " (services.<service>.<figure>)");
        } else if (!norm(worldValue).equals(norm(value))) {
          figs.get(key).problem(key + " is " + value + " here but " + worldValue + " in " + file);
        } else if (texts.values().stream().noneMatch(t -> states(t, value))) {
          figs.get(key).problem(key + " = " + value + " is declared but the brief and evidence never state it");
        }
      }
    }
    // one pattern per person and id for all the lines (start-up reads about 1,650 evidence lines)
    Map<String, Pattern> namePatterns = new java.util.HashMap<>();
    this.people.keySet().forEach(name -> namePatterns.put(name, mentionPattern(name)));
    Map<String, Pattern> idPatterns = new java.util.HashMap<>();
    this.ids.keySet().forEach(id -> idPatterns.put(id, idPattern(id)));
    for (Map.Entry<String, String> t : texts.entrySet()) {
      String[] lines = t.getValue().split("\n", -1);
      for (int i = 0; i < lines.length; i++) {
        for (Map.Entry<String, String> p : this.people.entrySet()) {
          String name = p.getKey();
          if (!declaredPeople.containsKey(name) && namePatterns.get(name).matcher(lines[i]).find()) {
            problems.add(new Problem(t.getKey(), i + 1, "names " + name + " (" + p.getValue() + " in " + file
                + "), who is not declared under world: people in exercise.yaml"));
          }
        }
        for (Map.Entry<String, String> id : this.ids.entrySet()) {
          if (!id.getValue().equals(exerciseId) && usesId(lines[i], idPatterns.get(id.getKey()))) {
            problems.add(new Problem(t.getKey(), i + 1, "uses id " + id.getKey() + ", which belongs to " + id.getValue()
                + " in " + file));
          }
        }
      }
    }
  }

  /** Whether a text states a figure as a whole number or phrase ("7,000" matches "7000" and "7,000", not "17,000"). */
  private static boolean states(String text, String value) {
    String t = text.replaceAll("(?<=\\d),(?=\\d{3})", "");
    String v = value.replaceAll("(?<=\\d),(?=\\d{3})", "").strip();
    return Pattern.compile("(?<![0-9.])" + Pattern.quote(v) + "(?![0-9])").matcher(t).find();
  }

  private static Pattern mentionPattern(String name) {
    return Pattern.compile("(?<!\\p{L})(" + Pattern.quote(name) + "|" + Pattern.quote(name.toLowerCase(Locale.ROOT))
        + ")(?!\\p{L})");
  }

  private static Pattern idPattern(String id) {
    return Pattern.compile("(?<![0-9A-Za-z])" + Pattern.quote(id) + "(?![0-9])");
  }

  private static boolean usesId(String line, Pattern id) {
    Matcher m = id.matcher(line);
    while (m.find()) {
      // a bare number like 2291 counts as the id, but not inside a larger number or a decimal
      int s = m.start();
      if (s > 0 && (line.charAt(s - 1) == '.' || line.charAt(s - 1) == ',')) {
        continue;
      }
      return true;
    }
    return false;
  }
}
