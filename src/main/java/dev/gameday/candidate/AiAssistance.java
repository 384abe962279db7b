package dev.gameday.candidate;

/**
 * The "AI assistance" section (issue 25, item 4): on a track whose rule is {@code declared}, every exercise page offers
 * it after the exercise's own sections, for the prompts the candidate gave an assistant and what it answered. It is
 * stored, sealed and reviewed as an answer section under {@link #SECTION_ID}; on a track whose rule is not
 * {@code declared} the page does not show it and saves to it are refused.
 */
public final class AiAssistance {
  public static final String SECTION_ID = "ai-assistance";
  public static final String TITLE = "AI assistance";
  public static final String PROMPT = "Paste the prompts you gave an AI assistant for this exercise and what it answered, "
      + "in order, and say what you kept, changed or checked. Reviewers read this section with your answer.";
  public static final int WORDS = 1000;

  private AiAssistance() {
  }
}
