package dev.commercesync.bench;

import dev.commercesync.platforms.PlatformRegistry;
import dev.commercesync.simulator.dialect.Dialects;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The platforms a benchmark can simulate: those with an adapter ({@link PlatformRegistry#loadInstalled()}) and a
 * simulator dialect ({@link Dialects#names()}). Picocli lists them in the options' help ({@code ${COMPLETION-CANDIDATES}})
 * and checks a given name against them.
 */
public final class BenchPlatforms implements Iterable<String> {

    /** Every platform with an adapter and a simulator dialect, by name. */
    public static List<String> names() {
        List<String> registered = PlatformRegistry.loadInstalled().names();
        List<String> names = new ArrayList<>();
        for (String name : Dialects.names()) {
            if (registered.contains(name)) {
                names.add(name);
            }
        }
        return List.copyOf(names);
    }

    /** A platform option's value, checked against {@link #names()}. */
    public static String check(String platform) {
        if (!names().contains(platform)) {
            throw new IllegalArgumentException(
                    "no adapter and simulator dialect for platform '" + platform + "'; known: " + names());
        }
        return platform;
    }

    @Override
    public Iterator<String> iterator() {
        return names().iterator();
    }
}
