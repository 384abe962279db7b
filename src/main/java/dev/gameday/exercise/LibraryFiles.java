package dev.gameday.exercise;

import dev.gameday.exercise.Model.Problem;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The files of one library being loaded, and the problems found in them: reads text strictly as UTF-8 (at most
 * 8 MiB a file) and names a file relative to the library's parent, as every problem does. Blocking file I/O.
 */
final class LibraryFiles {
  private static final long MAX_FILE_BYTES = 8L * 1024 * 1024;

  private final Path root;
  private final List<Problem> problems;
  /** Rewrites what {@link #read} returns: a variant's text while one exercise of a variant library is read. */
  private java.util.function.BiFunction<Path, String, String> transform = (f, t) -> t;

  LibraryFiles(Path root, List<Problem> problems) {
    this.root = root;
    this.problems = problems;
  }

  /** @param transform the file and its text to the text {@link #read} returns; null: the text as written */
  void transform(java.util.function.BiFunction<Path, String, String> transform) {
    this.transform = transform == null ? (f, t) -> t : transform;
  }

  Path root() {
    return root;
  }

  List<Problem> problems() {
    return problems;
  }

  /** {@code p} as a problem names it: relative to the library's parent folder. */
  String rel(Path p) {
    Path base = root.toAbsolutePath().normalize().getParent();
    Path abs = p.toAbsolutePath().normalize();
    return base == null ? abs.toString() : base.relativize(abs).toString();
  }

  /** The file's text, or null after recording why it cannot be read. */
  String read(Path file) {
    try {
      if (Files.size(file) > MAX_FILE_BYTES) {
        problems.add(new Problem(rel(file), 1, "file is larger than 8 MiB"));
        return null;
      }
      return transform.apply(file, StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(Files.readAllBytes(file))).toString());
    } catch (CharacterCodingException e) {
      problems.add(new Problem(rel(file), 1, "not valid UTF-8 text"));
      return null;
    } catch (IOException e) {
      problems.add(new Problem(rel(file), 1, "cannot read: " + e.getMessage()));
      return null;
    }
  }

  /** A file the exercise must have, not blank; a problem when it is missing or empty. */
  String requireText(Path file, String name) {
    if (!Files.isRegularFile(file)) {
      problems.add(new Problem(rel(file), 1, "missing " + name));
      return null;
    }
    String text = read(file);
    if (text != null && text.isBlank()) {
      problems.add(new Problem(rel(file), 1, name + " is empty"));
    }
    return text;
  }
}
