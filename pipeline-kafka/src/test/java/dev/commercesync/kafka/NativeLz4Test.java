package dev.commercesync.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.net.URL;
import java.net.URLClassLoader;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.xxhash.XXHashFactory;
import org.junit.jupiter.api.Test;

/**
 * lz4-java loaded by a class loader other than the system one, as in a Quarkus application: Kafka's choice, {@code
 * fastestInstance()}, is the Java codec until {@link NativeLz4#load()} ran in that loader, then the JNI one.
 */
class NativeLz4Test {
    @Test
    void inAnApplicationClassLoaderKafkasFastestCodecIsTheNativeOneOnceLoaded() throws Exception {
        URL lz4 = LZ4Factory.class.getProtectionDomain().getCodeSource().getLocation();
        URL ours = NativeLz4.class.getProtectionDomain().getCodeSource().getLocation();
        try (URLClassLoader application =
                new URLClassLoader(new URL[] {lz4, ours}, ClassLoader.getPlatformClassLoader())) {
            Class<?> factory = application.loadClass(LZ4Factory.class.getName());
            Class<?> hashes = application.loadClass(XXHashFactory.class.getName());
            Object before = factory.getMethod("fastestInstance").invoke(null);
            assertNotEquals("LZ4Factory:JNI", before.toString(), "without the native library loaded: a Java codec");

            Object loaded = application
                    .loadClass(NativeLz4.class.getName())
                    .getMethod("load")
                    .invoke(null);

            assertEquals(Boolean.TRUE, loaded);
            assertEquals(
                    "LZ4Factory:JNI",
                    factory.getMethod("fastestInstance").invoke(null).toString());
            assertEquals(
                    "XXHashFactory:JNI",
                    hashes.getMethod("fastestInstance").invoke(null).toString());
        }
    }
}
