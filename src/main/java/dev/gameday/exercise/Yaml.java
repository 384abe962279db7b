package dev.gameday.exercise;

import dev.gameday.exercise.Model.Problem;
import java.util.ArrayList;
import java.util.List;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * A YAML node that remembers its file and line, so that every validation problem can be reported as
 * {@code file:line: message}. Missing or mistyped values are recorded as problems and read as null/defaults.
 */
final class Yaml {
  private final Node node;
  private final String file;
  private final List<Problem> problems;

  private Yaml(Node node, String file, List<Problem> problems) {
    this.node = node;
    this.file = file;
    this.problems = problems;
  }

  /** Parses text; on a syntax error records it and returns null. */
  static Yaml parse(String text, String file, List<Problem> problems) {
    LoaderOptions options = new LoaderOptions();
    options.setAllowDuplicateKeys(false);
    options.setCodePointLimit(2 * 1024 * 1024);
    try {
      Node root = new org.yaml.snakeyaml.Yaml(new SafeConstructor(options), new org.yaml.snakeyaml.representer.Representer(new org.yaml.snakeyaml.DumperOptions()), new org.yaml.snakeyaml.DumperOptions(), options).compose(new java.io.StringReader(text));
      if (!(root instanceof MappingNode)) {
        problems.add(new Problem(file, 1, "expected a mapping of keys to values at the top level"));
        return null;
      }
      return new Yaml(root, file, problems);
    } catch (MarkedYAMLException e) {
      int line = e.getProblemMark() == null ? 1 : e.getProblemMark().getLine() + 1;
      problems.add(new Problem(file, line, "YAML syntax: " + e.getProblem()));
      return null;
    } catch (RuntimeException e) {
      problems.add(new Problem(file, 1, "YAML could not be read: " + e.getMessage()));
      return null;
    }
  }

  int line() {
    return node.getStartMark().getLine() + 1;
  }

  void problem(String message) {
    problems.add(new Problem(file, line(), message));
  }

  Yaml get(String key) {
    if (node instanceof MappingNode m) {
      for (NodeTuple t : m.getValue()) {
        if (t.getKeyNode() instanceof ScalarNode k && k.getValue().equals(key)) {
          return new Yaml(t.getValueNode(), file, problems);
        }
      }
    }
    return null;
  }

  List<String> keys() {
    List<String> keys = new ArrayList<>();
    if (node instanceof MappingNode m) {
      for (NodeTuple t : m.getValue()) {
        if (t.getKeyNode() instanceof ScalarNode k) {
          keys.add(k.getValue());
        }
      }
    }
    return keys;
  }

  boolean isScalar() {
    return node instanceof ScalarNode;
  }

  String scalar() {
    return node instanceof ScalarNode s ? s.getValue() : null;
  }

  /** A required string no longer than max characters. */
  String str(String key, int max) {
    Yaml v = get(key);
    if (v == null) {
      problem("missing '" + key + "'");
      return null;
    }
    String s = v.scalar();
    if (s == null || s.isBlank()) {
      v.problem("'" + key + "' must be a non-empty text");
      return null;
    }
    if (s.length() > max) {
      v.problem("'" + key + "' is longer than " + max + " characters");
    }
    return s.strip();
  }

  String optionalStr(String key, int max) {
    return get(key) == null ? null : str(key, max);
  }

  int integer(String key, int min, int max, Integer defaultValue) {
    Yaml v = get(key);
    if (v == null) {
      if (defaultValue == null) {
        problem("missing '" + key + "'");
        return min;
      }
      return defaultValue;
    }
    try {
      int n = Integer.parseInt(v.scalar() == null ? "" : v.scalar().trim());
      if (n < min || n > max) {
        v.problem("'" + key + "' must be between " + min + " and " + max + ", got " + n);
      }
      return n;
    } catch (NumberFormatException e) {
      v.problem("'" + key + "' must be a whole number");
      return min;
    }
  }

  Double number(String key) {
    Yaml v = get(key);
    if (v == null) {
      problem("missing '" + key + "'");
      return null;
    }
    try {
      return Double.parseDouble(v.scalar() == null ? "" : v.scalar().trim());
    } catch (NumberFormatException e) {
      v.problem("'" + key + "' must be a number");
      return null;
    }
  }

  /** The items of a list; records a problem and returns an empty list when the key holds no list. */
  List<Yaml> list(String key, boolean required) {
    Yaml v = get(key);
    if (v == null) {
      if (required) {
        problem("missing '" + key + "' (a list)");
      }
      return List.of();
    }
    if (!(v.node instanceof SequenceNode seq)) {
      v.problem("'" + key + "' must be a list");
      return List.of();
    }
    List<Yaml> items = new ArrayList<>();
    for (Node n : seq.getValue()) {
      items.add(new Yaml(n, file, problems));
    }
    return items;
  }
}
