package dev.gameday.support;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.LoggerFactory;

/** Everything logged under {@code dev.gameday} while it is attached (the whole JVM: tests share the logger). */
public final class LogCapture implements AutoCloseable {
  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
  private final Logger logger = (Logger) LoggerFactory.getLogger("dev.gameday");

  public LogCapture() {
    appender.setContext(logger.getLoggerContext());
    appender.start();
    logger.addAppender(appender);
  }

  public List<ILoggingEvent> events() {
    synchronized (appender) {
      return new ArrayList<>(appender.list);
    }
  }

  /** Events from this logger (simple class name) whose formatted message contains the text. */
  public List<ILoggingEvent> matching(String loggerSuffix, String text) {
    return events().stream().filter(e -> e.getLoggerName().endsWith(loggerSuffix))
        .filter(e -> e.getFormattedMessage().contains(text)).toList();
  }

  public long withStackTrace() {
    return events().stream().filter(e -> e.getThrowableProxy() != null).count();
  }

  @Override
  public void close() {
    logger.detachAppender(appender);
    appender.stop();
  }
}
