/**
 * Parts every platform adapter uses, written once: JSON parsing and field reading with exact numbers and field
 * paths ({@link dev.commercesync.platforms.shared.Json}, {@link dev.commercesync.platforms.shared.PayloadObject}),
 * money and time parsing ({@link dev.commercesync.platforms.shared.Moneys}, {@link
 * dev.commercesync.platforms.shared.Timestamps}), HMAC signature checks ({@link
 * dev.commercesync.platforms.shared.HmacSignatures}), keys and ids of canonical events ({@link
 * dev.commercesync.platforms.shared.EventKeys}) and the HTTP plumbing of API clients ({@link
 * dev.commercesync.platforms.shared.ApiHttp}).
 */
package dev.commercesync.platforms.shared;
