package dev.zonewire.cli.relay;

import java.time.Duration;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** {@code 90s}, {@code 30m}, {@code 24h}, {@code 7d}: a positive whole number and a unit. */
final class DurationConverter implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
        String text = value.strip().toLowerCase(Locale.ROOT);
        if (text.length() >= 2 && text.substring(0, text.length() - 1).chars().allMatch(Character::isDigit)) {
            try {
                long amount = Long.parseLong(text.substring(0, text.length() - 1));
                Duration duration = switch (text.charAt(text.length() - 1)) {
                    case 's' -> Duration.ofSeconds(amount);
                    case 'm' -> Duration.ofMinutes(amount);
                    case 'h' -> Duration.ofHours(amount);
                    case 'd' -> Duration.ofDays(amount);
                    default -> null;
                };
                if (duration != null && !duration.isZero()) {
                    return duration;
                }
            } catch (NumberFormatException | ArithmeticException e) {
                // too large: reported below
            }
        }
        throw new TypeConversionException("'" + value + "' is not a duration such as 90s, 30m, 24h or 7d");
    }
}
