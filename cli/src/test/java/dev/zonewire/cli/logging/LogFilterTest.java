package dev.zonewire.cli.logging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LogFilterTest {

    @Test
    void aBareLevelSetsTheDefault() {
        assertThat(LogFilter.parse("debug")).isEqualTo(new LogFilter(Level.DEBUG, Map.of()));
    }

    @Test
    void loggerDirectivesSetLevelsPerLogger() {
        LogFilter filter = LogFilter.parse("warn, dev.zonewire.relay=debug ,org.eclipse.jetty=ERROR");

        assertThat(filter.defaultLevel()).isEqualTo(Level.WARN);
        assertThat(filter.loggerLevels())
                .containsEntry("dev.zonewire.relay", Level.DEBUG)
                .containsEntry("org.eclipse.jetty", Level.ERROR)
                .hasSize(2);
    }

    @Test
    void withoutABareLevelTheDefaultIsInfo() {
        assertThat(LogFilter.parse("dev.zonewire=trace").defaultLevel()).isEqualTo(Level.INFO);
        assertThat(LogFilter.parse("").defaultLevel()).isEqualTo(Level.INFO);
    }

    @Test
    void anUnknownLevelIsNamedInTheError() {
        assertThatThrownBy(() -> LogFilter.parse("info,dev.zonewire=loud"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'loud'");
    }

    @Test
    void aDirectiveWithoutLoggerIsRejected() {
        assertThatThrownBy(() -> LogFilter.parse("=debug")).hasMessageContaining("no logger name");
    }
}
