import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes a pgbench script that runs Gameday's own autosave statement ({@code candidate.Answers.SAVE}, read from the
 * jar, so the bench never runs a copy that drifted), for the bench's "pgbench running the same upsert" reference
 * (issue 28). Each transaction saves the summary section of one seeded writer (bench/seed.sql: invitation ids
 * :first .. :first + :count - 1, session cookie bench-session-<id>) with a new ~2 KB text and a rising revision,
 * as the closed-loop autosave scenario (bench/lua/autosave.lua) does through the server.
 *
 *   java -cp target/gameday.jar bench/SaveScript.java OUT.sql
 *   pgbench -n -M prepared -D first=N -D count=M -f OUT.sql ...
 */
public class SaveScript {
  public static void main(String[] args) throws Exception {
    Class<?> answers = Class.forName("dev.gameday.candidate.Answers");
    Field f = answers.getDeclaredField("SAVE");
    f.setAccessible(true);
    String save = (String) f.get(null);
    String text = "repeat('Markdown autosave text with `code`, *emphasis* and a list: - one - two ', 25)";
    String rev = "(extract(epoch from clock_timestamp()) * 1000000)::bigint";
    String sql = save
        .replace("$1", ":id")
        .replace("$2", "'incident-postmortem'")
        .replace("$3", rev)
        .replace("$4::jsonb", "jsonb_build_object('summary', " + text + " || " + rev + "::text)")
        .replace("$5", "60")
        .replace("$6::jsonb", "'{\"summary\": 300}'::jsonb")
        .replace("$7", "sha256(convert_to('bench-session-' || :id, 'UTF8'))")
        .replace("$8", "86400");
    if (sql.matches("(?s).*\\$[0-9].*")) {
      throw new IllegalStateException("the save statement has a parameter this script does not fill: " + sql);
    }
    Files.writeString(Path.of(args[0]), "\\set id :first + random(0, :count - 1)\n"
        + sql.strip().replaceAll("\\s*\\n\\s*", " ") + ";\n");
  }
}
