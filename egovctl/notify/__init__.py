"""Notifications to applicants (docs/notify.md): consent, the transactional outbox, rendering,
the channels (SMTP, webhook, WAHA, Fonnte, wa.me links) and the send loop."""
