package io.multihome.agent.engine;

import java.io.IOException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * The engine kernel tests' fixture: a fresh {@link EngineNetns} and an {@link Engine} on it for
 * each test, both closed after it (the namespace even when the engine fails to close). A subclass's
 * own {@code @BeforeEach} runs after this one, so it may prepare the namespace further.
 */
abstract class EngineNetnsTestBase {
  EngineNetns ns;
  Engine engine;

  @BeforeEach
  final void openEngineNetns() throws IOException {
    ns = new EngineNetns();
    engine = ns.engine();
  }

  @AfterEach
  final void closeEngineNetns() {
    try {
      engine.close();
    } finally {
      ns.close();
    }
  }
}
