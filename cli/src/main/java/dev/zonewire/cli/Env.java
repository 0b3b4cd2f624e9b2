package dev.zonewire.cli;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Names the environment variables an option reads, first found wins, instead of the derived
 * {@code ZONEWIRE_<LONG_NAME>}. Use it for names other deployments already set, such as
 * Firezone's.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.FIELD, ElementType.METHOD})
public @interface Env {
    String[] value();
}
