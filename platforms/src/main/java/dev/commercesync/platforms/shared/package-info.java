/**
 * Parts every platform adapter uses, written once: JSON parsing and field reading with exact numbers and field
 * paths ({@link dev.commercesync.platforms.shared.Json}, {@link dev.commercesync.platforms.shared.PayloadObject}),
 * money and time parsing ({@link dev.commercesync.platforms.shared.Moneys}, {@link
 * dev.commercesync.platforms.shared.Timestamps}), HMAC signature checks ({@link
 * dev.commercesync.platforms.shared.HmacSignatures}), keys and ids of canonical events ({@link
 * dev.commercesync.platforms.shared.EventKeys}), the HTTP plumbing of API clients ({@link
 * dev.commercesync.platforms.shared.ApiHttp}), OAuth 1.0a request signatures ({@link
 * dev.commercesync.platforms.shared.OAuth1Signatures}), install token requests ({@link
 * dev.commercesync.platforms.shared.TokenRequests}) and self-hosted sites' store ids ({@link
 * dev.commercesync.platforms.shared.SiteUrls}).
 */
package dev.commercesync.platforms.shared;
