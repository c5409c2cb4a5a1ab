-- The visible mark a certificate signs with: an official's signature image (blue) or an
-- organisation's seal (red), as PNG, registered once by the PKI's operator (specimen signatures
-- and seals are registered, Decree 99/2016) and drawn into PDF signatures (Decree 30/2020).
ALTER TABLE pki_certificates ADD COLUMN appearance_png {{blob}};
