package dev.gameday.web;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.VertxException;
import io.vertx.core.impl.NoStackTraceTimeoutException;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;
import java.net.ConnectException;
import java.net.SocketException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class OutageLogTest {
  static PgException pg(String sqlState) {
    return new PgException("message", "FATAL", sqlState, null);
  }

  @Test
  @DisplayName("connection failures, shutdown and crash SQLSTATEs and pool timeouts mean the database is unavailable")
  void unavailable() {
    assertTrue(OutageLog.unavailable(new ConnectException("Connection refused")));
    assertTrue(OutageLog.unavailable(new SocketException("Connection reset")));
    assertTrue(OutageLog.unavailable(new VertxException("Connection refused: /127.0.0.1:5432", true)));
    assertTrue(OutageLog.unavailable(new VertxException("Connection is not active now, current status: CLOSED", true)));
    assertTrue(OutageLog.unavailable(new VertxException("Timeout", true)));
    // what the pg client fails the statements queued on a connection with when the connection closes (CI on
    // f871be9: one save got a 500 while Postgres crashed in DatabaseOutageTest)
    assertTrue(OutageLog.unavailable(VertxException.noStackTrace(
        "Pending requests failed to be sent due to connection has been closed.")));
    assertTrue(OutageLog.unavailable(ClosedConnectionException.INSTANCE));
    assertTrue(OutageLog.unavailable(new NoStackTraceTimeoutException("timeout")));
    for (String state : new String[] {"08006", "08001", "57P01", "57P02", "57P03", "53300"}) {
      assertTrue(OutageLog.unavailable(pg(state)), state);
    }
    assertTrue(OutageLog.unavailable(new IllegalStateException(new ConnectException("Connection refused"))), "found as a cause");
  }

  @Test
  @DisplayName("client errors, SQL errors and bugs are not outages")
  void notUnavailable() {
    assertFalse(OutageLog.unavailable(new Http.ClientError(409, "stale_rev", "newer")));
    for (String state : new String[] {"23505", "42P01", "22P02", "57014", "40001"}) {
      assertFalse(OutageLog.unavailable(pg(state)), state);
    }
    assertFalse(OutageLog.unavailable(new IllegalStateException("bug")));
    assertFalse(OutageLog.unavailable(new NullPointerException()));
    assertFalse(OutageLog.unavailable(new VertxException("something else", true)));
  }
}
