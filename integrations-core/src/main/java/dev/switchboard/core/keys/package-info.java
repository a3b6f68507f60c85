/**
 * Keys with envelope encryption. Master keys come from a {@link dev.switchboard.core.keys.KeyProvider} (an
 * environment variable, a PKCS12 keystore, or the application's KMS) and only ever wrap data keys; a data key per
 * {@link dev.switchboard.core.keys.KeyScope} (a tenant, a user, a store) seals the data itself with AES-256-GCM
 * ({@link dev.switchboard.core.keys.Keys}). Wrapped data keys live in a
 * {@link dev.switchboard.core.keys.DataKeyStore} next to the data. Destroying a scope's data key makes everything
 * sealed under it unreadable (crypto-shredding); {@link dev.switchboard.core.keys.Keys#rewrap()} moves every data
 * key to the newest master key, so an old master key can be retired without touching the data.
 */
@NullMarked
package dev.switchboard.core.keys;

import org.jspecify.annotations.NullMarked;
