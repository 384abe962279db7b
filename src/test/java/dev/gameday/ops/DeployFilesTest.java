package dev.gameday.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gameday.Config;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/** No Docker engine runs here: the Dockerfile and docker-compose.yml are checked as text, and against the README. */
class DeployFilesTest {
  static final Pattern TICKED = Pattern.compile("`([^`]+)`");

  @SuppressWarnings("unchecked")
  static Map<String, Object> compose() throws Exception {
    return new Yaml().load(Files.readString(Path.of("docker-compose.yml")));
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> service(String name) throws Exception {
    Map<String, Object> services = (Map<String, Object>) compose().get("services");
    Map<String, Object> s = (Map<String, Object>) services.get(name);
    assertNotNull(s, "docker-compose.yml has a service " + name);
    return s;
  }

  /** Dockerfile instructions, continuation lines joined, comments dropped. */
  static List<String> dockerfile() throws Exception {
    List<String> out = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    for (String line : Files.readAllLines(Path.of("Dockerfile"))) {
      String t = line.strip();
      if (t.startsWith("#") || t.isEmpty() && cur.length() == 0) {
        continue;
      }
      if (t.endsWith("\\")) {
        cur.append(t, 0, t.length() - 1).append(' ');
      } else {
        out.add(cur.append(t).toString().strip());
        cur.setLength(0);
      }
    }
    return out;
  }

  /** The README's Docker section: its table rows (service, ports, volumes) and the variables it names. */
  static String readmeDocker() throws Exception {
    String readme = Files.readString(Path.of("README.md"));
    int start = readme.indexOf("### Docker");
    assertTrue(start >= 0, "README has a ### Docker section");
    int end = readme.indexOf("\n#", start + 10);
    return readme.substring(start, end < 0 ? readme.length() : end);
  }

  static List<String> ticked(String cell) {
    List<String> out = new ArrayList<>();
    Matcher m = TICKED.matcher(cell);
    while (m.find()) {
      out.add(m.group(1));
    }
    return out;
  }

  @Test
  @DisplayName("the Dockerfile builds with Maven, runs on a JRE as a non-root user, and checks /ready")
  void dockerfileShape() throws Exception {
    List<String> ins = dockerfile();
    List<String> froms = ins.stream().filter(i -> i.startsWith("FROM ")).toList();
    assertEquals(2, froms.size(), "two stages: " + froms);
    assertTrue(froms.get(0).matches("FROM maven:\\S+ AS build"), froms.get(0));
    assertTrue(froms.get(1).matches("FROM \\S*(jre)\\S*"), "the runtime is a JRE image: " + froms.get(1));
    int runtime = ins.indexOf(froms.get(1));
    List<String> last = ins.subList(runtime, ins.size());
    assertTrue(ins.subList(0, runtime).stream().anyMatch(i -> i.startsWith("RUN mvn") && i.contains("package")),
        "the build stage packages the jar");
    assertTrue(last.stream().anyMatch(i -> i.startsWith("COPY --from=build ") && i.contains("gameday.jar")));
    String user = last.stream().filter(i -> i.startsWith("USER ")).reduce((a, b) -> b).orElse("USER root");
    assertFalse(user.matches("USER (root|0)(:.*)?"), "runs as a non-root user: " + user);
    String health = last.stream().filter(i -> i.startsWith("HEALTHCHECK ")).findFirst().orElse("");
    assertTrue(health.contains("/ready"), "HEALTHCHECK on /ready: " + health);
    assertTrue(last.stream().anyMatch(i -> i.startsWith("ENTRYPOINT") && i.contains("/app/gameday.jar")));
    // every variable it sets is one Config reads, and the port it exposes is the one it configures
    Map<String, String> env = new LinkedHashMap<>();
    for (String i : last) {
      if (i.startsWith("ENV ")) {
        for (String kv : i.substring(4).trim().split("\\s+")) {
          String[] p = kv.split("=", 2);
          env.put(p[0], p.length > 1 ? p[1] : "");
        }
      }
    }
    env.keySet().forEach(k -> assertTrue(Config.VARIABLES.contains(k), "Dockerfile sets unknown " + k));
    assertEquals(env.get("GAMEDAY_PORT"), last.stream().filter(i -> i.startsWith("EXPOSE ")).findFirst()
        .orElseThrow().substring(7).trim());
    assertTrue(health.contains(":" + env.get("GAMEDAY_PORT") + "/"), "the health check asks the configured port");
    assertTrue(last.stream().anyMatch(i -> i.startsWith("COPY exercises " + env.get("GAMEDAY_EXERCISES"))),
        "the library is where GAMEDAY_EXERCISES points");
    Config.fromEnvironment(env); // the values are valid
  }

  @Test
  @SuppressWarnings("unchecked")
  @DisplayName("compose builds the image, waits for a healthy Postgres, has exactly one mail catcher, and agrees with its own parts")
  void composeShape() throws Exception {
    Map<String, Object> services = (Map<String, Object>) compose().get("services");
    Map<String, Object> gameday = service("gameday");
    assertNotNull(gameday.get("build"), "the gameday service builds the Dockerfile");
    Map<String, Object> deps = (Map<String, Object>) gameday.get("depends_on");
    assertEquals("service_healthy", ((Map<String, Object>) deps.get("postgres")).get("condition"));
    Map<String, Object> pg = service("postgres");
    List<String> test = (List<String>) ((Map<String, Object>) pg.get("healthcheck")).get("test");
    assertTrue(String.join(" ", test).contains("pg_isready"));
    List<String> catchers = services.entrySet().stream()
        .filter(e -> String.valueOf(((Map<String, Object>) e.getValue()).get("image")).contains("mailpit")
            || e.getKey().contains("mail"))
        .map(Map.Entry::getKey).toList();
    assertEquals(List.of("mailpit"), catchers, "exactly one mail catcher, named mailpit");

    Map<String, Object> env = (Map<String, Object>) gameday.get("environment");
    env.keySet().forEach(k -> assertTrue(Config.VARIABLES.contains(k), "compose sets unknown " + k));
    URI db = URI.create(String.valueOf(env.get("GAMEDAY_DATABASE_URL")));
    assertTrue(services.containsKey(db.getHost()), "the database host is a service: " + db.getHost());
    Map<String, Object> pgEnv = (Map<String, Object>) pg.get("environment");
    assertEquals(pgEnv.get("POSTGRES_USER") + ":" + pgEnv.get("POSTGRES_PASSWORD"), db.getUserInfo());
    assertEquals("/" + pgEnv.get("POSTGRES_DB"), db.getPath());
    assertEquals(5432, db.getPort());
    String port = String.valueOf(env.get("GAMEDAY_PORT"));
    assertTrue(((List<String>) gameday.get("ports")).stream().anyMatch(p -> p.endsWith(":" + port)),
        "the published container port is GAMEDAY_PORT");
    assertTrue(String.valueOf(env.get("GAMEDAY_PUBLIC_URL")).endsWith(":" + port));

    Map<String, Object> declared = (Map<String, Object>) compose().getOrDefault("volumes", Map.of());
    for (Map.Entry<String, Object> e : services.entrySet()) {
      for (String v : (List<String>) ((Map<String, Object>) e.getValue()).getOrDefault("volumes", List.of())) {
        String source = v.split(":")[0];
        if (!source.startsWith(".") && !source.startsWith("/")) {
          assertTrue(declared.containsKey(source), e.getKey() + " mounts undeclared volume " + source);
        } else {
          assertTrue(Files.exists(Path.of(source)), e.getKey() + " mounts missing " + source);
        }
      }
    }
  }

  @Test
  @SuppressWarnings("unchecked")
  @DisplayName("every service, port, volume and variable the README's Docker section names is in docker-compose.yml")
  void readmeMatchesCompose() throws Exception {
    String section = readmeDocker();
    Map<String, Object> services = (Map<String, Object>) compose().get("services");
    List<String> named = new ArrayList<>();
    for (String row : section.split("\n")) {
      if (!row.startsWith("| `")) {
        continue;
      }
      String[] cells = row.split("\\|");
      String name = ticked(cells[1]).get(0);
      named.add(name);
      Map<String, Object> s = service(name);
      List<String> ports = (List<String>) s.getOrDefault("ports", List.of());
      for (String p : ticked(cells[3])) {
        assertTrue(ports.stream().anyMatch(x -> x.split(":")[0].equals(p)), name + " publishes " + p + ": " + ports);
      }
      assertEquals(ticked(cells[3]).size(), ports.size(), name + ": the README names every published port");
      List<String> volumes = (List<String>) s.getOrDefault("volumes", List.of());
      for (String v : ticked(cells[4])) {
        assertTrue(volumes.stream().anyMatch(x -> x.split(":")[0].equals(v)), name + " mounts " + v + ": " + volumes);
      }
      assertEquals(ticked(cells[4]).size(), volumes.size(), name + ": the README names every volume");
    }
    assertEquals(services.keySet(), new java.util.HashSet<>(named), "the README's table lists every service");
    Map<String, Object> env = (Map<String, Object>) service("gameday").get("environment");
    Matcher m = Pattern.compile("GAMEDAY_[A-Z_]+").matcher(section);
    List<String> mentioned = new ArrayList<>();
    while (m.find()) {
      mentioned.add(m.group());
    }
    for (String v : mentioned) {
      assertTrue(env.containsKey(v), "the README says compose sets " + v);
    }
    for (String v : env.keySet()) {
      assertTrue(mentioned.contains(v), "the README's Docker section names " + v);
    }
    assertTrue(section.contains("HEALTHCHECK") && section.contains("/ready") && section.contains("non-root"));
  }
}
