//! Settings (JSON values by key) and the tutor PIN, kept as an argon2 hash (PHC string).

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use rusqlite::{params, OptionalExtension};
use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::error::{Result, StoreError};
use crate::{Store, Tx};

/// The settings key of the tutor PIN's hash.
pub const PIN_KEY: &str = "tutor_pin_argon2";

impl Tx<'_> {
    /// A setting, or `None` when it was never set.
    pub fn setting<T: DeserializeOwned>(&self, key: &str) -> Result<Option<T>> {
        let raw: Option<String> = self
            .conn()
            .query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| r.get(0))
            .optional()?;
        raw.map(|s| serde_json::from_str(&s).map_err(StoreError::from)).transpose()
    }

    pub fn set_setting<T: Serialize + ?Sized>(&self, key: &str, value: &T) -> Result<()> {
        let json = serde_json::to_string(value)?;
        self.conn().execute(
            "INSERT INTO settings (key, value) VALUES (?1, ?2)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            params![key, json],
        )?;
        self.changes_mut(|c| c.settings += 1);
        Ok(())
    }

    /// Removes a setting; `true` if it existed.
    pub fn remove_setting(&self, key: &str) -> Result<bool> {
        let n = self.conn().execute("DELETE FROM settings WHERE key = ?1", [key])?;
        self.changes_mut(|c| c.settings += n as u32);
        Ok(n > 0)
    }

    /// All settings, by key.
    pub fn settings(&self) -> Result<Vec<(String, serde_json::Value)>> {
        let mut stmt = self.conn().prepare("SELECT key, value FROM settings ORDER BY key")?;
        let rows = stmt
            .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        rows.into_iter().map(|(k, v)| Ok((k, serde_json::from_str(&v)?))).collect()
    }

    pub fn has_pin(&self) -> Result<bool> {
        Ok(self.setting::<String>(PIN_KEY)?.is_some())
    }
}

/// Hashes a PIN with argon2id (default parameters, random salt).
pub fn hash_pin(pin: &str) -> Result<String> {
    let pin = pin.trim();
    if pin.chars().count() < 4 {
        return Err(StoreError::invalid("a PIN needs at least 4 characters"));
    }
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(pin.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| StoreError::invalid(format!("cannot hash the PIN: {e}")))
}

impl Store {
    /// Sets the tutor PIN (hashed before the transaction; argon2 is deliberately slow).
    pub fn set_pin(&mut self, pin: &str) -> Result<()> {
        let phc = hash_pin(pin)?;
        self.transact(|tx| tx.set_setting(PIN_KEY, &phc))
    }

    pub fn clear_pin(&mut self) -> Result<bool> {
        self.transact(|tx| tx.remove_setting(PIN_KEY))
    }

    /// `true` when a PIN is set and `pin` matches it. With no PIN set, nothing matches.
    pub fn verify_pin(&self, pin: &str) -> Result<bool> {
        let Some(phc) = self.read(|tx| tx.setting::<String>(PIN_KEY))? else {
            return Ok(false);
        };
        let parsed = PasswordHash::new(&phc)
            .map_err(|e| StoreError::invalid(format!("the stored PIN hash is unreadable: {e}")))?;
        Ok(Argon2::default().verify_password(pin.trim().as_bytes(), &parsed).is_ok())
    }
}
