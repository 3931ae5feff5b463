package dev.commercesync.simulator.model;

/** A postal address, as every platform has one (field names follow Shopify's; dialects rename). */
public record Address(
        String address1,
        String city,
        String province,
        String provinceCode,
        String zip,
        String country,
        String countryCode,
        String phone) {}
