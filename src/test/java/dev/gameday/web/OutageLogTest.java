package dev.gameday.web;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.VertxException;
import io.vertx.core.impl.NoStackTraceTimeoutException;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
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

  /**
   * Writes to a socket whose peer reset it until the JDK refuses: a plain {@link IOException} (not a
   * {@link SocketException}) with the system's words, "Connection reset by peer" or "Broken pipe".
   */
  static IOException writeToResetSocket() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
         SocketChannel channel = SocketChannel.open(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort()))) {
      try (Socket peer = server.accept()) {
        peer.setSoLinger(true, 0); // close with a reset, as a crashed Postgres backend's socket does
      }
      for (int i = 0; i < 200; i++) {
        try {
          channel.write(ByteBuffer.wrap(new byte[1024]));
        } catch (IOException e) {
          return e;
        }
        Thread.sleep(10);
      }
    }
    throw new AssertionError("writes to a reset socket kept succeeding");
  }

  @Test
  @DisplayName("a write to the database's socket after Postgres reset it (the JDK's IOException) means the database is unavailable")
  void resetOnWrite() throws Exception {
    // CI on 6ca9e70: one save got a 500 while Postgres crashed in DatabaseOutageTest; the pg client's flush of a
    // statement met "java.io.IOException: Connection reset by peer" from SocketChannelImpl.write
    IOException reset = writeToResetSocket();
    assertFalse(reset instanceof SocketException, "the JDK's NIO write throws a plain IOException: " + reset);
    assertTrue(OutageLog.unavailable(reset), reset.toString());
    assertTrue(OutageLog.unavailable(new IOException("Connection reset by peer")));
    assertTrue(OutageLog.unavailable(new IOException("Broken pipe")));
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
    assertFalse(OutageLog.unavailable(new IOException("No space left on device")), "an I/O error that is not a socket's");
  }
}
