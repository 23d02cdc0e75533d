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
    AccountDeactivated,
    AccountReactivated,
    AdminDeactivated,
}

const ALL: [AuditAction; 12] = [
    AuditAction::OperatorCreated,
    AuditAction::AccountCreated,
    AuditAction::AdminCreated,
    AuditAction::InvitationCreated,
    AuditAction::TokenRevealed,
    AuditAction::TokenRotated,
    AuditAction::TokenImported,
    AuditAction::FullAccessGranted,
    AuditAction::FullAccessWithdrawn,
    AuditAction::AccountDeactivated,
    AuditAction::AccountReactivated,
    AuditAction::AdminDeactivated,
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
            AuditAction::AccountDeactivated => "account_deactivated",
            AuditAction::AccountReactivated => "account_reactivated",
            AuditAction::AdminDeactivated => "admin_deactivated",
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
            AuditAction::AccountDeactivated => "Compte désactivé",
            AuditAction::AccountReactivated => "Compte réactivé (nouveau jeton)",
            AuditAction::AdminDeactivated => "Administrateur désactivé",
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
