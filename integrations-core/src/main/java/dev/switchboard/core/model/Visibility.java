package dev.switchboard.core.model;

/** Who may see a record, besides its owner. */
public enum Visibility {
    /** Only the owner (and principals holding one of the ACL's roles). */
    PRIVATE,
    /** Every principal of the record's tenant. */
    TENANT,
    /** Every principal. */
    PUBLIC
}
