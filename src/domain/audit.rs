//! What the audit log records.

/// An action written to the audit log, stored by its code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuditAction {
    OperatorCreated,
    AccountCreated,
    AdminCreated,
    InvitationCreated,
    TokenRevealed,
    TokenRotated,
    TokenImported,
    FullAccessGranted,
    FullAccessWithdrawn,
    RateLimitsSet,
    AccountDeactivated,
    AccountReactivated,
    AdminDeactivated,
    ClientCreated,
    ClientRevoked,
    WebhookSubscribed,
    WebhookDeleted,
    WebhookSecretRotated,
    WebhookReplayed,
    StudentErased,
}

const ALL: [AuditAction; 20] = [
    AuditAction::OperatorCreated,
    AuditAction::AccountCreated,
    AuditAction::AdminCreated,
    AuditAction::InvitationCreated,
    AuditAction::TokenRevealed,
    AuditAction::TokenRotated,
    AuditAction::TokenImported,
    AuditAction::FullAccessGranted,
    AuditAction::FullAccessWithdrawn,
    AuditAction::RateLimitsSet,
    AuditAction::AccountDeactivated,
    AuditAction::AccountReactivated,
    AuditAction::AdminDeactivated,
    AuditAction::ClientCreated,
    AuditAction::ClientRevoked,
    AuditAction::WebhookSubscribed,
    AuditAction::WebhookDeleted,
    AuditAction::WebhookSecretRotated,
    AuditAction::WebhookReplayed,
    AuditAction::StudentErased,
];

impl AuditAction {
    pub fn code(self) -> &'static str {
        match self {
            AuditAction::OperatorCreated => "operator_created",
            AuditAction::AccountCreated => "account_created",
            AuditAction::AdminCreated => "admin_created",
            AuditAction::InvitationCreated => "invitation_created",
            AuditAction::TokenRevealed => "token_revealed",
            AuditAction::TokenRotated => "token_rotated",
            AuditAction::TokenImported => "token_imported",
            AuditAction::FullAccessGranted => "full_access_granted",
            AuditAction::FullAccessWithdrawn => "full_access_withdrawn",
            AuditAction::RateLimitsSet => "rate_limits_set",
            AuditAction::AccountDeactivated => "account_deactivated",
            AuditAction::AccountReactivated => "account_reactivated",
            AuditAction::AdminDeactivated => "admin_deactivated",
            AuditAction::ClientCreated => "client_created",
            AuditAction::ClientRevoked => "client_revoked",
            AuditAction::WebhookSubscribed => "webhook_subscribed",
            AuditAction::WebhookDeleted => "webhook_deleted",
            AuditAction::WebhookSecretRotated => "webhook_secret_rotated",
            AuditAction::WebhookReplayed => "webhook_replayed",
            AuditAction::StudentErased => "student_erased",
        }
    }

    pub fn from_code(code: &str) -> Option<AuditAction> {
        ALL.into_iter().find(|action| action.code() == code)
    }

    /// How the journal page names the action.
    pub fn label(self) -> &'static str {
        match self {
            AuditAction::OperatorCreated => "Opérateur créé",
            AuditAction::AccountCreated => "Compte créé",
            AuditAction::AdminCreated => "Administrateur créé",
            AuditAction::InvitationCreated => "Lien d'invitation créé",
            AuditAction::TokenRevealed => "Jeton affiché",
            AuditAction::TokenRotated => "Jeton renouvelé",
            AuditAction::TokenImported => "Jeton importé",
            AuditAction::FullAccessGranted => "Accès complet accordé",
            AuditAction::FullAccessWithdrawn => "Accès complet retiré",
            AuditAction::RateLimitsSet => "Limites de débit modifiées",
            AuditAction::AccountDeactivated => "Compte désactivé",
            AuditAction::AccountReactivated => "Compte réactivé (nouveau jeton)",
            AuditAction::AdminDeactivated => "Administrateur désactivé",
            AuditAction::ClientCreated => "Client OAuth créé",
            AuditAction::ClientRevoked => "Client OAuth révoqué",
            AuditAction::WebhookSubscribed => "Webhook abonné",
            AuditAction::WebhookDeleted => "Webhook supprimé",
            AuditAction::WebhookSecretRotated => "Secret de webhook renouvelé",
            AuditAction::WebhookReplayed => "Livraisons de webhook rejouées",
            AuditAction::StudentErased => "Élève effacé (traces résumées en comptes anonymes)",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for action in ALL {
            assert_eq!(AuditAction::from_code(action.code()), Some(action));
        }
        assert_eq!(AuditAction::from_code("nope"), None);
    }
}
