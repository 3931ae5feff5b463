package dev.commercesync.kafka;

import net.jpountz.lz4.LZ4Factory;

/**
 * lz4 through its JNI codec in every JVM that uses the pipeline's serdes. Kafka's lz4 streams ask lz4-java for {@code
 * LZ4Factory.fastestInstance()}, which tries the native codec only when lz4-java was loaded by the system class loader
 * or its native library is already loaded. In a Quarkus application it is loaded by Quarkus' own class loader, so Kafka
 * compressed and decompressed with the pure-Java safe codec — a third of webhook-ingest's CPU at saturation
 * (bench/README.md, "Where the time goes"). Loading the native instance once makes {@code fastestInstance()} return it
 * (the same native library serves lz4-java's xxHash, which Kafka's lz4 frames use for their checksums). Where the
 * library cannot be loaded (a platform lz4-java ships none for, a temporary directory that cannot hold it), Kafka keeps
 * the Java codec, as before: the bytes on the wire are the same either way.
 */
public final class NativeLz4 {
    private NativeLz4() {}

    /**
     * Loads lz4-java's native codec in this class loader, once; later calls return the first outcome.
     *
     * @return whether the native codec is loaded
     */
    public static boolean load() {
        return Holder.LOADED;
    }

    private static final class Holder {
        static final boolean LOADED = tryLoad();

        private static boolean tryLoad() {
            try {
                LZ4Factory.nativeInstance();
                return true;
            } catch (Throwable e) { // UnsatisfiedLinkError, or an error of the library's extraction
                return false;
            }
        }
    }
}
