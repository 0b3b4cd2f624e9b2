package dev.zonewire.cli;

import java.lang.reflect.AnnotatedElement;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Help;
import picocli.CommandLine.Help.Ansi.Text;
import picocli.CommandLine.Help.ColorScheme;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Lets every option be given by an environment variable, and shows that variable in --help.
 * An option {@code --log-dir} reads {@code ZONEWIRE_LOG_DIR} unless {@link Env} names others. A
 * flag on the command line wins over the environment, which wins over the built-in default.
 */
public final class EnvironmentDefaults implements IDefaultValueProvider {
    private static final String PREFIX = "ZONEWIRE_";

    private final Map<String, String> environment;

    public EnvironmentDefaults(Map<String, String> environment) {
        this.environment = Map.copyOf(environment);
    }

    /** Installs the defaults and the help rendering on a command line and all its subcommands. */
    public static CommandLine install(CommandLine commandLine, Map<String, String> environment) {
        commandLine.setDefaultValueProvider(new EnvironmentDefaults(environment));
        commandLine.setHelpFactory(EnvironmentDefaults::helpShowingVariables);
        return commandLine;
    }

    /** The environment variables an option reads, in the order they are tried. */
    public static List<String> variableNames(OptionSpec option) {
        if (option.userObject() instanceof AnnotatedElement element && element.isAnnotationPresent(Env.class)) {
            return List.of(element.getAnnotation(Env.class).value());
        }
        String name = option.longestName().replaceFirst("^-+", "");
        return List.of(PREFIX + name.replace('-', '_').toUpperCase(Locale.ROOT));
    }

    @Override
    public String defaultValue(ArgSpec argument) {
        if (!(argument instanceof OptionSpec option) || option.usageHelp() || option.versionHelp()) {
            return null;
        }
        for (String variable : variableNames(option)) {
            String value = environment.get(variable);
            if (value != null && !value.isEmpty()) {
                return value;
            }
        }
        return null;
    }

    private static Help helpShowingVariables(CommandSpec spec, ColorScheme colors) {
        return new Help(spec, colors) {
            @Override
            public IOptionRenderer createDefaultOptionRenderer() {
                IOptionRenderer standard = super.createDefaultOptionRenderer();
                return (option, labels, scheme) -> withVariableRow(standard.render(option, labels, scheme), option, scheme);
            }
        };
    }

    private static Text[][] withVariableRow(Text[][] rows, OptionSpec option, ColorScheme scheme) {
        if (option.usageHelp() || option.versionHelp() || rows.length == 0) {
            return rows;
        }
        Text[][] result = java.util.Arrays.copyOf(rows, rows.length + 1);
        int columns = rows[0].length;
        Text[] row = new Text[columns];
        for (int i = 0; i < columns; i++) {
            row[i] = scheme.text("");
        }
        String defaultText = option.defaultValue() == null ? "" : "; default: " + option.defaultValue();
        row[columns - 1] = scheme.text("  (env: " + String.join(" or ", variableNames(option)) + defaultText + ")");
        result[rows.length] = row;
        return result;
    }
}
