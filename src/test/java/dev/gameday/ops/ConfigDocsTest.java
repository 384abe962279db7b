package dev.gameday.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gameday.Config;
import dev.gameday.Main;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/** The README's configuration reference is complete: every variable Config reads, every flag of every command. */
class ConfigDocsTest {
  static String readme() throws Exception {
    return Files.readString(Path.of("README.md"));
  }

  /** Rows of the README's configuration table: variable to [default, example, meaning]. */
  static Map<String, String[]> table() throws Exception {
    String r = readme();
    int start = r.indexOf("## Configuration");
    String section = r.substring(start, r.indexOf("\n## ", start + 5));
    Map<String, String[]> rows = new java.util.LinkedHashMap<>();
    for (String line : section.split("\n")) {
      Matcher m = Pattern.compile("^\\| `(GAMEDAY_[A-Z0-9_]+)` \\|(.*)$").matcher(line);
      if (m.find()) {
        String[] cells = m.group(2).split("\\|");
        rows.put(m.group(1), new String[] {cells[0].trim(), cells[1].trim(), cells[2].trim()});
      }
    }
    return rows;
  }

  @Test
  @DisplayName("Config.VARIABLES is exactly the set of GAMEDAY_ names Config.java reads")
  void variablesListIsTheSource() throws Exception {
    String source = Files.readString(Path.of("src/main/java/dev/gameday/Config.java"));
    Matcher m = Pattern.compile("\"(GAMEDAY_[A-Z0-9_]+)\"").matcher(source);
    TreeSet<String> read = new TreeSet<>();
    while (m.find()) {
      read.add(m.group(1));
    }
    assertEquals(read, new TreeSet<>(Config.VARIABLES));
  }

  @Test
  @DisplayName("every variable Config reads has a README row with a default, an example and a meaning")
  void everyVariableDocumented() throws Exception {
    Map<String, String[]> rows = table();
    for (String v : Config.VARIABLES) {
      String[] row = rows.get(v);
      assertTrue(row != null, v + " is missing from the README's configuration table");
      for (String cell : row) {
        assertTrue(!cell.isEmpty(), v + " has an empty cell");
      }
    }
    assertEquals(new TreeSet<>(Config.VARIABLES), new TreeSet<>(rows.keySet()), "the table documents nothing else");
  }

  @Test
  @DisplayName("every flag of every command is in the README's command line section")
  void everyFlagDocumented() throws Exception {
    String r = readme();
    int start = r.indexOf("## Command line");
    String section = r.substring(start, r.indexOf("\n## ", start + 5));
    List<String> missing = new ArrayList<>();
    walk(new CommandLine(new Main()), section, missing);
    assertTrue(missing.isEmpty(), "undocumented: " + missing);
  }

  private static void walk(CommandLine cmd, String section, List<String> missing) {
    String path = cmd.getCommandSpec().qualifiedName(" ");
    if (cmd.getParent() != null && !section.contains(path.replaceFirst("^gameday ", "") + "")) {
      missing.add("command " + path);
    }
    for (OptionSpec o : cmd.getCommandSpec().options()) {
      if (o.usageHelp() || o.versionHelp()) {
        continue;
      }
      if (!section.contains(o.longestName())) {
        missing.add(path + " " + o.longestName());
      }
    }
    cmd.getSubcommands().values().forEach(sub -> walk(sub, section, missing));
  }
}
