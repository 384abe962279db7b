import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes a pgbench script of Gameday's own statements, read from the jar so the bench never runs a copy that drifted
 * (issue 28). Each transaction is one seeded writer's (bench/seed.sql: invitation ids :first .. :first + :count - 1,
 * session cookie bench-session-<id>):
 * <ul>
 *   <li>{@code save}: the autosave statement ({@code candidate.Answers.SAVE}) saving the summary section with a new
 *   ~2 KB text and a rising revision, as bench/lua/autosave.lua does through the server: "pgbench running the same
 *   upsert".</li>
 *   <li>{@code page}: the database's part of one exercise page view as the server sends it, the session lookup
 *   ({@code web.Sessions.LOOKUP}) and the overview statement with the answer ({@code candidate.CandidateService.OVERVIEW}):
 *   with no HTTP and no template, the most a server sending these statements for each view could serve the page at.</li>
 * </ul>
 *
 *   java -cp target/gameday.jar bench/PgbenchScript.java save|page OUT.sql
 *   pgbench -n -M prepared -D first=N -D count=M -f OUT.sql ...
 */
public class PgbenchScript {
  /** The session's id hash for writer :id, as the server computes it from the cookie. */
  private static final String SESSION_HASH = "sha256(convert_to('bench-session-' || :id, 'UTF8'))";

  public static void main(String[] args) throws Exception {
    List<String> statements = switch (args[0]) {
      case "save" -> {
        String text = "repeat('Markdown autosave text with `code`, *emphasis* and a list: - one - two ', 25)";
        String rev = "(extract(epoch from clock_timestamp()) * 1000000)::bigint";
        yield List.of(constant("dev.gameday.candidate.Answers", "SAVE")
            .replace("$1", ":id")
            .replace("$2", "'incident-postmortem'")
            .replace("$3", rev)
            .replace("$4::jsonb", "jsonb_build_object('summary', " + text + " || " + rev + "::text)")
            .replace("$5", "60")
            .replace("$6::jsonb", "'{\"summary\": 300}'::jsonb")
            .replace("$7", SESSION_HASH)
            .replace("$8", "86400"));
      }
      case "page" -> List.of(
          constant("dev.gameday.web.Sessions", "LOOKUP")
              .replace("$1", SESSION_HASH)
              .replace("$2", "86400") // a candidate's idle timeout (Sessions.CANDIDATE_IDLE)
              .replace("$3", "7200") // a staff account's idle timeout (the default)
              .replace("$4", "43200"), // and its absolute one
          constant("dev.gameday.candidate.CandidateService", "OVERVIEW")
              .replace("$1", ":id")
              .replace("$2", "'incident-postmortem'"));
      default -> throw new IllegalArgumentException("save or page, not " + args[0]);
    };
    StringBuilder out = new StringBuilder("\\set id :first + random(0, :count - 1)\n");
    for (String sql : statements) {
      if (sql.matches("(?s).*\\$[0-9].*")) {
        throw new IllegalStateException("a statement has a parameter this script does not fill: " + sql);
      }
      out.append(sql.strip().replaceAll("\\s*\\n\\s*", " ")).append(";\n");
    }
    Files.writeString(Path.of(args[1]), out.toString());
  }

  private static String constant(String type, String name) throws Exception {
    Field f = Class.forName(type).getDeclaredField(name);
    f.setAccessible(true);
    return (String) f.get(null);
  }
}
