package io.embedrec.catalog;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** A catalog item as stored. Writes go through {@link ItemRepository#upsert}; Hibernate reads and deletes. */
@Entity
@Table(name = "items")
public class Item extends PanacheEntityBase {

    @Id
    @Column(name = "pk")
    public Long pk;

    @Column(name = "external_id", nullable = false, updatable = false)
    public String externalId;

    @Column(nullable = false)
    public String title;

    @Column(nullable = false)
    public String description;

    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(columnDefinition = "text[]", nullable = false)
    public List<String> categories;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(columnDefinition = "jsonb", nullable = false)
    public Map<String, Object> attributes;

    /** False while the item is not to be offered (out of stock, withdrawn). */
    @Column(nullable = false)
    public boolean available;

    /** When the item may first be offered; null: no start. */
    @Column(name = "available_from")
    public Instant availableFrom;

    /** When the item stops being offered; null: no end. */
    @Column(name = "available_until")
    public Instant availableUntil;

    @Column(name = "created_at", nullable = false, updatable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;
}
