package dev.gameday.ops;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import dev.gameday.web.RequestIds;
import org.slf4j.MDC;
import org.slf4j.Marker;

/**
 * Puts the request id into the MDC just before each log event is made. A Vert.x event loop serves many requests
 * interleaved on one thread, so a thread-local MDC set once per request would be wrong by the next callback; the
 * id lives in the request's Vert.x context instead, and this filter copies it (or clears it) at every log call,
 * on the thread that logs. Declared in logback.xml; it never denies an event.
 */
public final class RequestIdMdc extends TurboFilter {
  @Override
  public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
    if (level != null && !level.isGreaterOrEqual(logger.getEffectiveLevel())) {
      return FilterReply.NEUTRAL; // the event will not be made; spare the work
    }
    String id = RequestIds.current();
    String had = MDC.get(RequestIds.MDC_KEY);
    if (id == null) {
      if (had != null) {
        MDC.remove(RequestIds.MDC_KEY);
      }
    } else if (!id.equals(had)) {
      MDC.put(RequestIds.MDC_KEY, id);
    }
    return FilterReply.NEUTRAL;
  }
}
