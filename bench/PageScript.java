import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes a pgbench script that runs the database's part of one exercise page as the server sends it: the session
 * lookup ({@code web.Sessions.LOOKUP}) and the overview statement with the candidate's answer
 * ({@code candidate.CandidateService.OVERVIEW}), both read from the jar so the bench never runs a copy that drifted.
 * Each transaction is one page view of a seeded writer (bench/seed.sql: invitation ids :first .. :first + :count - 1,
 * session cookie bench-session-<id>), as the exercise-page-kept scenario asks through the server. Run with no HTTP and
 * no template, it is the most a server sending these two statements for each view could serve the page at (issue 28;
 * bench/results/2026-12-06-ceilings.md).
 *
 *   java -cp target/gameday.jar bench/PageScript.java OUT.sql
 *   pgbench -n -M prepared -D first=N -D count=M -f OUT.sql ...
 */
public class PageScript {
  public static void main(String[] args) throws Exception {
    String lookup = constant("dev.gameday.web.Sessions", "LOOKUP")
        .replace("$1", "sha256(convert_to('bench-session-' || :id, 'UTF8'))")
        .replace("$2", "86400") // a candidate's idle timeout (Sessions.CANDIDATE_IDLE)
        .replace("$3", "7200") // a staff account's idle timeout (the default)
        .replace("$4", "43200"); // and its absolute one
    String overview = constant("dev.gameday.candidate.CandidateService", "OVERVIEW")
        .replace("$1", ":id")
        .replace("$2", "'incident-postmortem'");
    StringBuilder out = new StringBuilder("\\set id :first + random(0, :count - 1)\n");
    for (String sql : new String[] {lookup, overview}) {
      if (sql.matches("(?s).*\\$[0-9].*")) {
        throw new IllegalStateException("a page statement has a parameter this script does not fill: " + sql);
      }
      out.append(sql.strip().replaceAll("\\s*\\n\\s*", " ")).append(";\n");
    }
    Files.writeString(Path.of(args[0]), out.toString());
  }

  private static String constant(String type, String name) throws Exception {
    Field f = Class.forName(type).getDeclaredField(name);
    f.setAccessible(true);
    return (String) f.get(null);
  }
}
