/**
 * The platform SPI: what one commerce platform adapter provides. An adapter is one package
 * ({@code dev.commercesync.platforms.<name>}) with one {@link dev.commercesync.platforms.spi.PlatformAdapter} registered
 * in {@code META-INF/services/dev.commercesync.platforms.spi.PlatformAdapter}; it depends only on this package and
 * {@code dev.commercesync.platforms.shared}. Services use the adapters through
 * {@code dev.commercesync.platforms.PlatformRegistry} and {@code dev.commercesync.platforms.Normalization}.
 */
package dev.commercesync.platforms.spi;
