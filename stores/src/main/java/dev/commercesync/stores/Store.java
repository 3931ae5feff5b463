package dev.commercesync.stores;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One merchant store on one platform. Secret columns hold {@link SecretCipher} ciphertexts; read them through {@link
 * StoreRegistry}, which decrypts.
 */
@Entity
@Table(name = "store", schema = "stores")
public class Store extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(nullable = false)
    public String platform;

    @Column(name = "store_id", nullable = false)
    public String storeId;

    @Column(name = "display_name")
    public String displayName;

    /** Where the platform's API answers for this store (a simulated store in tests and the demo). */
    @Column(name = "api_base_url")
    public String apiBaseUrl;

    @Column(name = "webhook_secret", nullable = false)
    public String webhookSecretEncrypted;

    @Column(name = "previous_webhook_secret")
    public String previousWebhookSecretEncrypted;

    @Column(name = "previous_secret_valid_until")
    public Instant previousSecretValidUntil;

    @Column(name = "api_credentials")
    public String apiCredentialsEncrypted;

    @Column(nullable = false)
    public boolean enabled = true;

    /** Why the store is disabled when it was not an operator's choice ({@link StoreRegistry#UNINSTALLED}); null else. */
    @Column(name = "disabled_reason")
    public String disabledReason;

    /** The {@link Merchant} this store belongs to; null: it takes part in no stock pool. */
    @Column(name = "merchant_id")
    public String merchantId;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    public static Optional<Store> findByKey(String platform, String storeId) {
        return find("platform = ?1 and storeId = ?2", platform, storeId).firstResultOptional();
    }

    public static List<Store> listOrdered() {
        return list("order by platform, storeId");
    }
}
